import { aliasedTable, and, eq, gt, lt, ne, or, sql } from "drizzle-orm";
import type { AnyDb, HttpDb } from "./db.ts";
import { after, newestFirst, type Key } from "./keyset.ts";
import { conversationListings, conversationParticipants, conversations, messages, sellerProfiles, users } from "./schema/index.ts";

export interface ConversationRow {
  id: string;
  buyerId: string;
  sellerId: string;
}

const conversationColumns = { id: conversations.id, buyerId: conversations.buyerId, sellerId: conversations.sellerId };

export async function findConversation(db: AnyDb, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db.select(conversationColumns).from(conversations).where(eq(conversations.id, id));
  return row;
}

/**
 * The pair's conversation, made on first contact (both participants join it), and the listing linked
 * to it. Safe under races: the pair's unique index lets one insert win and the other read its row.
 */
export async function openPairConversation(db: AnyDb, pair: { buyerId: string; sellerId: string; listingId: string | null }): Promise<ConversationRow> {
  const [created] = await db
    .insert(conversations)
    .values({ buyerId: pair.buyerId, sellerId: pair.sellerId, listingId: pair.listingId, lastMessageAt: sql`now()` })
    .onConflictDoNothing()
    .returning(conversationColumns);
  const conversation =
    created ??
    (await db.select(conversationColumns).from(conversations).where(and(eq(conversations.buyerId, pair.buyerId), eq(conversations.sellerId, pair.sellerId))))[0];
  if (!conversation) throw new Error("the pair's conversation vanished between insert and read");
  if (created) {
    await db.insert(conversationParticipants).values([
      { conversationId: created.id, userId: pair.buyerId, role: "buyer", lastMessageAt: sql`now()` },
      { conversationId: created.id, userId: pair.sellerId, role: "seller", lastMessageAt: sql`now()` },
    ]);
  }
  if (pair.listingId) await db.insert(conversationListings).values({ conversationId: conversation.id, listingId: pair.listingId }).onConflictDoNothing();
  return conversation;
}

export interface InboxRow {
  id: string;
  otherUserId: string;
  otherName: string;
  otherUsername: string | null;
  lastSeq: number;
  lastReadSeq: number;
  lastMessagePreview: string | null;
  lastMessageAt: Date;
  unread: number;
}

/** A user's conversations, most recent activity first, one index range per page (limit + 1 rows). */
export async function listInbox(db: AnyDb, userId: string, options: { after?: Key; limit: number }): Promise<InboxRow[]> {
  const mine = conversationParticipants;
  const other = aliasedTable(conversationParticipants, "other");
  return db
    .select({
      id: mine.conversationId,
      otherUserId: other.userId,
      otherName: sql<string>`coalesce(${sellerProfiles.displayName}, ${users.name})`,
      otherUsername: sellerProfiles.username,
      lastSeq: conversations.lastSeq,
      lastReadSeq: mine.lastReadSeq,
      lastMessagePreview: conversations.lastMessagePreview,
      lastMessageAt: sql<Date>`${mine.lastMessageAt}`.mapWith(mine.lastMessageAt),
      unread: sql<number>`(select count(*) from ${messages} m where m.conversation_id = ${mine.conversationId}
        and m.seq > ${mine.lastReadSeq} and m.sender_id <> ${userId})`.mapWith(Number),
    })
    .from(mine)
    .innerJoin(conversations, eq(conversations.id, mine.conversationId))
    .innerJoin(other, and(eq(other.conversationId, mine.conversationId), ne(other.userId, userId)))
    .innerJoin(users, eq(users.id, other.userId))
    .leftJoin(sellerProfiles, and(eq(sellerProfiles.userId, other.userId), eq(other.role, "seller")))
    // A conversation a buyer opened but never wrote in is not yet in the seller's inbox.
    .where(and(eq(mine.userId, userId), or(gt(conversations.lastSeq, 0), eq(mine.role, "buyer")), after(mine.lastMessageAt, mine.conversationId, options.after)))
    .orderBy(...newestFirst(mine.lastMessageAt, mine.conversationId))
    .limit(options.limit + 1);
}

export interface BehindMessage {
  seq: number;
  clientId: string;
  senderId: string;
  body: string;
  attachments: { id: string; name: string; size: number; contentType: string }[];
  flagged: boolean;
  at: Date;
}

/**
 * Writes a batch from the object's log into Postgres as one transaction in one HTTP round trip (the
 * Conversation object opens no Pool: a Pool's SCRAM handshake runs in the isolate and stalls every
 * socket it serves). Idempotent: a message already there (same conversation and sequence) is skipped,
 * and the summaries only ever move forward, so an alarm that runs twice, or a batch retried after a
 * lost answer, changes nothing.
 */
export async function writeBehind(db: HttpDb, conversationId: string, batch: BehindMessage[], reads: { userId: string; seq: number }[]): Promise<void> {
  const participant = (userId?: string) =>
    and(eq(conversationParticipants.conversationId, conversationId), userId === undefined ? undefined : eq(conversationParticipants.userId, userId));
  const readUpdates = reads.map((read) =>
    db
      .update(conversationParticipants)
      .set({ lastReadSeq: sql`greatest(${conversationParticipants.lastReadSeq}, ${read.seq})` })
      .where(participant(read.userId)),
  );
  const newest = batch.at(-1);
  const messageWrites = newest
    ? [
        db
          .insert(messages)
          .values(batch.map((message) => ({ conversationId, ...message, createdAt: message.at })))
          .onConflictDoNothing(),
        db
          .update(conversations)
          .set({ lastSeq: newest.seq, lastMessageAt: newest.at, lastMessagePreview: newest.body.slice(0, 140) })
          .where(and(eq(conversations.id, conversationId), lt(conversations.lastSeq, newest.seq))),
        db
          .update(conversationParticipants)
          .set({ lastMessageAt: newest.at })
          .where(and(participant(), or(lt(conversationParticipants.lastMessageAt, newest.at), sql`${conversationParticipants.lastMessageAt} is null`))),
      ]
    : [];
  const [first, ...rest] = [...messageWrites, ...readUpdates];
  if (first) await db.batch([first, ...rest]);
}
