import { DurableObject } from "cloudflare:workers";
import { startUploadClock, sweepUnsentUploads } from "../workers/domain/chat-attachments.ts";
import { behindRetryMs, flushBehind } from "../workers/domain/chat-behind.ts";
import type { ChatAttachment, ChatMessage, ServerFrame } from "../workers/domain/chat-protocol.ts";
import {
  CHAT_CONVERSATION_HEADER,
  CHAT_USER_HEADER,
  chatHistory,
  addAttachment,
  FloodLimit,
  hasBlocked,
  joined,
  left,
  openLog,
  readMeta,
  receiveFrame,
  setBlock,
  visibleAttachment,
  writeMeta,
  type Peer,
  type Room,
} from "../workers/domain/chat-room.ts";
import { readConfig } from "../workers/lib/config.ts";
import { errorFields, log } from "../workers/lib/log.ts";
import { openMedia, openStores } from "../workers/services.ts";

/** Kept on each socket across hibernation (at most 16 KB): who is on the other end. */
interface Attachment {
  userId: string;
}

/**
 * Defined only in the bundle `bench/chat.ts` builds (`wrangler deploy --dry-run --define`), so it can
 * measure one conversation's saturation past the per-user flood limit; no deployed build defines it.
 */
declare const BENCH_CHAT_FLOOD_LIMIT: number | undefined;

/**
 * Messages written within this window go to Postgres in one batch. Each batch costs the object an HTTP
 * round trip and a storage commit (measured: about as much CPU as the send itself), so a busy
 * conversation writes behind once a second rather than after nearly every message.
 */
const BEHIND_DELAY_MS = 1000;

/**
 * One object per conversation: the message log (its SQLite), the sockets of both parties (hibernating,
 * so an idle conversation costs nothing) and the write-behind to Postgres. The Worker authenticates
 * every upgrade and checks participation before it reaches `fetch`; the rules live in the domain.
 */
