import { findConversation, listInbox, openPairConversation, type ConversationRow, type InboxRow } from "../data/chat.ts";
import type { Db } from "../data/db.ts";
import { findListingRow } from "../data/listing-reads.ts";
import { findUserWithProfile } from "../data/users.ts";
import { findPublicSeller } from "../data/sellers.ts";
import { AppError } from "../lib/errors.ts";
import { authorize } from "./access.ts";
import type { ConversationStartInput } from "./chat-inputs.ts";
import { decodeCursor, toPage, type Page } from "./pagination.ts";
import type { AccessClaims } from "./tokens.ts";

/** Conversations as the HTTP API sees them: starting one, the inbox, and who may join one. */

export interface ConversationJson {
  id: string;
  buyerId: string;
  sellerId: string;
}

export interface InboxItemJson {
  id: string;
  otherParty: { id: string; name: string; username: string | null };
  lastMessage: { seq: number; preview: string } | null;
  lastActivityAt: string;
  unreadCount: number;
}

export type InboxPage = Page<InboxItemJson>;
export interface ConversationResponse {
  conversation: ConversationJson;
}

const conversationView = (row: ConversationRow): ConversationJson => ({ id: row.id, buyerId: row.buyerId, sellerId: row.sellerId });

const inboxItemView = (row: InboxRow): InboxItemJson => ({
  id: row.id,
  otherParty: { id: row.otherUserId, name: row.otherName, username: row.otherUsername },
  lastMessage: row.lastSeq > 0 && row.lastMessagePreview !== null ? { seq: row.lastSeq, preview: row.lastMessagePreview } : null,
  lastActivityAt: row.lastMessageAt.toISOString(),
  unreadCount: row.unread,
});

/** The seller a Contact button leads to, and the listing it was pressed on. */
async function contactTarget(db: Db, input: ConversationStartInput): Promise<{ sellerId: string; listingId: string | null }> {
  if ("listingId" in input) {
    const listing = await findListingRow(db.read, input.listingId);
    if (!listing || listing.status !== "active") throw new AppError("not_found", "No such listing.");
    return { sellerId: listing.sellerId, listingId: listing.id };
  }
  const seller = await findPublicSeller(db.read, input.sellerUsername);
  if (!seller) throw new AppError("not_found", "No such seller.");
  return { sellerId: seller.userId, listingId: null };
}

/** The caller's conversation with that seller, made on first contact; one per buyer and seller pair. */
export async function startConversation(db: Db, actor: AccessClaims, input: ConversationStartInput): Promise<ConversationJson> {
  const target = await contactTarget(db, input);
  if (target.sellerId === actor.userId) throw new AppError("rule_violation", "You cannot start a conversation with yourself.");
  const row = await db.transaction((tx) => openPairConversation(tx, { buyerId: actor.userId, sellerId: target.sellerId, listingId: target.listingId }));
  return conversationView(row);
}

export async function inboxPage(db: Db, actor: AccessClaims, page: { cursor?: string | undefined; limit: number }): Promise<InboxPage> {
  const rows = await listInbox(db.read, actor.userId, { after: decodeCursor(page.cursor), limit: page.limit });
  const result = toPage(rows, page.limit, (row) => ({ at: row.lastMessageAt, id: row.id }));
  return { items: result.items.map(inboxItemView), nextCursor: result.nextCursor };
}

/**
 * The conversation, if the caller may take part in it (its socket and its history): only its two
 * parties. Everyone else learns nothing, not even that it exists (404).
 */
export async function participantConversation(db: Db, actor: AccessClaims | null, id: string): Promise<ConversationJson> {
  const row = await findConversation(db.read, id);
  if (!row) throw new AppError(actor ? "not_found" : "unauthenticated", actor ? "No such conversation." : "Sign in to continue.");
  authorize(actor, "change", { kind: "conversation", participantIds: [row.buyerId, row.sellerId] });
  return conversationView(row);
}

export interface ConversationHeader {
  conversation: ConversationJson;
  me: string;
  otherParty: { id: string; name: string; username: string | null };
}

/** The conversation page's heading: the caller's conversation and who is on the other side. */
export async function conversationHeader(db: Db, actor: AccessClaims, id: string): Promise<ConversationHeader> {
  const conversation = await participantConversation(db, actor, id);
  const otherId = conversation.buyerId === actor.userId ? conversation.sellerId : conversation.buyerId;
  const other = await findUserWithProfile(db.read, otherId);
  const name = other?.profile?.displayName ?? other?.user.name ?? "Former member";
  return { conversation, me: actor.userId, otherParty: { id: otherId, name, username: other?.profile?.username ?? null } };
}
