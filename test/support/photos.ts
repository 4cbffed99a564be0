import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect, inject } from "vitest";
import entry from "../../workers/index.ts";
import { images } from "../../workers/data/schema/index.ts";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import { variantUrl } from "../../workers/domain/media.ts";
import type { Client } from "./client.ts";
import { testDb } from "./db.ts";
import { json } from "./json.ts";

const worker: ExportedHandler<Env> = entry;
const fixtures = inject("imageFixtures");

/** An image the global setup generated (JPEG with EXIF, PNG with alpha, WebP, a corrupt JPEG…), as bytes. */
export const fixture = (name: string) => Uint8Array.from(atob(fixtures[name]!), (c) => c.charCodeAt(0));

/** The owner's raw-body upload of a photo to a listing. */
export const upload = (client: Client, listingId: string, bytes: Uint8Array, type = "image/jpeg") =>
  client.request(`/api/listings/${listingId}/images`, { method: "POST", body: bytes, headers: { "Content-Type": type } });

/** An upload that must be accepted: the image as the 202 names it. */
export async function uploaded(client: Client, listingId: string, bytes: Uint8Array, type?: string) {
  const res = await upload(client, listingId, bytes, type);
  expect(res.status, await res.clone().text()).toBe(202);
  return (await json<ImageResponse>(res)).image;
}

/** Hands jobs to the worker's `images` queue consumer as one batch; what it acked and retried. */
export async function deliver(bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch("images", bodies.map((body, i) => ({ id: `m-${i}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue!(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** An image's row as the database holds it. */
export const row = async (id: string) => (await testDb().primary.select().from(images).where(eq(images.id, id)))[0]!;
/** A variant's URL as the rendered row names it (the version comes from the pipeline, not from the test). */
export const urlOf = async (id: string, width: number) => variantUrl(id, (await row(id)).variantVersion!, width);
/** The R2 keys under a prefix, sorted. */
export const objectKeys = async (prefix: string) => (await env.IMAGES_BUCKET.list({ prefix })).objects.map((o) => o.key).sort();