export class Conversation extends DurableObject<Env> {
  private readonly limiter = typeof BENCH_CHAT_FLOOD_LIMIT === "number" ? new FloodLimit(BENCH_CHAT_FLOOD_LIMIT) : new FloodLimit();
  /** Set once an alarm is known to be due within BEHIND_DELAY_MS, so a busy conversation does not ask storage on every message. */
  private flushScheduled = false;
  /** One Peer per socket, so the room can tell sockets apart by identity. */
  private readonly peers = new WeakMap<WebSocket, Peer>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    openLog(ctx.storage.sql);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Only the Worker calls this, with the identity it authenticated (see workers/http/conversations.ts). */
  override fetch(request: Request): Response {
    const userId = request.headers.get(CHAT_USER_HEADER);
    const conversationId = request.headers.get(CHAT_CONVERSATION_HEADER);
    if (request.headers.get("Upgrade") !== "websocket" || !userId || !conversationId) return new Response("Expected a WebSocket upgrade", { status: 426 });
    writeMeta(this.ctx.storage.sql, "conversation_id", conversationId);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [userId]);
    server.serializeAttachment({ userId } satisfies Attachment);
    joined(this.room(), this.peer(server));
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    receiveFrame(this.room(), this.peer(ws), data);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.gone(ws);
    // 1005/1006 are not codes a close frame may carry.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
  }

  override webSocketError(ws: WebSocket): void {
    this.gone(ws);
  }

  /** History pages over HTTP: messages before `before` (or the newest), newest first. */
  history(before: number | undefined, limit: number): ChatMessage[] {
    return chatHistory(this.ctx.storage.sql, before, limit);
  }

  /** A participant blocks (or unblocks) the other party: the other party's sends are refused. */
  block(blockerId: string, blocked: boolean): void {
    setBlock(this.ctx.storage.sql, blockerId, blocked);
  }

  /** Whether this participant has blocked the other party (the conversation page's Block/Unblock button). */
  blocking(userId: string): boolean {
    return hasBlocked(this.ctx.storage.sql, userId);
  }

  /**
   * Records a file a participant uploaded (its bytes are already in R2), for one of their sends to carry;
   * the alarm deletes it if no send has carried it within a day.
   */
  async attach(conversationId: string, uploaderId: string, attachment: ChatAttachment): Promise<void> {
    const sql = this.ctx.storage.sql;
    writeMeta(sql, "conversation_id", conversationId);
    addAttachment(sql, uploaderId, attachment);
    await this.wakeBy(startUploadClock(sql, attachment.id, Date.now()));
  }

  /** A file this participant may download: one sent in a message, or their own upload. */
  attachment(userId: string, attachmentId: string): ChatAttachment | null {
    return visibleAttachment(this.ctx.storage.sql, userId, attachmentId) ?? null;
  }

  /** Writes the log behind to Postgres and deletes expired unsent uploads, then wakes for whichever is due next. */
  override async alarm(): Promise<void> {
    this.flushScheduled = false;
    const sql = this.ctx.storage.sql;
    const conversationId = readMeta(sql, "conversation_id");
    if (!conversationId) return;
    const due = [await this.writeBehind(conversationId), await sweepUnsentUploads(sql, openMedia(this.env).store, conversationId, Date.now())];
    const next = Math.min(...due.filter((at) => at !== undefined));
    if (Number.isFinite(next)) await this.wakeBy(next);
  }

  /** One batch to Postgres; answers when the next is due (now for more, later after a failure, else undefined). */
  private async writeBehind(conversationId: string): Promise<number | undefined> {
    const sql = this.ctx.storage.sql;
    const { db } = openStores(readConfig(this.env), { preferPrimary: true });
    try {
      const result = await flushBehind(db, sql, conversationId);
      if (readMeta(sql, "behind_failures") !== "0") writeMeta(sql, "behind_failures", "0");
      return result === "more" ? Date.now() : undefined;
    } catch (error) {
      const failures = Number(readMeta(sql, "behind_failures") ?? 0) + 1;
      writeMeta(sql, "behind_failures", String(failures));
      log("warn", "chat write-behind failed; will retry", { conversationId, failures, ...errorFields(error) });
      return Date.now() + behindRetryMs(failures);
    } finally {
      await db.close().catch((error: unknown) => log("warn", "closing the chat write-behind pool failed", errorFields(error)));
    }
  }

  private gone(ws: WebSocket): void {
    const { userId } = ws.deserializeAttachment() as Attachment;
    left(this.room(ws), userId);
  }

  private peer(ws: WebSocket): Peer {
    const known = this.peers.get(ws);
    if (known) return known;
    const { userId } = ws.deserializeAttachment() as Attachment;
    const sendEncoded = (text: string) => {
      try {
        ws.send(text);
      } catch {
        // The socket closed meanwhile; its client resumes from its last sequence when it reconnects.
      }
    };
    const peer: Peer = { userId, sendEncoded, send: (frame: ServerFrame) => sendEncoded(JSON.stringify(frame)) };
    this.peers.set(ws, peer);
    return peer;
  }

  /** The room over this object's storage and open sockets (`closing` is left out). */
  private room(closing?: WebSocket): Room {
    return {
      sql: this.ctx.storage.sql,
      peers: () => this.ctx.getWebSockets().filter((ws) => ws !== closing && ws.readyState === WebSocket.OPEN).map((ws) => this.peer(ws)),
      limiter: this.limiter,
      now: () => Date.now(),
      scheduleFlush: () => void this.scheduleFlush(),
    };
  }

  private async scheduleFlush(): Promise<void> {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    await this.wakeBy(Date.now() + BEHIND_DELAY_MS);
  }

  /** One alarm serves every job: it is moved earlier when a job is due sooner, never later. */
  private async wakeBy(at: number): Promise<void> {
    const pending = await this.ctx.storage.getAlarm();
    if (pending === null || pending > at) await this.ctx.storage.setAlarm(at);
  }
}
