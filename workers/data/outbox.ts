import { and, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import type { AnyDb } from "./db.ts";
import { outbox } from "./schema/index.ts";

const secondsFromNow = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

/** Writes one row on whatever connection it is given (pass the transaction of the change it announces). */
export async function insertOutboxRow(db: AnyDb, topic: string, payload: Record<string, unknown>): Promise<number> {
  const [row] = await db.insert(outbox).values({ topic, payload }).returning({ id: outbox.id });
  return row!.id;
}

/**
 * Claims a pending row that is due, moving its available_at `claimSeconds` ahead: the conditional UPDATE
 * succeeds for one delivery only, so a duplicated message sends nothing twice.
 */
export async function claimOutboxRow(db: AnyDb, id: number, claimSeconds: number) {
  const [row] = await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, availableAt: secondsFromNow(claimSeconds) })
    .where(and(eq(outbox.id, id), eq(outbox.status, "pending"), lte(outbox.availableAt, sql`now()`)))
    .returning({ topic: outbox.topic, payload: outbox.payload, attempts: outbox.attempts });
  return row;
}

export async function markOutboxSent(db: AnyDb, id: number): Promise<void> {
  await db.update(outbox).set({ status: "sent", sentAt: sql`now()`, lastError: null }).where(eq(outbox.id, id));
}

export async function markOutboxFailed(db: AnyDb, id: number, error: string): Promise<void> {
  await db.update(outbox).set({ status: "failed", lastError: error }).where(eq(outbox.id, id));
}

export async function backOffOutboxRow(db: AnyDb, id: number, error: string, seconds: number): Promise<void> {
  await db.update(outbox).set({ lastError: error, availableAt: secondsFromNow(seconds) }).where(eq(outbox.id, id));
}

/** Out of retries: a row still pending ends failed (keeping its last error); a sent row stays sent. */
export async function giveUpOutboxRow(db: AnyDb, id: number): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "failed", lastError: sql`coalesce(${outbox.lastError}, 'gave up after repeated failures')` })
    .where(and(eq(outbox.id, id), eq(outbox.status, "pending")));
}

/**
 * Pending rows nobody touched for `staleSeconds`, at most `limit`, touched now so the next sweep leaves
 * them alone while their new messages wait. Returns their ids.
 */
export async function takeStaleOutboxRows(db: AnyDb, staleSeconds: number, limit: number): Promise<number[]> {
  const stale = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lt(outbox.availableAt, sql`now() - make_interval(secs => ${staleSeconds})`)))
    .orderBy(outbox.availableAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db.update(outbox).set({ availableAt: sql`now()` }).where(inArray(outbox.id, stale)).returning({ id: outbox.id });
  return rows.map((row) => row.id);
}

/** The latest rows of a topic whose payload is an email, newest first. */
export async function listRecentEmailRows(db: AnyDb, topic: string, limit: number) {
  return db
    .select({
      id: outbox.id,
      to: sql<string>`${outbox.payload}->>'to'`,
      subject: sql<string>`${outbox.payload}->>'subject'`,
      text: sql<string>`${outbox.payload}->>'text'`,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(eq(outbox.topic, topic))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
}
