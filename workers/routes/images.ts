import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { deleteImage, imageStatus, reorderImages, uploadListingImage, variantFile, type DeletedVariants, type Upload } from "../domain/image-uploads.ts";
import { imageCacheTag } from "../domain/media.ts";
import { multipartField } from "../domain/upload-stream.ts";
import { forgetCatalogPages } from "../http/catalog-cache.ts";
import { idParam } from "../http/params.ts";
import { purgeZoneTags } from "../lib/zone-purge.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validate.ts";
import { noBody } from "../middleware/api-bodies.ts";
import { requireAuth, requireUser } from "../middleware/auth.ts";
import { openMedia } from "../services.ts";

/** Variants never change under their URL (it names the rendering's version), so caches may keep them for a year. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

/** The upload's bytes (a photo, a chat attachment): the body itself, or the multipart field `file`, as a stream. */
export function uploadOf(c: Context<AppEnv>, what = "photo"): Upload {
  const body = c.req.raw.body as ReadableStream<Uint8Array> | null;
  if (!body) throw new AppError("invalid_input", `Send the ${what} as the request body or as the multipart field "file".`);
  const type = c.req.header("Content-Type") ?? "";
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!boundary) throw new AppError("invalid_input", "The multipart body names no boundary.");
    return { body: multipartField(body, boundary, "file") };
  }
  const length = Number(c.req.header("Content-Length"));
  return { body, declaredBytes: Number.isFinite(length) && length > 0 ? length : undefined };
}

const orderInput = z.object({ imageIds: z.array(z.uuid()).max(50) });

/** Listing photos, mounted at `/api/listings`: upload and order (the owner only). */
export const listingImages = new Hono<AppEnv>()
  .post("/:id/images", requireUser, idParam, async (c) => {
    const media = { store: openMedia(c.env).store, queue: c.env.IMAGES_QUEUE };
    const image = await uploadListingImage(c.var.db, media, requireAuth(c), c.req.valid("param").id, uploadOf(c));
    return c.json({ image }, 202);
  })
  .put("/:id/images/order", requireUser, idParam, validate("json", orderInput), async (c) => {
    await forgetCatalogPages(c, await reorderImages(c.var.db, requireAuth(c), c.req.valid("param").id, c.req.valid("json").imageIds));
    return c.body(null, 204);
  });

/** One photo's status and deletion, mounted at `/api/images` (the owner only). */
export const imageApi = new Hono<AppEnv>()
  .get("/:id", requireUser, idParam, async (c) => c.json({ image: await imageStatus(c.var.db, requireAuth(c), c.req.valid("param").id) }))
  .delete("/:id", noBody, requireUser, idParam, async (c) => {
    await deleteOwnPhoto(c, c.req.valid("param").id);
    return c.body(null, 204);
  });

/** Deletes the caller's photo (API and dashboard), then forgets the pages showing it and its cached variants. */
export async function deleteOwnPhoto(c: Context<AppEnv>, imageId: string): Promise<void> {
  const deleted = await deleteImage(c.var.db, openMedia(c.env).store, requireAuth(c), imageId);
  await Promise.all([forgetCatalogPages(c, deleted), forgetVariants(c, deleted.variants)]);
}

/**
 * Drops the cached copies of deleted variants: this location's Cache API copies (under the request's
 * origin and the public one) at once, and every other location's through the zone purge of the images'
 * cache tags (docs/images.md).
 */
export async function forgetVariants(c: Context<AppEnv>, deleted: DeletedVariants): Promise<void> {
  const origins = new Set([new URL(c.req.url).origin, c.var.config.PUBLIC_ORIGIN ?? new URL(c.req.url).origin]);
  await Promise.all([...origins].flatMap((origin) => deleted.paths.map((path) => caches.default.delete(new URL(path, origin).toString()))));
  c.executionCtx.waitUntil(purgeZoneTags(c.var.config, deleted.imageIds.map(imageCacheTag)));
}

const variantParams = validate("param", z.object({ id: z.uuid(), version: z.string().regex(/^[0-9a-f]{16}$/), file: z.string().regex(/^\d{1,6}\.webp$/) }));

/**
 * The variant bytes, mounted at `/images`: from this location's cache, else R2 (then cached), with no
 * database read. The URL names the rendering's version, so its bytes never change; deleting the image
 * deletes its objects (404 from then on) and purges the cached copies.
 */
export const imageFiles = new Hono<AppEnv>().get("/:id/:version/:file", variantParams, async (c) => {
  const { id, version, file } = c.req.valid("param");
  // Answers go out through c.body/newResponse, which add the headers Hono prepared for this request (its X-Request-Id).
  const cached = await caches.default.match(c.req.raw);
  if (cached) return c.newResponse(cached.body, cached);
  const stored = await variantFile(openMedia(c.env).store, id, version, file);
  const headers = { ETag: stored.etag, "Cache-Control": IMMUTABLE_CACHE_CONTROL, "Cache-Tag": imageCacheTag(id) };
  if (c.req.header("If-None-Match") === stored.etag) {
    await stored.body.cancel();
    return c.body(null, 304, headers);
  }
  // The copy kept for every later reader carries none of this request's own headers.
  const shared = new Response(stored.body, { headers: { ...headers, "Content-Type": stored.contentType } });
  c.executionCtx.waitUntil(caches.default.put(c.req.raw, shared.clone()));
  return c.newResponse(shared.body, shared);
});
