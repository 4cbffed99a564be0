import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { PatternRouter } from "hono/router/pattern-router";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { ACCEPTED_TYPES } from "../domain/image-formats.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validate.ts";

/** JSON bodies above this are refused with 413 before they are read. */
export const JSON_BODY_LIMIT = 256 * 1024;

const jsonLimit = bodyLimit({
  maxSize: JSON_BODY_LIMIT,
  onError: () => {
    throw new AppError("payload_too_large", `Request bodies are limited to ${JSON_BODY_LIMIT / 1024} KiB.`);
  },
});

/** Media types a photo upload reads itself (with its own size limit): image or raw bytes, or a multipart form. */
const isPhotoType = (type: string) => type.startsWith("image/") || type === "application/octet-stream" || type === "multipart/form-data";

/**
 * How an upload endpoint takes its body, instead of JSON: `photo` takes image bytes or a multipart form
 * and tells any other body how to send a photo; `file` takes any type (a chat attachment). Either reads
 * and limits the body itself.
 */
type UploadBody = "photo" | "file";

/** Every API endpoint whose body is not JSON, with how it takes it: the one list the body gate reads. */
export const UPLOAD_ROUTES: readonly { path: string; body: UploadBody }[] = [
  { path: "/api/listings/:id/images", body: "photo" },
  { path: "/api/seller/avatar", body: "photo" },
  { path: "/api/conversations/:id/attachments", body: "file" },
];

const uploadRoutes = new PatternRouter<UploadBody>();
for (const route of UPLOAD_ROUTES) uploadRoutes.add("POST", route.path, route.body);

/** The request's upload policy, when it is a POST to an upload endpoint. */
const uploadBodyOf = (c: Context<AppEnv>): UploadBody | undefined => uploadRoutes.match(c.req.method, c.req.path)[0][0]?.[0];

/**
 * Whether a body stream carries no bytes. It reads at most up to the first non-empty chunk, so an empty
 * chunked body (as a proxy may forward a bodyless POST) counts as no body and a large one is not read.
 */
async function isEmpty(body: ReadableStream<Uint8Array>): Promise<boolean> {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      reader.releaseLock(); // a later check (noBody after apiBodies) reads the ended stream again
      return true;
    }
    if (value.byteLength > 0) {
      void reader.cancel().catch(() => undefined);
      return false;
    }
  }
}

/** The request's media type, lower-cased, without parameters ("" when it names none). */
const mediaType = (c: Context<AppEnv>) => (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();

/**
 * Whether the request carries bytes. No body at all, `Content-Length: 0` (a browser's bodyless fetch,
 * which may add `text/plain`) and an empty chunked stream all count as no body.
 */
async function hasBytes(c: Context<AppEnv>): Promise<boolean> {
  const body = c.req.raw.body;
  if (body === null || c.req.header("Content-Length") === "0") return false;
  return !(await isEmpty(body as ReadableStream<Uint8Array>));
}

/**
 * API bodies are JSON, except on the upload endpoints (UPLOAD_ROUTES), which read their own. A request
 * with no body needs no Content-Type, however it says so (see hasBytes). A body with bytes in it is
 * refused with 415 unless it is JSON, because Hono's JSON validator would quietly read a text/plain body
 * as `{}`; a photo upload's refusal says how to send a photo instead.
 */
export const apiBodies = createMiddleware<AppEnv>(async (c, next) => {
  const type = mediaType(c);
  const upload = uploadBodyOf(c);
  if (upload === "file" || (upload === "photo" && isPhotoType(type))) return next();
  if (!upload && (type === "application/json" || type.endsWith("+json"))) return jsonLimit(c, next);
  if (!(await hasBytes(c))) return next();
  if (upload === "photo") {
    throw new AppError(
      "unsupported_media_type",
      `Send the photo (${ACCEPTED_TYPES.join(", ")}) as the request body with its image Content-Type (or application/octet-stream), or as the multipart/form-data field "file".`,
      { details: { accepted: ACCEPTED_TYPES } },
    );
  }
  throw new AppError(
    "unsupported_media_type",
    "The API reads JSON bodies only: send this request with no body if the action takes none, or as JSON with Content-Type: application/json.",
  );
});

/**
 * An action that takes no body accepts none or an empty JSON object (what many clients send by default);
 * malformed JSON is 400 `malformed_json` and any field 400 `invalid_input`, rather than being ignored.
 */
export const noBody = validate("json", z.strictObject({}));
