import { and, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { createDb } from "../data/db.ts";
import { outbox } from "../data/schema/index.ts";
import { dispatchOutbox, EMAIL_TOPIC, emailMessageSchema, type OutboxJob } from "../domain/email.ts";
import { emailProvider, type SendResult } from "../domain/email-provider.ts";
import { readConfig, type Config } from "../lib/config.ts";
import { log } from "../lib/log.ts";
import { PermanentJobError, retryDelaySeconds } from "./batch.ts";

/**
 * A claimed row's available_at moves this far ahead: longer than a send can take, so a duplicate
 * delivery or the sweep cannot claim it meanwhile, yet a consumer that dies mid-send delays it only briefly.
 */
const CLAIM_SECONDS = 60;
/** A pending row left alone this long lost its queue message (or its consumer): the sweep re-enqueues it. */
const STALE_SECONDS = 60;
const SWEEP_BATCH = 100;

const secondsFromNow = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

/**
 * Sends one outbox row, at most once even when messages are duplicated: the conditional UPDATE that
 * claims it succeeds for one delivery only, and a sent, failed or backing-off row is left alone.
 */
export async function processOutbox(env: Env, job: OutboxJob): Promise<void> {
  const config = readConfig(env);
  const db = createDb(config).primary;
  const [row] = await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, availableAt: secondsFromNow(CLAIM_SECONDS) })
    .where(and(eq(outbox.id, job.id), eq(outbox.status, "pending"), lte(outbox.availableAt, sql`now()`)))
    .returning({ topic: outbox.topic, payload: outbox.payload, attempts: outbox.attempts });
  if (!row) return;

  const result = await deliver(config, job.id, row);
  const where = eq(outbox.id, job.id);
  if (result.ok) {
    await db.update(outbox).set({ status: "sent", sentAt: sql`now()`, lastError: null }).where(where);
    return;
  }
  if (!result.retry) {
    await db.update(outbox).set({ status: "failed", lastError: result.error }).where(where);
    throw new PermanentJobError(`outbox ${job.id} rejected: ${result.error}`);
  }
  // The row backs off as long as the queue's retry waits, so the sweep leaves the retry to the queue.
  // (A retry that still arrives early claims nothing; the sweep then re-sends the row a minute later.)
  await db
    .update(outbox)
    .set({ lastError: result.error, availableAt: secondsFromNow(retryDelaySeconds(row.attempts)) })
    .where(where);
  throw new Error(`outbox ${job.id} not sent yet: ${result.error}`);
}

function deliver(config: Config, id: number, row: { topic: string; payload: unknown }): Promise<SendResult> {
  if (row.topic !== EMAIL_TOPIC) return Promise.resolve({ ok: false, retry: false, error: `no sender for topic ${row.topic}` });
  const message = emailMessageSchema.safeParse(row.payload);
  if (!message.success) return Promise.resolve({ ok: false, retry: false, error: "malformed email payload" });
  return emailProvider(config)(message.data, { idempotencyKey: `outbox-${id}` });
}

/** Out of retries: the row says so, which also stops the sweep from re-sending it. A sent row stays sent. */
export async function failOutbox(env: Env, job: OutboxJob): Promise<void> {
  const db = createDb(readConfig(env)).primary;
  await db
    .update(outbox)
    .set({ status: "failed", lastError: sql`coalesce(${outbox.lastError}, 'gave up after repeated failures')` })
    .where(and(eq(outbox.id, job.id), eq(outbox.status, "pending")));
}

/**
 * The cron sweep: re-enqueues pending rows nobody has touched for a while (their message was never
 * sent, or was lost), a bounded batch per run. Returns how many it re-enqueued.
 */
export async function sweepOutbox(env: Env): Promise<number> {
  const db = createDb(readConfig(env)).primary;
  const stale = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lt(outbox.availableAt, sql`now() - make_interval(secs => ${STALE_SECONDS})`)))
    .orderBy(outbox.availableAt)
    .limit(SWEEP_BATCH)
    .for("update", { skipLocked: true });
  // Touching available_at keeps the next run from enqueueing them again while their messages wait.
  const rows = await db.update(outbox).set({ availableAt: sql`now()` }).where(inArray(outbox.id, stale)).returning({ id: outbox.id });
  if (rows.length === 0) return 0;
  log("info", "outbox sweep re-enqueued rows", { count: rows.length });
  await dispatchOutbox(env.OUTBOX_QUEUE, rows.map((row) => row.id));
  return rows.length;
}
