import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { AppError } from "../lib/errors.ts";

/** JSON bodies above this are refused with 413 before they are read. */
export const JSON_BODY_LIMIT = 256 * 1024;

const jsonLimit = bodyLimit({
  maxSize: JSON_BODY_LIMIT,
  onError: () => {
    throw new AppError("payload_too_large", `Request bodies are limited to ${JSON_BODY_LIMIT / 1024} KiB.`);
  },
});

/** Media types an upload endpoint reads itself (with its own size limit): image or raw bytes, or a multipart form. */
const isUpload = (type: string) => type.startsWith("image/") || type === "application/octet-stream" || type === "multipart/form-data";
/** A chat attachment is a file of any type, read (and limited) by its own endpoint. */
const ATTACHMENT_UPLOAD = /^\/api\/conversations\/[^/]+\/attachments$/;

/**
 * Whether a body stream carries no bytes. It reads at most up to the first non-empty chunk, so an empty
 * chunked body (as a proxy may forward a bodyless POST) counts as no body and a large one is not read.
 */
async function isEmpty(body: ReadableStream<Uint8Array>): Promise<boolean> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      if (value.byteLength > 0) return false;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

/**
 * API bodies are JSON. A request with no body needs no Content-Type, however it says so: no body at
 * all, `Content-Length: 0` (a browser's bodyless fetch, which may add `text/plain`), or an empty
 * chunked stream. A body with bytes in it is refused with 415 unless it is JSON, because Hono's JSON
 * validator would quietly read a text/plain body as `{}`.
 */
export const apiBodies = createMiddleware<AppEnv>(async (c, next) => {
  const body = c.req.raw.body;
  if (body === null) return next();
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) return jsonLimit(c, next);
  if (isUpload(type) || (c.req.method === "POST" && ATTACHMENT_UPLOAD.test(c.req.path))) return next();
  if (c.req.header("Content-Length") === "0" || (await isEmpty(body as ReadableStream<Uint8Array>))) return next();
  throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
});
