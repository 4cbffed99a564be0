import type { Db } from "../data/db.ts";
import {
  countListingImages,
  deleteImageRows,
  findImage,
  insertImage,
  listingImages,
  listingPages,
  lockListingForImages,
  setCoverImage,
  sellerPages,
  setImagePositions,
  type ImageRow,
} from "../data/images.ts";
import { AppError } from "../lib/errors.ts";
import { ACCEPTED_TYPES } from "./image-formats.ts";
import { listingRowFor } from "./listing-service.ts";
import {
  MAX_IMAGES_PER_LISTING,
  MAX_PIXELS,
  MAX_UPLOAD_BYTES,
  originalKey,
  variantKey,
  variantKeys,
  variantsOf,
  type ImageQueue,
  type MediaStore,
} from "./media.ts";
import type { AccessClaims } from "./tokens.ts";
import { limitBytes, sniffStream, tooLarge } from "./upload-stream.ts";

export interface Upload {
  body: ReadableStream<Uint8Array>;
  /** The request's Content-Length when it is the image itself: a body declared too large is refused unread. */
  declaredBytes?: number | undefined;
}

/** The pages that show a listing, for the caller to forget after a change. */
export interface ChangedListing {
  slugs: string[];
  sellerUsername: string | null;
}

export function imageStatusView(row: ImageRow) {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    width: row.width,
    height: row.height,
    variants: row.status === "ready" ? variantsOf(row) : [],
    placeholder: row.placeholder,
  };
}

export type ImageJson = ReturnType<typeof imageStatusView>;

/** `GET /api/images/:id` and the answer to an upload. */
export interface ImageResponse {
  image: ImageJson;
}

const acceptedNames = ACCEPTED_TYPES.map((type) => type.slice("image/".length).toUpperCase()).join(", ");

/** Reads the head of an upload and refuses what the pipeline cannot take, before anything is stored. */
async function checkedBody(upload: Upload) {
  if (upload.declaredBytes !== undefined && upload.declaredBytes > MAX_UPLOAD_BYTES) throw tooLarge(MAX_UPLOAD_BYTES);
  const { sniff, body } = await sniffStream(upload.body);
  if (sniff.kind !== "image") {
    await body.cancel();
    const what = sniff.kind === "unsupported" ? sniff.format : "an unreadable file";
    throw new AppError("unsupported_media_type", `This file is ${what}; photos must be ${acceptedNames}.`, { details: { accepted: ACCEPTED_TYPES } });
  }
  const { width, height } = sniff.header;
  if (width * height > MAX_PIXELS || width === 0 || height === 0) {
    await body.cancel();
    throw new AppError("rule_violation", `This photo is ${width}x${height} pixels; at most ${MAX_PIXELS / 1_000_000} megapixels are accepted.`);
  }
  return { header: sniff.header, body: body.pipeThrough(limitBytes(MAX_UPLOAD_BYTES)) };
}

/** The row an accepted upload is recorded as, written once its original is in the store. */
export type RecordUpload = (values: Pick<ImageRow, "id" | "originalKey" | "contentType" | "bytes" | "width" | "height">) => Promise<ImageRow>;

/**
 * Streams a checked upload's original into the store, records it (processing) and queues its job;
 * if recording or queueing fails, the row and the object are removed, so a refusal leaves nothing.
 */
export async function acceptUpload(db: Db, media: { store: MediaStore; queue: ImageQueue }, upload: Upload, record: RecordUpload) {
  const { header, body } = await checkedBody(upload);
  const id = crypto.randomUUID();
  const key = originalKey(id);
  const bytes = await media.store.put(key, body, header.type);
  try {
    const row = await record({ id, originalKey: key, contentType: header.type, bytes, width: header.width, height: header.height });
    await media.queue.send({ kind: "image.process", imageId: id });
    return imageStatusView(row);
  } catch (error) {
    await deleteImageRows(db.primary, [id]);
    await media.store.delete([key]);
    throw error;
  }
}

/**
 * An owner's photo for a listing: the original is streamed into the store, the image recorded as
 * processing and a job queued. A refusal (format, size, pixels, the per-listing count) stores nothing.
 */
export async function uploadListingImage(db: Db, media: { store: MediaStore; queue: ImageQueue }, actor: AccessClaims, listingId: string, upload: Upload) {
  await listingRowFor(db, actor, listingId, "change");
  await assertRoom(db, listingId);
  return acceptUpload(db, media, upload, (values) =>
    db.transaction(async (tx) => {
      await lockListingForImages(tx, listingId);
      const { count, nextPosition } = await countListingImages(tx, listingId);
      if (count >= MAX_IMAGES_PER_LISTING) throw tooMany();
      return insertImage(tx, { ...values, ownerId: actor.userId, listingId, position: nextPosition });
    }),
  );
}

