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
export const WEBP_QUALITY = 80;

export const originalKey = (imageId: string) => `originals/${imageId}`;
export const variantKey = (imageId: string, width: number) => `variants/${imageId}/${width}.webp`;
export const variantUrl = (imageId: string, width: number) => `/images/${imageId}/${width}.webp`;

/** The widths to produce for an image this wide (as shown): no upscaling, no duplicates. */
export function variantWidths(width: number): number[] {
  return [...new Set(VARIANT_WIDTHS.map((w) => Math.min(w, width)))];
}
