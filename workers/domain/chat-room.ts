import {
  addAttachment,
  appendMessage,
  createLogTables,
  getMeta,
  hasBlocked,
  lastSeq,
  messageByClientId,
  messagesAfter,
  messagesBefore,
  raiseRead,
  readPositions,
  senderBlocked,
  setBlock,
  unsentAttachment,
  visibleAttachment,
  setMeta,
  type LoggedAttachment,
  type LoggedMessage,
  type SqlExec,
} from "../data/conversation-log.ts";
import { parseClientFrame, type ChatMessage, type ParsedClientFrame, type ServerFrame } from "./chat-protocol.ts";

/**
 * The rules of one conversation's live room, run by the Conversation object: sequence numbers, acks,
 * resends, resume, read receipts, typing and presence. The object supplies its storage and sockets.
 */

/** One connected socket, as the room sees it. */
export interface Peer {
  userId: string;
  send(frame: ServerFrame): void;
  /** A frame already encoded: a broadcast encodes once for every socket. */
  sendEncoded(text: string): void;
}

export interface Room {
  sql: SqlExec;
  /** Every connected socket of both parties, this one included. */
  peers(): Peer[];
  limiter: FloodLimit;
  now(): number;
  /** Called after anything that must be written behind to Postgres. */
  scheduleFlush(): void;
}

/** Set by the Worker on the upgrade it hands to the object, after authenticating it (never the client's). */
export const CHAT_USER_HEADER = "X-Chat-User";
export const CHAT_CONVERSATION_HEADER = "X-Chat-Conversation";

export { addAttachment, createLogTables as openLog, getMeta as readMeta, hasBlocked, setMeta as writeMeta, setBlock, visibleAttachment };

/** History pages: before `before` (the newest when undefined), newest first. */
export function chatHistory(sql: SqlExec, before: number | undefined, limit: number): ChatMessage[] {
  return messagesBefore(sql, before ?? Number.MAX_SAFE_INTEGER, limit).map(messageView);
}

/** Messages a resume sends per query, so a long gap does not load the whole log at once. */
const RESUME_CHUNK = 200;

export const messageView = (message: LoggedMessage): ChatMessage => ({
  seq: message.seq,
  clientId: message.clientId,
  senderId: message.senderId,
  body: message.body,
  at: new Date(message.at).toISOString(),
  attachments: message.attachments,
});

/**
 * A per-user flood limit kept in the object's memory: at most `limit` sends in any `windowMs`. A
 * hibernated object forgets it, which is fine: hibernation means nobody was sending.
 */
export class FloodLimit {
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly limit = 20,
    readonly windowMs = 10_000,
  ) {}

  allow(userId: string, now: number): boolean {
    const recent = (this.sent.get(userId) ?? []).filter((at) => at > now - this.windowMs);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    this.sent.set(userId, recent);
    return allowed;
  }
}

/** Handles one incoming frame from a participant's socket. */
export function receiveFrame(room: Room, from: Peer, data: string | ArrayBuffer): void {
  const parsed = parseClientFrame(data);
  if (!parsed.ok) return from.send(parsed.error);
  handle(room, from, parsed.frame);
}

function handle(room: Room, from: Peer, frame: ParsedClientFrame): void {
  switch (frame.type) {
    case "resume":
      return resume(room, from, frame.lastSeq);
    case "send":
      return send(room, from, frame);
    case "read":
      return markRead(room, from.userId, Math.min(frame.seq, lastSeq(room.sql)));
    case "typing":
      return broadcast(room, { type: "typing", userId: from.userId }, (peer) => peer.userId !== from.userId);
  }
}

function resume(room: Room, from: Peer, after: number): void {
  let seq = after;
  for (;;) {
    const batch = messagesAfter(room.sql, seq, RESUME_CHUNK);
    for (const message of batch) from.send({ type: "message", message: messageView(message) });
    if (batch.length < RESUME_CHUNK) break;
    seq = batch.at(-1)?.seq ?? seq;
  }
  from.send({ type: "resumed", lastSeq: lastSeq(room.sql), reads: readPositions(room.sql) });
}

/** Stored before it is acknowledged, then fanned out to every socket of both parties. */
function send(room: Room, from: Peer, { clientId, body, attachments: ids }: Extract<ParsedClientFrame, { type: "send" }>): void {
  const earlier = messageByClientId(room.sql, clientId);
  if (earlier) {
    if (earlier.senderId === from.userId) return from.send({ type: "ack", clientId, seq: earlier.seq });
    return from.send({ type: "error", code: "invalid_frame", message: "This clientId is already used; generate a new one.", clientId });
  }
  if (senderBlocked(room.sql, from.userId)) {
    return from.send({ type: "error", code: "blocked", message: "You cannot send messages in this conversation.", clientId });
  }
  if (!room.limiter.allow(from.userId, room.now())) {
    return from.send({ type: "error", code: "rate_limited", message: "You are sending too fast; this message was not sent. Try again in a few seconds.", clientId });
  }
  const attachments = ids.map((id) => unsentAttachment(room.sql, from.userId, id));
  if (!attachments.every((attachment): attachment is LoggedAttachment => attachment !== undefined)) {
    return from.send({ type: "error", code: "invalid_frame", message: "An attachment is not one you uploaded to this conversation, or was already sent.", clientId });
  }
  const message = appendMessage(room.sql, { clientId, senderId: from.userId, body, at: room.now(), attachments });
  raiseRead(room.sql, from.userId, message.seq);
  room.scheduleFlush();
  from.send({ type: "ack", clientId, seq: message.seq });
  broadcast(room, { type: "message", message: messageView(message) });
}

function markRead(room: Room, userId: string, seq: number): void {
  if (!raiseRead(room.sql, userId, seq)) return;
  room.scheduleFlush();
  broadcast(room, { type: "read", userId, seq });
}

/** Presence: a user is online while any of their sockets is; others hear only the first and last. */
export function joined(room: Room, peer: Peer): void {
  const others = room.peers().filter((other) => other !== peer);
  for (const userId of new Set(others.map((other) => other.userId))) {
    if (userId !== peer.userId) peer.send({ type: "presence", userId, online: true });
  }
  if (!others.some((other) => other.userId === peer.userId)) {
    for (const other of others) other.send({ type: "presence", userId: peer.userId, online: true });
  }
}

/** `remaining` are the sockets still open after this one closed. */
export function left(room: Room, userId: string): void {
  const remaining = room.peers();
  if (remaining.some((peer) => peer.userId === userId)) return;
  for (const peer of remaining) peer.send({ type: "presence", userId, online: false });
}

function broadcast(room: Room, frame: ServerFrame, to: (peer: Peer) => boolean = () => true): void {
  const text = JSON.stringify(frame);
  for (const peer of room.peers()) if (to(peer)) peer.sendEncoded(text);
}