const tooMany = () => new AppError("rule_violation", `A listing holds at most ${MAX_IMAGES_PER_LISTING} photos; delete one first.`);

/** Checked before the body is read (and again, locked, before the row is written). */
async function assertRoom(db: Db, listingId: string) {
  if ((await countListingImages(db.primary, listingId)).count >= MAX_IMAGES_PER_LISTING) throw tooMany();
}

/** The image and its listing when the actor owns it; 404 to everyone else. */
async function ownImage(db: Db, actor: AccessClaims, imageId: string) {
  const row = await findImage(db.primary, imageId);
  // Someone else's photo is not theirs to learn about, so it is a 404 like a missing one.
  if (!row || row.ownerId !== actor.userId) throw new AppError("not_found", "No such image.");
  return row;
}

export async function imageStatus(db: Db, actor: AccessClaims, imageId: string) {
  return imageStatusView(await ownImage(db, actor, imageId));
}

/** Every object an image has in the store. */
export const imageKeys = (row: ImageRow) => [row.originalKey, ...variantKeys(row)];

/** The pages showing the image: its listing's, or for an avatar its seller's profile and listings. */
async function changed(db: Db, row: Pick<ImageRow, "listingId" | "ownerId">): Promise<ChangedListing> {
  if (!row.listingId) {
    const pages = await sellerPages(db.primary, row.ownerId);
    return { slugs: pages?.slugs ?? [], sellerUsername: pages?.username ?? null };
  }
  const pages = await listingPages(db.primary, row.listingId);
  return { slugs: pages ? [pages.slug] : [], sellerUsername: pages?.sellerUsername ?? null };
}

/** What HTTP caches may still hold of deleted images: their ids (cache tags) and their variants' URL paths. */
export interface DeletedVariants {
  imageIds: string[];
  paths: string[];
}

const deletedVariants = (rows: ImageRow[]): DeletedVariants => ({
  imageIds: rows.map((row) => row.id),
  paths: rows.flatMap((row) => variantsOf(row).map((variant) => variant.url)),
});

/** Deletes the image's row and objects; the listing's cover moves to its next photo. */
export async function deleteImage(db: Db, store: MediaStore, actor: AccessClaims, imageId: string): Promise<ChangedListing & { variants: DeletedVariants }> {
  const row = await ownImage(db, actor, imageId);
  await deleteImageRows(db.primary, [row.id]);
  await store.delete(imageKeys(row));
  if (row.listingId) await refreshCover(db, row.listingId);
  return { ...(await changed(db, row)), variants: deletedVariants([row]) };
}

/** Removes every photo of a listing (rows and objects): the listing is gone. Answers what caches may still hold. */
export async function deleteListingImages(db: Db, store: MediaStore, listingId: string): Promise<DeletedVariants> {
  const rows = await listingImages(db.primary, listingId);
  await setCoverImage(db.primary, listingId, null);
  await deleteImageRows(db.primary, rows.map((row) => row.id));
  await store.delete(rows.flatMap(imageKeys));
  return deletedVariants(rows);
}

/**
 * The owner's order for the listing's photos; the first ready one is the cover. It names the photos the
 * listing's `images` shows: failed ones are not shown (nor counted), so they are not asked for.
 */
export async function reorderImages(db: Db, actor: AccessClaims, listingId: string, imageIds: string[]): Promise<ChangedListing> {
  await listingRowFor(db, actor, listingId, "change");
  const current = (await listingImages(db.primary, listingId)).filter((row) => row.status !== "failed").map((row) => row.id);
  if (imageIds.length !== current.length || !current.every((id) => imageIds.includes(id))) {
    throw new AppError("invalid_input", "List every photo of the listing exactly once.", { details: { imageIds: current } });
  }
  await setImagePositions(db.primary, listingId, imageIds);
  await refreshCover(db, listingId);
  return changed(db, { listingId, ownerId: actor.userId });
}

/** The cover is the first ready photo in the owner's order (none while no photo is ready). */
export async function refreshCover(db: Db, listingId: string): Promise<void> {
  const first = (await listingImages(db.primary, listingId)).find((row) => row.status === "ready");
  const pages = await listingPages(db.primary, listingId);
  if (pages && pages.coverImageId !== (first?.id ?? null)) await setCoverImage(db.primary, listingId, first?.id ?? null);
}

/**
 * A variant's bytes for `GET /images/:id/:version/:width.webp`, straight from the store (no database
 * read: deleting an image deletes these objects). 404 when there is no such object, or the width is not
 * written canonically (`400.webp`, never `0400.webp`: one object, one URL).
 */
export async function variantFile(store: MediaStore, imageId: string, version: string, file: string) {
  const width = Number.parseInt(file, 10);
  const stored = file === `${width}.webp` ? await store.get(variantKey(imageId, version, width)) : null;
  if (!stored) throw new AppError("not_found", "No such image.");
  return stored;
}
