import * as z from "zod/mini";
import { chatAttachment, serverFrame, type ChatAttachment, type ClientFrame, type ServerFrame } from "../../workers/domain/chat-protocol.ts";

/**
 * The browser's side of the chat protocol (docs/chat-protocol.md), without the page: one socket that
 * reconnects with jittered exponential backoff, resumes from the last sequence it saw, and resends
 * every unacknowledged message with its original client id (kept in localStorage, so messages typed
 * offline survive a reload). Every frame from the server is parsed by the shared schema.
 */

export interface PendingMessage {
  clientId: string;
  body: string;
  /** Already uploaded; the send names them by id. */
  attachments: ChatAttachment[];
}

const sendFrame = (message: PendingMessage): ClientFrame => ({
  type: "send",
  clientId: message.clientId,
  body: message.body,
  attachments: message.attachments.map((attachment) => attachment.id),
});

export interface ConnectionEvents {
  frame(frame: ServerFrame): void;
  status(state: "connecting" | "online" | "offline", retryInMs?: number): void;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const PING_EVERY_MS = 25_000;
const RATE_LIMITED_RETRY_MS = 3000;

/** "Full jitter": a random wait up to the exponential ceiling, so a deploy's disconnects do not reconnect in lockstep. */
export function reconnectDelay(attempt: number, random = Math.random()): number {
  return Math.round(random * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

export class ChatConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private ready = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly pending: PendingMessage[];
  private readonly url: string;
  private lastSeq: number;
  private readonly storageKey: string;
  private readonly events: ConnectionEvents;

  constructor(url: string, lastSeq: number, storageKey: string, events: ConnectionEvents) {
    this.url = url;
    this.lastSeq = lastSeq;
    this.storageKey = storageKey;
    this.events = events;
    this.pending = loadPending(storageKey);
    addEventListener("online", () => this.reconnectNow());
    // The browser knows the network went away before the socket does: drop it and queue sends meanwhile.
    addEventListener("offline", () => this.socket?.close());
  }

  /** Messages typed but not yet acknowledged, oldest first. */
  get unacknowledged(): readonly PendingMessage[] {
    return this.pending;
  }

  connect(): void {
    this.events.status("connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.send({ type: "resume", lastSeq: this.lastSeq });
      this.pingTimer = setInterval(() => socket.send("ping"), PING_EVERY_MS);
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => this.closed(socket));
  }

  /** Queues a new message: sent now when connected, otherwise when the connection is back. */
  post(body: string, attachments: ChatAttachment[] = []): PendingMessage {
    const message = { clientId: crypto.randomUUID(), body, attachments };
    this.pending.push(message);
    this.save();
    if (this.ready) this.send(sendFrame(message));
    return message;
  }

  send(frame: ClientFrame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Drops the socket as a network loss would (the page's "offline" handling, and tests). */
  reconnectNow(): void {
    clearTimeout(this.retryTimer);
    if (this.socket && this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    else this.connect();
  }

  private receive(data: unknown): void {
    if (data === "pong" || typeof data !== "string") return;
    const parsed = serverFrame.safeParse(safeJson(data));
    if (!parsed.success) return;
    const frame = parsed.data;
    if (frame.type === "message") this.lastSeq = Math.max(this.lastSeq, frame.message.seq);
    if (frame.type === "ack") this.acknowledged(frame.clientId);
    if (frame.type === "error" && frame.code === "rate_limited" && frame.clientId) this.resendLater(frame.clientId);
    if (frame.type === "resumed") {
      this.lastSeq = Math.max(this.lastSeq, frame.lastSeq);
      this.ready = true;
      for (const message of this.pending) this.send(sendFrame(message));
    }
    this.events.frame(frame);
  }

  private acknowledged(clientId: string): void {
    const index = this.pending.findIndex((message) => message.clientId === clientId);
    if (index >= 0) this.pending.splice(index, 1);
    this.save();
  }

  /** A send refused by the flood limit stays pending and goes again a little later. */
  private resendLater(clientId: string): void {
    setTimeout(() => {
      const message = this.pending.find((item) => item.clientId === clientId);
      if (message && this.ready) this.send(sendFrame(message));
    }, RATE_LIMITED_RETRY_MS);
  }

  private closed(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.ready = false;
    clearInterval(this.pingTimer);
    const delay = reconnectDelay(this.attempt++);
    this.events.status("offline", delay);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private save(): void {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.pending));
    } catch {
      // Private browsing or a full quota: the outbox lives on in memory for this page.
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const storedOutbox = z.array(z.object({ clientId: z.string(), body: z.string(), attachments: z._default(z.array(chatAttachment), []) }));

function loadPending(key: string): PendingMessage[] {
  return storedOutbox.safeParse(safeJson(localStorage.getItem(key) ?? "[]")).data ?? [];
}
