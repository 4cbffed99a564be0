import type { LoggedAttachment, SqlExec } from "../data/conversation-log.ts";
import { doomExpiredUploads, forgetDoomedUploads, nextUploadDue, recordUploadExpiry } from "../data/conversation-uploads.ts";
import { AppError } from "../lib/errors.ts";
import { errorFields, log } from "../lib/log.ts";
import type { MediaStore, StoredObject } from "./media.ts";
import { limitBytes } from "./upload-stream.ts";
import type { Upload } from "./image-uploads.ts";
import { PRIVATE_CACHE_CONTROL } from "../lib/cache-control.ts";

/**
 * Chat attachments (issue 19): any type of file, at most 25 MB, stored in R2 under its conversation.
 * The upload stores the bytes; the Conversation object records who uploaded what, and a `send` frame
 * names the files by id. Only the conversation's participants can reach either (the routes check).
 */

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export const attachmentKey = (conversationId: string, attachmentId: string) => `chat/${conversationId}/${attachmentId}`;

const tooLarge = () => new AppError("payload_too_large", `Attachments are limited to ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB.`);

/** Form types describe the request's encoding, not the file inside it. */
const FORM_TYPES = /^(multipart\/|application\/x-www-form-urlencoded$)/;

/** A declared type when it is one (`type/subtype`, parameters dropped), else the generic binary type (a form's type too). */
export function attachmentType(declared: string | undefined): string {
  const type = declared?.split(";")[0]?.trim().toLowerCase() ?? "";
  return !FORM_TYPES.test(type) && /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : "application/octet-stream";
}

/** What a multipart part says of its file: the `filename` of its Content-Disposition and its own Content-Type. */
export function partFile(headers: string): { name: string | undefined; contentType: string | undefined } {
  const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? "";
  const encoded = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
  let name = /filename="([^"]*)"/i.exec(disposition)?.[1] ?? /filename=([^;\s"]+)/i.exec(disposition)?.[1];
  if (encoded) name = decodeURIComponent(encoded);
  return { name: name || undefined, contentType: /^content-type:(.*)$/im.exec(headers)?.[1]?.trim() };
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
    "Cache-Control": PRIVATE_CACHE_CONTROL,
    ETag: etag,
  };
}

/** An upload no message has carried within this long is deleted, bytes and record. */
export const UNSENT_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** The next try after R2 refused a sweep's delete. */
const SWEEP_RETRY_MS = 60_000;
/** Keys one R2 delete call takes. */
const R2_DELETE_LIMIT = 1000;

/** Starts an upload's clock; answers when it expires, which the object's alarm must wake for. */
export function startUploadClock(sql: SqlExec, attachmentId: string, now: number): number {
  const expiresAt = now + UNSENT_UPLOAD_TTL_MS;
  recordUploadExpiry(sql, attachmentId, expiresAt);
  return expiresAt;
}

/**
 * Deletes the uploads that expired unsent (the Conversation object's alarm runs it). Answers when the
 * next sweep is due: the next expiry, a retry after R2 failed, or undefined when nothing waits.
 */
export async function sweepUnsentUploads(sql: SqlExec, store: MediaStore, conversationId: string, now: number): Promise<number | undefined> {
  const due = nextUploadDue(sql);
  if (due === undefined || due > now) return due;
  const doomed = doomExpiredUploads(sql, now).slice(0, R2_DELETE_LIMIT);
  try {
    await store.delete(doomed.map((id) => attachmentKey(conversationId, id)));
  } catch (error) {
    log("warn", "deleting expired chat uploads failed; will retry", { conversationId, count: doomed.length, ...errorFields(error) });
    return now + SWEEP_RETRY_MS;
  }
  forgetDoomedUploads(sql, doomed);
  return nextUploadDue(sql);
}
