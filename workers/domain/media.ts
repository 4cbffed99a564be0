/**
 * The media pipeline's ports: object storage (R2) and the pixel transformer (the Images binding),
 * as small interfaces the wiring fills in, so the domain takes no binding types.
 */

export interface StoredObject {
  body: ReadableStream<Uint8Array>;
  /** Quoted, as an ETag header wants it. */
  etag: string;
  contentType: string;
}

/** Where originals and variants live. `put` streams: it never holds the whole body. */
export interface MediaStore {
  put(key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<number>;
  get(key: string): Promise<StoredObject | null>;
  delete(keys: string[]): Promise<void>;
}

export type OutputFormat = "image/webp" | "image/avif" | "image/png";

export interface TransformRequest {
  /** Longest width wanted; the transformer never upscales. */
  width: number;
  format: OutputFormat;
  quality?: number;
  /** Crop to a width x width square (centre kept) instead of keeping the aspect ratio. */
  square?: boolean;
}

/** Decodes, orients (EXIF), resizes and re-encodes outside the isolate; metadata is never copied. */
export interface PixelTransformer {
  transform(input: ReadableStream<Uint8Array>, request: TransformRequest): Promise<ReadableStream<Uint8Array>>;
}

/** A transformer's refusal that a retry cannot fix: the input is not a decodable image. */
export class UndecodableImageError extends Error {
  override name = "UndecodableImageError";
}

/** The images queue, as the upload sees it (a Queue producer satisfies it). */
export interface ImageQueue {
  send(job: { kind: "image.process"; imageId: string }): Promise<unknown>;
}

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGES_PER_LISTING = 10;
/** The Images binding accepts up to 100 megapixels. */
export const MAX_PIXELS = 100_000_000;
/** Variant widths, largest last; a narrower original gets its own width instead of an upscale. */
export const VARIANT_WIDTHS = [400, 800, 1600] as const;
/** Avatar widths (square), largest last; never more than the photo's shorter side. */
export const AVATAR_WIDTHS = [64, 128, 256] as const;
export const WEBP_QUALITY = 80;

export const originalKey = (imageId: string) => `originals/${imageId}`;
export const variantKey = (imageId: string, version: string, width: number) => `variants/${imageId}/${version}/${width}.webp`;
export const variantUrl = (imageId: string, version: string, width: number) => `/images/${imageId}/${version}/${width}.webp`;
/** The Cache-Tag every served variant of an image carries, so one zone purge drops them all. */
export const imageCacheTag = (imageId: string) => `image-${imageId}`;

/** What names an image's variants: its id, the version of its rendering, and the widths rendered. */
export interface VariantSet {
  id: string;
  variantVersion: string | null;
  variantWidths: number[];
}

/** An image's variants with their URLs (none until it is rendered), as every view sends them for `srcset`. */
export function variantsOf(image: VariantSet): { width: number; url: string }[] {
  const version = image.variantVersion;
  return version ? image.variantWidths.map((width) => ({ width, url: variantUrl(image.id, version, width) })) : [];
}

/** The store keys of an image's variants. */
export function variantKeys(image: VariantSet): string[] {
  const version = image.variantVersion;
  return version ? image.variantWidths.map((width) => variantKey(image.id, version, width)) : [];
}

/**
 * The version of a rendering: a hash of the original's content (its store ETag) and of how it is
 * rendered, so a URL's bytes never change (new bytes or settings give a new URL) and a redelivery
 * names the same objects.
 */
export async function renderVersion(originalEtag: string, rendering: { widths: number[]; square: boolean }): Promise<string> {
  const text = JSON.stringify([originalEtag, "image/webp", WEBP_QUALITY, rendering.square, rendering.widths]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The widths to produce for an image this wide (as shown): no upscaling, no duplicates. */
export function variantWidths(width: number, wanted: readonly number[] = VARIANT_WIDTHS): number[] {
  return [...new Set(wanted.map((w) => Math.min(w, width)))];
}

/**
 * What an image is for, and so how the one pipeline renders it: a listing photo keeps its shape, a
 * seller's avatar (an image with no listing) is cropped square at small widths.
 */
export type ImageKind = "listing" | "avatar";

export const imageKind = (image: { listingId: string | null }): ImageKind => (image.listingId ? "listing" : "avatar");

/** The variant widths and shape for an image of this kind and size (as shown). */
export function renditions(kind: ImageKind, size: { width: number | null; height: number | null }): { widths: number[]; square: boolean } {
  const width = size.width ?? Number.MAX_SAFE_INTEGER;
  if (kind === "listing") return { widths: variantWidths(width), square: false };
  return { widths: variantWidths(Math.min(width, size.height ?? Number.MAX_SAFE_INTEGER), AVATAR_WIDTHS), square: true };
}
