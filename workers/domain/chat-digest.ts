import { claimDigest, dueDigests } from "../data/chat-digests.ts";
import type { Db } from "../data/db.ts";
import { chatDigestEmail } from "./email-templates.ts";
import { dispatchOutbox, queueEmail, type OutboxQueue } from "./outbox.ts";

/**
 * The unread digest (issue 19): a participant who has not read a message for a while gets one email
 * about the conversation, at most one per conversation every 15 minutes, never one per message. Run
 * by the cron every minute over Postgres (the system of record, where messages are written behind).
 */

/** A message unread this long means its recipient was not there to read it. */
export const DIGEST_QUIET_MS = 5 * 60_000;
/** At most one digest per conversation and recipient in this window. */
export const DIGEST_EVERY_MS = 15 * 60_000;
const DIGEST_BATCH = 100;

export async function sendChatDigests(db: Db, outbox: OutboxQueue, origin: string, now = Date.now()): Promise<number> {
  const lastDigestBefore = new Date(now - DIGEST_EVERY_MS);
  const due = await dueDigests(db.primary, { quietBefore: new Date(now - DIGEST_QUIET_MS), lastDigestBefore, limit: DIGEST_BATCH });
  const ids: number[] = [];
  for (const digest of due) {
    const link = `${origin}/messages/${digest.conversationId}`;
    const id = await db.transaction(async (tx) => {
      if (!(await claimDigest(tx, digest, new Date(now), lastDigestBefore))) return null;
      return queueEmail(tx, { to: digest.email, ...chatDigestEmail({ name: digest.name, unread: digest.unread, link }) });
    });
    if (id !== null) ids.push(id);
  }
  await dispatchOutbox(outbox, ids);
  return ids.length;
}
