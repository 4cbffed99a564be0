import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import entry from "../../workers/index.ts";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import type { Client } from "./client.ts";
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
