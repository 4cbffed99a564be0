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

/**
 * API bodies are JSON. Anything else is refused with 415 here, because Hono's JSON validator would
 * quietly read a text/plain body as `{}`.
 */
export const apiBodies = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.raw.body === null) return next();
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) return jsonLimit(c, next);
  if (isUpload(type)) return next();
  throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
});
