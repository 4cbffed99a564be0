import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { z } from "zod";
import type { Context } from "hono";
import { attachmentFile, attachmentType, downloadHeaders, partFile, storeAttachment } from "../domain/chat-attachments.ts";
import { attachmentName, attachmentQuery, conversationStartInput, historyQuery } from "../domain/chat-inputs.ts";
import type { ChatAttachment, ChatMessage } from "../domain/chat-protocol.ts";
import { inboxPage, participantConversation, startConversation } from "../domain/conversations.ts";
import { pageQuery } from "../domain/pagination.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validate.ts";
import { blockInConversation, connectToConversation, conversationHistory, findAttachment, recordAttachment } from "../http/conversations.ts";
import { idParam } from "../http/params.ts";
import type { Upload } from "../domain/image-uploads.ts";
import { multipartPart } from "../domain/upload-stream.ts";
import { noBody } from "../middleware/api-bodies.ts";
import { requireAuth, requireUser } from "../middleware/auth.ts";
import { requireOwnOrigin } from "../middleware/csrf.ts";
import { openMedia } from "../services.ts";
import { uploadOf } from "./images.ts";

export interface HistoryResponse {
  messages: ChatMessage[];
  /** Pass as `before` for the next (older) page; null at the first message. */
  nextBefore: number | null;
}

/** The answer to an upload: name the id in a `send` frame's `attachments`. */
export interface AttachmentResponse {
  attachment: ChatAttachment;
}

/**
 * The upload and its file's name and type: a multipart part's own filename (unless `?name=` gives one)
 * and Content-Type, or the raw body's Content-Type and `?name=`.
 */
async function attachmentUpload(c: Context<AppEnv>, queryName: string | undefined): Promise<{ upload: Upload; file: { name: string; contentType: string } }> {
  const declared = c.req.header("Content-Type");
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(declared ?? "")?.[1];
  const body = c.req.raw.body as ReadableStream<Uint8Array> | null;
  const part = boundary && body ? await multipartPart(body, boundary, "file") : undefined;
  const own = part ? partFile(part.headers) : { name: undefined, contentType: declared };
  const name = attachmentName.safeParse(queryName ?? own.name);
  if (!name.success) throw new AppError("invalid_input", "Name the file: `?name=` or the multipart part's filename (1–200 characters, no slashes or control characters).");
  return { upload: part ? { body: part.body } : uploadOf(c, "file"), file: { name: name.data, contentType: attachmentType(own.contentType) } };
}

const attachmentParam = validate("param", z.object({ id: z.uuid(), attachmentId: z.uuid() }));

/** Chat over HTTP, mounted at `/api/conversations`; the live part is the WebSocket (docs/chat-protocol.md). */
export const conversations = new Hono<AppEnv>()
  .post("/", requireUser, validate("json", conversationStartInput), async (c) =>
    c.json({ conversation: await startConversation(c.var.db, requireAuth(c), c.req.valid("json")) }),
  )
  .get("/", requireUser, validate("query", pageQuery), async (c) => c.json(await inboxPage(c.var.db, requireAuth(c), c.req.valid("query"))))
  .get("/:id/messages", requireUser, idParam, validate("query", historyQuery), async (c) => {
    const { id } = await participantConversation(c.var.db, requireAuth(c), c.req.valid("param").id);
    const { before, limit } = c.req.valid("query");
    const messages = await conversationHistory(c, id, before, limit);
    const oldest = messages.at(-1)?.seq;
    return c.json({ messages, nextBefore: messages.length === limit && oldest !== undefined && oldest > 1 ? oldest : null } satisfies HistoryResponse);
  })
  .post("/:id/block", noBody, requireUser, idParam, async (c) => {
    const { id } = await participantConversation(c.var.db, requireAuth(c), c.req.valid("param").id);
    await blockInConversation(c, id, requireAuth(c).userId, true);
    return c.body(null, 204);
  })
  .delete("/:id/block", noBody, requireUser, idParam, async (c) => {
    const { id } = await participantConversation(c.var.db, requireAuth(c), c.req.valid("param").id);
    await blockInConversation(c, id, requireAuth(c).userId, false);
    return c.body(null, 204);
  })
  .post("/:id/attachments", requireUser, idParam, validate("query", attachmentQuery), async (c) => {
    const { id } = await participantConversation(c.var.db, requireAuth(c), c.req.valid("param").id);
    const { upload, file } = await attachmentUpload(c, c.req.valid("query").name);
    const attachment = await storeAttachment(openMedia(c.env).store, id, upload, file);
    await recordAttachment(c, id, requireAuth(c).userId, attachment);
    return c.json({ attachment } satisfies AttachmentResponse, 201);
  })
  .get("/:id/attachments/:attachmentId", requireUser, attachmentParam, async (c) => {
    const { id: conversationId, attachmentId } = c.req.valid("param");
    const { id } = await participantConversation(c.var.db, requireAuth(c), conversationId);
    const stored = await attachmentFile(openMedia(c.env).store, id, await findAttachment(c, id, requireAuth(c).userId, attachmentId));
    return new Response(stored.body, { headers: downloadHeaders(stored.attachment, stored.etag) });
  })
  .get("/:id/ws", idParam, async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new AppError("invalid_input", "This endpoint takes a WebSocket upgrade.");
    requireOwnOrigin(c);
    const { id } = await participantConversation(c.var.db, c.var.auth, c.req.valid("param").id);
    return connectToConversation(c, id, requireAuth(c).userId);
  });
