import { createDb, type Db } from "./data/db.ts";
import { getRedis } from "./data/redis.ts";
import type { Config } from "./lib/config.ts";
import { UndecodableImageError, type MediaStore, type PixelTransformer } from "./domain/media.ts";

/**
 * The one place the Worker's stores are opened, for requests (the services middleware), queue
 * consumers and Durable Objects alike. Cheap: every connection opens lazily on first use.
 */
export function openStores(config: Config, options: { preferPrimary?: boolean } = {}) {
  return { db: createDb(config, options), redis: getRedis(config) };
}

export type { Db };

/** An R2 object stored in parts of this size: all but the last part of an R2 multipart upload are equal. */
const PART_BYTES = 5 * 1024 * 1024;
/** Every call to R2 or the Images binding must answer within this. */
const MEDIA_DEADLINE_MS = 30_000;

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${MEDIA_DEADLINE_MS} ms`)), MEDIA_DEADLINE_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Reads the next `PART_BYTES` (fewer only at the end) from the reader, carrying any surplus over. */
async function nextPart(reader: ReadableStreamDefaultReader<Uint8Array>, carry: { rest: Uint8Array; done: boolean }): Promise<Uint8Array> {
  const part = new Uint8Array(PART_BYTES);
  let filled = 0;
  while (filled < PART_BYTES) {
    if (carry.rest.length === 0) {
      if (carry.done) break;
      const chunk = await reader.read();
      if (chunk.done) carry.done = true;
      else carry.rest = chunk.value;
      continue;
    }
    const take = Math.min(PART_BYTES - filled, carry.rest.length);
    part.set(carry.rest.subarray(0, take), filled);
    carry.rest = carry.rest.subarray(take);
    filled += take;
  }
  return part.subarray(0, filled);
}

/**
 * Streams a body of unknown length into R2 holding at most one 5 MiB part: a body that fits in one
 * part is one put; a longer one is a multipart upload, aborted if the body fails (the byte limit, say).
 */
async function putStream(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<number> {
  const reader = body.getReader();
  const carry = { rest: new Uint8Array(0), done: false };
  const first = await nextPart(reader, carry);
  const httpMetadata = { contentType };
  if (carry.done && carry.rest.length === 0) {
    await withDeadline(bucket.put(key, first, { httpMetadata }), "R2 put");
    return first.length;
  }
  const upload = await withDeadline(bucket.createMultipartUpload(key, { httpMetadata }), "R2 multipart start");
  try {
    const parts: R2UploadedPart[] = [];
    let total = 0;
    for (let part = first; part.length > 0; part = await nextPart(reader, carry)) {
      parts.push(await withDeadline(upload.uploadPart(parts.length + 1, part), "R2 part upload"));
      total += part.length;
    }
    await withDeadline(upload.complete(parts), "R2 multipart complete");
    return total;
  } catch (error) {
    await upload.abort();
    throw error;
  }
}

/** The Images binding's codes for input it cannot read (not an image, bad or too large): retrying will not help. */
const UNDECODABLE_CODES = new Set([9401, 9402, 9403, 9406, 9412, 9413, 9422, 9520, 9523]);

/** The media ports over R2 and the Images binding. */
export function openMedia(env: Env): { store: MediaStore; transformer: PixelTransformer } {
  const bucket = env.IMAGES_BUCKET;
  const store: MediaStore = {
    put: (key, body, contentType) => putStream(bucket, key, body, contentType),
    get: async (key) => {
      const object = await withDeadline(bucket.get(key), "R2 get");
      return object && { body: object.body as ReadableStream<Uint8Array>, etag: object.httpEtag, contentType: object.httpMetadata?.contentType ?? "application/octet-stream" };
    },
    delete: async (keys) => {
      if (keys.length > 0) await withDeadline(bucket.delete(keys), "R2 delete");
    },
  };
  const transformer: PixelTransformer = {
    async transform(input, { width, format, quality, square }) {
      // "crop" fills the square and never enlarges; "scale-down" keeps the aspect ratio.
      const shape = square ? ({ width, height: width, fit: "crop" } as const) : ({ width, fit: "scale-down" } as const);
      try {
        const result = await withDeadline(env.IMAGES.input(input).transform(shape).output({ format, ...(quality ? { quality } : {}) }), "Images transform");
        return result.image();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "number" && UNDECODABLE_CODES.has(code)) throw new UndecodableImageError((error as Error).message);
        throw error;
      }
    },
  };
  return { store, transformer };
}
