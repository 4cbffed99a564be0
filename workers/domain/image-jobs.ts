import { rgbaToThumbHash } from "thumbhash";
import { z } from "zod";
import type { Db } from "../data/db.ts";
import { findImage, listingPages, markImageFailed, markImageReady, type ImageRow } from "../data/images.ts";
import { PermanentJobError } from "../lib/jobs.ts";
import { refreshCover, type ChangedListing } from "./image-uploads.ts";
import { adoptAvatar } from "./avatars.ts";
import {
  imageKind,
  renditions,
  renderVersion,
  UndecodableImageError,
  variantKey,
  variantKeys,
  WEBP_QUALITY,
  type MediaStore,
  type PixelTransformer,
  type StoredObject,
} from "./media.ts";
import { decodePng } from "./png-pixels.ts";

export const imageJobSchema = z.object({ kind: z.literal("image.process"), imageId: z.uuid() });
export type ImageJob = z.infer<typeof imageJobSchema>;

/** ThumbHash takes at most 100x100 pixels; a 32 px rendition keeps the hash at its usual ~25 bytes. */
const PLACEHOLDER_SIZE = 32;

export interface ImagePipeline {
  db: Db;
  store: MediaStore;
  transformer: PixelTransformer;
  /** Forgets the cached pages that show the listing or the seller (Redis and this location's edge). */
  forget: (changed: ChangedListing) => Promise<void>;
}

/** Ends an image that is still processing as failed, with the reason its seller sees. */
export async function failImage(db: Db, imageId: string, reason: string): Promise<void> {
  await markImageFailed(db.primary, imageId, reason);
}

async function original(store: MediaStore, row: ImageRow) {
  const stored = await store.get(row.originalKey);
  if (!stored) throw new PermanentJobError(`original ${row.originalKey} is missing`);
  return stored;
}

const bytesOf = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());

/** The ThumbHash (base64) of a tiny rendition the transformer makes: the only pixels decoded in the isolate. */
async function placeholderOf(pipeline: ImagePipeline, source: StoredObject, square: boolean): Promise<string> {
  const png = await pipeline.transformer.transform(source.body, { width: PLACEHOLDER_SIZE, format: "image/png", square });
  const pixels = await decodePng(await bytesOf(png));
  return btoa(String.fromCharCode(...rgbaToThumbHash(pixels.width, pixels.height, pixels.rgba)));
}

/** Writes the WebP variants (same keys every time, so a redelivery overwrites them with the same bytes). */
async function writeVariants(pipeline: ImagePipeline, row: ImageRow, version: string, { widths, square }: { widths: number[]; square: boolean }): Promise<number[]> {
  for (const width of widths) {
    const webp = await pipeline.transformer.transform((await original(pipeline.store, row)).body, { width, format: "image/webp", quality: WEBP_QUALITY, square });
    await pipeline.store.put(variantKey(row.id, version, width), webp, "image/webp");
  }
  return widths;
}

/** What the seller reads when a retry cannot help; undefined for a transient error (the queue retries). */
function permanentReason(error: unknown): string | undefined {
  if (error instanceof UndecodableImageError) return "This file could not be read as an image; please upload another photo.";
  if (error instanceof PermanentJobError) return "The uploaded file was lost; please upload it again.";
  return undefined;
}

/** Renders the variants and placeholder and marks the image ready: the ready row, or undefined if it did not change it. */
async function render(pipeline: ImagePipeline, row: ImageRow): Promise<ImageRow | undefined> {
  const { db } = pipeline;
  try {
    const shape = renditions(imageKind(row), row);
    const source = await original(pipeline.store, row);
    const variantVersion = await renderVersion(source.etag, shape);
    const placeholder = await placeholderOf(pipeline, source, shape.square);
    const variantWidths = await writeVariants(pipeline, row, variantVersion, shape);
    const ready = { ...row, status: "ready" as const, variantWidths, variantVersion, placeholder };
    if (await markImageReady(db.primary, row.id, { variantWidths, variantVersion, placeholder })) return ready;
    // Deleted while this rendered: its deletion may have run before these writes, so remove them here.
    if (!(await findImage(db.primary, row.id))) await pipeline.store.delete(variantKeys(ready));
    return undefined;
  } catch (error) {
    const reason = permanentReason(error);
    if (!reason) throw error;
    await failImage(db, row.id, reason);
    return undefined;
  }
}

/**
 * Turns an original upload into WebP variants and a placeholder, then marks the image ready. A file
 * the transformer cannot decode ends failed at once; anything else throws, and the queue retries.
 * What follows `ready` (the listing's cover, or adopting the avatar, and forgetting cached pages) is
 * idempotent and runs again on a redelivery, so a failure there is retried too.
 */
export async function processImage(pipeline: ImagePipeline, job: ImageJob): Promise<void> {
  const { db } = pipeline;
  const row = await findImage(db.primary, job.imageId);
  if (!row || row.status === "failed") return;
  const ready = row.status === "ready" ? row : await render(pipeline, row);
  if (!ready) return;
  if (!ready.listingId) {
    await pipeline.forget(await adoptAvatar(db, pipeline.store, ready));
    return;
  }
  await refreshCover(db, ready.listingId);
  const pages = await listingPages(db.primary, ready.listingId);
  if (pages) await pipeline.forget({ slugs: [pages.slug], sellerUsername: pages.sellerUsername });
}
