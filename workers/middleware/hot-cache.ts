/**
 * The isolate's own memory in front of the Cache API: the most-read public responses are answered
 * without leaving the isolate. Entries keep the edge entry's storage time, so freshness, staleness and
 * the staleness bound are exactly the edge cache's; a purge at this location drops them here too.
 */
export interface HotEntry {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  storedAt: number;
}

const MAX_BYTES = 16 * 1024 * 1024;
const MAX_ENTRY_BYTES = 256 * 1024;
const entries = new Map<string, HotEntry>();
let bytes = 0;

export function hotGet(key: string): HotEntry | undefined {
  const entry = entries.get(key);
  if (entry) {
    // Map order is recency order: move this one to the end.
    entries.delete(key);
    entries.set(key, entry);
  }
  return entry;
}

export function hotSet(key: string, entry: HotEntry): void {
  if (entry.body.byteLength > MAX_ENTRY_BYTES) return;
  hotDelete(key);
  entries.set(key, entry);
  bytes += entry.body.byteLength;
  for (const [oldest, old] of entries) {
    if (bytes <= MAX_BYTES) break;
    entries.delete(oldest);
    bytes -= old.body.byteLength;
  }
}

export function hotDelete(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  bytes -= entry.body.byteLength;
}
