/**
 * A least-recently-used map in the isolate's memory, bounded by the total size of its values (entries
 * over `maxEntryBytes` are not kept at all). The edge cache keeps its most-read responses in one, and
 * the token check the access tokens it has verified.
 */
export class MemoryLru<V> {
  readonly #entries = new Map<string, V>();
  #bytes = 0;

  readonly #limits: { maxBytes: number; maxEntryBytes: number };
  readonly #sizeOf: (value: V) => number;

  // No parameter properties: Node's type stripping runs this file too (bench/run.ts signs tokens with tokens.ts).
  constructor(limits: { maxBytes: number; maxEntryBytes: number }, sizeOf: (value: V) => number) {
    this.#limits = limits;
    this.#sizeOf = sizeOf;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map order is recency order: move this one to the end.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    const size = this.#sizeOf(value);
    if (size > this.#limits.maxEntryBytes) return;
    this.delete(key);
    this.#entries.set(key, value);
    this.#bytes += size;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.#limits.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= this.#sizeOf(old);
    }
  }

  delete(key: string): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= this.#sizeOf(value);
  }
}
