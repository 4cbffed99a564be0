import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { AnyDb } from "./db.ts";
import { conversationParticipants, conversations, messages, users } from "./schema/index.ts";

export interface DigestDue {
  conversationId: string;
  userId: string;
  email: string;
  name: string;
  /** The conversation's newest sequence: the digest covers everything up to it. */
  lastSeq: number;
  /** Messages from the other party not read and not yet told of. */
  unread: number;
}

/** Not read and not yet in a digest: after the later of the read position and the last digest. */
const seen = sql`greatest(${conversationParticipants.lastReadSeq}, ${conversationParticipants.digestedSeq})`;
const recentDigest = (since: Date) => or(isNull(conversationParticipants.digestSentAt), lt(conversationParticipants.digestSentAt, since));

/**
 * Participants owed a digest: a message from the other party they have neither read nor been told
 * of, older than `quietBefore` (they were not there to read it), and no digest for this conversation
 * since `lastDigestBefore`.
 */
export async function dueDigests(db: AnyDb, options: { quietBefore: Date; lastDigestBefore: Date; limit: number }): Promise<DigestDue[]> {
  const p = conversationParticipants;
  return db
    .select({
      conversationId: p.conversationId,
      userId: p.userId,
      email: users.email,
      name: users.name,
      lastSeq: conversations.lastSeq,
      unread: sql<number>`(select count(*) from ${messages} m where m.conversation_id = ${p.conversationId}
        and m.seq > ${seen} and m.sender_id <> ${p.userId})`.mapWith(Number),
    })
    .from(p)
    .innerJoin(conversations, eq(conversations.id, p.conversationId))
    .innerJoin(users, eq(users.id, p.userId))
    .where(
      and(
        sql`${conversations.lastSeq} > ${seen}`,
        recentDigest(options.lastDigestBefore),
        sql`exists (select 1 from ${messages} m where m.conversation_id = ${p.conversationId} and m.seq > ${seen}
          and m.sender_id <> ${p.userId} and m.created_at < ${options.quietBefore.toISOString()})`,
      ),
    )
    .limit(options.limit);
}

/** Records the digest as sent (in the transaction that queues its email); false if another run took it first. */
export async function claimDigest(db: AnyDb, due: DigestDue, sentAt: Date, lastDigestBefore: Date): Promise<boolean> {
  const p = conversationParticipants;
  const claimed = await db
    .update(p)
    .set({ digestedSeq: due.lastSeq, digestSentAt: sentAt })
    .where(and(eq(p.conversationId, due.conversationId), eq(p.userId, due.userId), recentDigest(lastDigestBefore)))
    .returning({ userId: p.userId });
  return claimed.length > 0;
}
