import * as z from "zod/mini";

/**
 * The chat frame protocol (docs/chat-protocol.md): one schema per direction, shared by the Conversation
 * object and the browser client. Every incoming frame is parsed by these schemas, never cast. Written
 * with zod's tree-shakable "mini" API, so the browser's bundle carries about 8 KB of zod, not 95 KB.
 */

/** Frames over this many bytes are refused with an error frame before they are parsed. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** A message body's limit in characters (the Postgres check allows some headroom above it). */
export const MAX_BODY_CHARS = 4000;
/** Files one message may carry (uploaded first with `POST /api/conversations/:id/attachments`). */
export const MAX_ATTACHMENTS = 5;

const seq = z.int().check(z.minimum(0));
const clientId = z.string().check(z.minLength(1), z.maxLength(64));

export const clientFrame = z.discriminatedUnion("type", [
  /** Send me every message after `lastSeq`, in order (0 on a first connect). */
  z.object({ type: z.literal("resume"), lastSeq: seq }),
  /** A new message; a resend with the same clientId is answered with the original ack. Text, files or both. */
  z
    .object({
      type: z.literal("send"),
      clientId,
      body: z.string().check(z.trim(), z.maxLength(MAX_BODY_CHARS)),
      attachments: z._default(z.array(z.uuid()).check(z.maxLength(MAX_ATTACHMENTS)), []),
    })
    .check(
      z.refine((send) => send.body.length > 0 || send.attachments.length > 0, { message: "A message needs a body or an attachment.", path: ["body"] }),
      z.refine((send) => new Set(send.attachments).size === send.attachments.length, { message: "An attachment is named twice.", path: ["attachments"] }),
    ),
  /** I have read everything up to and including `seq`. */
  z.object({ type: z.literal("read"), seq }),
  z.object({ type: z.literal("typing") }),
]);
/** A frame as a client writes it (optional fields may be left out)… */
export type ClientFrame = z.input<typeof clientFrame>;
/** …and as the object handles it, defaults filled in. */
export type ParsedClientFrame = z.output<typeof clientFrame>;

/** A file a message carries; its bytes are at `GET /api/conversations/:id/attachments/:attachmentId`. */
export const chatAttachment = z.object({ id: z.uuid(), name: z.string(), size: z.int(), contentType: z.string() });
export type ChatAttachment = z.infer<typeof chatAttachment>;

/** A stored message as both the socket and the HTTP history show it. */
export const chatMessage = z.object({
  seq: seq,
  clientId,
  senderId: z.string(),
  body: z.string(),
  /** ISO 8601 time the object stored it. */
  at: z.string(),
  attachments: z.array(chatAttachment),
});
export type ChatMessage = z.infer<typeof chatMessage>;

export const ERROR_FRAME_CODES = ["invalid_frame", "frame_too_large", "rate_limited", "blocked"] as const;

export const serverFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ack"), clientId, seq }),
  z.object({ type: z.literal("message"), message: chatMessage }),
  /** Sent after a resume's missed messages: `lastSeq` is the conversation's newest sequence. */
  z.object({ type: z.literal("resumed"), lastSeq: seq, reads: z.record(z.string(), seq) }),
  z.object({ type: z.literal("read"), userId: z.string(), seq }),
  z.object({ type: z.literal("typing"), userId: z.string() }),
  z.object({ type: z.literal("presence"), userId: z.string(), online: z.boolean() }),
  /** The frame that caused it is named by `clientId` when it was a send. */
  z.object({ type: z.literal("error"), code: z.enum(ERROR_FRAME_CODES), message: z.string(), clientId: z.optional(clientId) }),
]);
export type ServerFrame = z.infer<typeof serverFrame>;

export type ParsedFrame = { ok: true; frame: ParsedClientFrame } | { ok: false; error: Extract<ServerFrame, { type: "error" }> };

const encoder = new TextEncoder();

/** Whether a frame is over the limit; UTF-8 takes at most 3 bytes per UTF-16 unit, so most frames need no encoding to tell. */
function oversized(data: string | ArrayBuffer): boolean {
  if (typeof data !== "string") return data.byteLength > MAX_FRAME_BYTES;
  return data.length * 3 > MAX_FRAME_BYTES && encoder.encode(data).byteLength > MAX_FRAME_BYTES;
}

/** Parses one incoming WebSocket frame: its size first, then JSON, then the schema. */
export function parseClientFrame(data: string | ArrayBuffer): ParsedFrame {
  if (oversized(data)) return refuse("frame_too_large", `Frames are limited to ${MAX_FRAME_BYTES} bytes.`);
  if (typeof data !== "string") return refuse("invalid_frame", "Frames are JSON text.");
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return refuse("invalid_frame", "Frames are JSON text.");
  }
  const parsed = clientFrame.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const sentId = (raw as { clientId?: unknown } | null)?.clientId;
  const error = refuse("invalid_frame", parsed.error.issues.map((issue) => `${issue.path.join(".") || "frame"}: ${issue.message}`).join("; "));
  if (!error.ok && typeof sentId === "string" && clientId.safeParse(sentId).success) error.error.clientId = sentId;
  return error;
}

function refuse(code: (typeof ERROR_FRAME_CODES)[number], message: string): ParsedFrame {
  return { ok: false, error: { type: "error", code, message } };
}
