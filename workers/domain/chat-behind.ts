import { writeBehind } from "../data/chat.ts";
import { getMeta, markReadsFlushed, messagesAfter, setMeta, unflushedReads, type SqlExec } from "../data/conversation-log.ts";
import type { Db } from "../data/db.ts";
import { looksOffPlatform } from "./chat-safety.ts";

/**
 * Write-behind from a Conversation object's log to Postgres, the system of record. The object's alarm
 * runs it; each run writes one batch in one transaction and only then moves the flushed mark, so a
 * run that fails (Postgres down) or runs twice (alarms are at least once) loses and duplicates nothing.
 */

export const BEHIND_BATCH = 100;
/** How long one batch may take before the run counts as failed and is retried. */
const BEHIND_DEADLINE_MS = 10_000;

export type FlushResult = "idle" | "more" | "done";

export async function flushBehind(db: Db, sql: SqlExec, conversationId: string): Promise<FlushResult> {
  const flushed = Number(getMeta(sql, "flushed_seq") ?? 0);
  const batch = messagesAfter(sql, flushed, BEHIND_BATCH);
  const reads = unflushedReads(sql);
  if (batch.length === 0 && reads.length === 0) return "idle";
  const rows = batch.map((message) => ({ ...message, at: new Date(message.at), flagged: looksOffPlatform(message.body) }));
  await withDeadline(writeBehind(db.primary, conversationId, rows, reads), BEHIND_DEADLINE_MS);
  setMeta(sql, "flushed_seq", String(batch.at(-1)?.seq ?? flushed));
  markReadsFlushed(sql, reads);
  return batch.length === BEHIND_BATCH ? "more" : "done";
}

/** The wait before the next try after `failures` failed runs in a row: 1 s doubling to a minute, jittered. */
export function behindRetryMs(failures: number, random = Math.random()): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + random / 2));
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: number | null = null;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
