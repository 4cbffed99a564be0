import { z } from "zod";
import type { AnyDb, Db } from "../data/db.ts";
import {
  backOffOutboxRow,
  claimOutboxRow,
  giveUpOutboxRow,
  insertOutboxRow,
  listRecentEmailRows,
  markOutboxFailed,
  markOutboxSent,
  takeStaleOutboxRows,
} from "../data/outbox.ts";
import { PermanentJobError, retryDelaySeconds } from "../lib/jobs.ts";
import { errorFields, log } from "../lib/log.ts";
import type { EmailProvider, SendResult } from "./email-provider.ts";

/** One email, as the outbox stores it and the provider sends it. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export const EMAIL_TOPIC = "email";

export const emailMessageSchema = z.object({
  to: z.email(),
  subject: z.string().min(1),
  text: z.string(),
  html: z.string(),
}) satisfies z.ZodType<EmailMessage>;

/** The queue message that asks the consumer to send one outbox row. */
export const outboxJobSchema = z.object({ kind: z.literal("outbox"), id: z.number().int().positive() });
export type OutboxJob = z.infer<typeof outboxJobSchema>;

/** Where outbox jobs are sent: the outbox Queue's producer has this shape. */
export interface OutboxQueue {
  sendBatch(messages: { body: OutboxJob }[]): Promise<unknown>;
}

/**
 * A claimed row's available_at moves this far ahead: longer than a send can take, so a duplicate
 * delivery or the sweep cannot claim it meanwhile, yet a consumer that dies mid-send delays it only briefly.
 */
const CLAIM_SECONDS = 60;
/** A pending row left alone this long lost its queue message (or its consumer): the sweep re-enqueues it. */
const STALE_SECONDS = 60;
const SWEEP_BATCH = 100;
/** A Queues sendBatch call takes at most this many messages. */
const SEND_BATCH_LIMIT = 100;

/**
 * Writes the email to the outbox on whatever connection it is given: pass the transaction that makes
 * the change the email announces, so both commit or neither does. Returns the outbox id for
 * `dispatchOutbox`, which the caller runs after the commit.
 */
export async function queueEmail(db: AnyDb, message: EmailMessage): Promise<number> {
  return insertOutboxRow(db, EMAIL_TOPIC, emailMessageSchema.parse(message));
}

/**
 * Asks the consumer to send these outbox rows now. Call it after the commit; a failure here is only
 * logged, because the rows are safe in the outbox and the cron sweep sends them a minute later.
 */
export async function dispatchOutbox(queue: OutboxQueue, ids: readonly number[]): Promise<void> {
  for (let start = 0; start < ids.length; start += SEND_BATCH_LIMIT) {
    const chunk = ids.slice(start, start + SEND_BATCH_LIMIT);
    try {
      await queue.sendBatch(chunk.map((id) => ({ body: { kind: "outbox", id } satisfies OutboxJob })));
    } catch (error) {
      log("warn", "outbox dispatch failed; the sweep will send these", { ids: chunk, ...errorFields(error) });
    }
  }
}

function deliver(provider: EmailProvider, id: number, row: { topic: string; payload: unknown }): Promise<SendResult> {
  if (row.topic !== EMAIL_TOPIC) return Promise.resolve({ ok: false, retry: false, error: `no sender for topic ${row.topic}` });
  const message = emailMessageSchema.safeParse(row.payload);
  if (!message.success) return Promise.resolve({ ok: false, retry: false, error: "malformed email payload" });
  return provider(message.data, { idempotencyKey: `outbox-${id}` });
}

/**
 * Sends one outbox row, at most once even when messages are duplicated: only one delivery can claim it,
 * and a sent, failed or backing-off row is left alone. Throws to have the queue retry.
 */
export async function sendOutboxRow(db: Db, provider: EmailProvider, job: OutboxJob): Promise<void> {
  const row = await claimOutboxRow(db.primary, job.id, CLAIM_SECONDS);
  if (!row) return;
  const result = await deliver(provider, job.id, row);
  if (result.ok) return markOutboxSent(db.primary, job.id);
  if (!result.retry) {
    await markOutboxFailed(db.primary, job.id, result.error);
    throw new PermanentJobError(`outbox ${job.id} rejected: ${result.error}`);
  }
  // The row backs off as long as the queue's retry waits, so the sweep leaves the retry to the queue.
  // (A retry that still arrives early claims nothing; the sweep then re-sends the row a minute later.)
  await backOffOutboxRow(db.primary, job.id, result.error, retryDelaySeconds(row.attempts));
  throw new Error(`outbox ${job.id} not sent yet: ${result.error}`);
}

/** Out of retries: the row says so, which also stops the sweep from re-sending it. */
export async function giveUpOutbox(db: Db, job: OutboxJob): Promise<void> {
  await giveUpOutboxRow(db.primary, job.id);
}

/**
 * The cron sweep: re-enqueues pending rows nobody has touched for a while (their message was never
 * sent, or was lost), a bounded batch per run. Returns how many it re-enqueued.
 */
export async function sweepOutbox(db: Db, queue: OutboxQueue): Promise<number> {
  const ids = await takeStaleOutboxRows(db.primary, STALE_SECONDS, SWEEP_BATCH);
  if (ids.length === 0) return 0;
  log("info", "outbox sweep re-enqueued rows", { count: ids.length });
  await dispatchOutbox(queue, ids);
  return ids.length;
}

const LINK = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)]/g;

/** The web addresses in a plain-text body, in order (what a reader of the dev mailbox clicks). */
export function emailLinks(text: string): string[] {
  return text.match(LINK) ?? [];
}

/** The latest emails in the outbox, newest first, with their links, for the dev mailbox. */
export async function recentEmails(db: Db, limit: number) {
  const rows = await listRecentEmailRows(db.primary, EMAIL_TOPIC, limit);
  return rows.map((row) => ({ ...row, links: emailLinks(row.text) }));
}

export type OutboxEmail = Awaited<ReturnType<typeof recentEmails>>[number];
