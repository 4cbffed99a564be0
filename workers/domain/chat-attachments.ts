import type { LoggedAttachment } from "../data/conversation-log.ts";
import { AppError } from "../lib/errors.ts";
import type { MediaStore, StoredObject } from "./media.ts";
import { limitBytes } from "./upload-stream.ts";
import type { Upload } from "./image-uploads.ts";

/**
 * Chat attachments (issue 19): any type of file, at most 25 MB, stored in R2 under its conversation.
 * The upload stores the bytes; the Conversation object records who uploaded what, and a `send` frame
 * names the files by id. Only the conversation's participants can reach either (the routes check).
 */

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export const attachmentKey = (conversationId: string, attachmentId: string) => `chat/${conversationId}/${attachmentId}`;

const tooLarge = () => new AppError("payload_too_large", `Attachments are limited to ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB.`);

/** A declared type when it is one (`type/subtype`, parameters dropped), else the generic binary type (a form upload's too). */
export function attachmentType(declared: string | undefined): string {
  const type = declared?.split(";")[0]?.trim().toLowerCase() ?? "";
  return !type.startsWith("multipart/") && /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : "application/octet-stream";
}

/** Streams one file into the store under the conversation; a body over the limit stores nothing. */
export async function storeAttachment(store: MediaStore, conversationId: string, upload: Upload, file: { name: string; contentType: string }): Promise<LoggedAttachment> {
  if (upload.declaredBytes !== undefined && upload.declaredBytes > MAX_ATTACHMENT_BYTES) {
    await upload.body.cancel();
    throw tooLarge();
  }
  const id = crypto.randomUUID();
  const limited = upload.body.pipeThrough(limitBytes(MAX_ATTACHMENT_BYTES, tooLarge));
  const key = attachmentKey(conversationId, id);
  const size = await store.put(key, limited, file.contentType);
  if (size === 0) {
    await store.delete([key]);
    throw new AppError("invalid_input", "The file is empty.");
  }
  return { id, name: file.name, size, contentType: file.contentType };
}

/** The bytes of an attachment the object has vouched for; missing bytes are a 404, like an unknown id. */
export async function attachmentFile(store: MediaStore, conversationId: string, attachment: LoggedAttachment | undefined): Promise<StoredObject & { attachment: LoggedAttachment }> {
  const stored = attachment && (await store.get(attachmentKey(conversationId, attachment.id)));
  if (!attachment || !stored) throw new AppError("not_found", "No such attachment.");
  return { ...stored, attachment };
}

/** Headers that make a browser download the file, never render it on our origin (no stored XSS). */
export function downloadHeaders(attachment: LoggedAttachment, etag: string): Record<string, string> {
  return {
    "Content-Type": attachment.contentType,
    "Content-Length": String(attachment.size),
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    ETag: etag,
  };
}
