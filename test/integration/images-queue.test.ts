import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import entry from "../../workers/index.ts";
import { images } from "../../workers/data/schema/index.ts";
import { retryDelaySeconds } from "../../workers/lib/jobs.ts";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories, publishedListing } from "../support/catalog.ts";
import { createImage, createUser, testDb } from "../support/db.ts";
import { json } from "../support/json.ts";

const worker: ExportedHandler<Env> = entry;
/** The images consumer's `max_retries` in wrangler.toml: after the first attempt and this many retries, a message is dead-lettered. */
const IMAGES_MAX_RETRIES = 5;
const fixtures = inject("imageFixtures");
const fixture = (name: string) => Uint8Array.from(atob(fixtures[name]!), (c) => c.charCodeAt(0));

const imageStatus = async (id: string) =>
  (await testDb().primary.select({ status: images.status, reason: images.reason }).from(images).where(eq(images.id, id)))[0];

async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue!(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("images queue consumer", () => {
  it("settles every job so no image stays processing, and a redelivery changes nothing", async () => {
    const user = await createUser();
    const image = await createImage(user.id);
    const result = await deliver("images", [{ kind: "image.process", imageId: image.id }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    const first = await imageStatus(image.id);
    expect(first?.status).toBe("failed");

    await deliver("images", [{ kind: "image.process", imageId: image.id }]);
    expect(await imageStatus(image.id)).toEqual(first);
  });

  it("acknowledges a malformed message instead of retrying it forever, without touching its neighbours", async () => {
    const user = await createUser();
    const image = await createImage(user.id);
    const result = await deliver("images", [{ kind: "nonsense" }, { kind: "image.process", imageId: image.id }]);
    expect(result.explicitAcks).toEqual(["msg-0", "msg-1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("marks an image failed with a reason when its job reaches the dead-letter queue", async () => {
    const user = await createUser();
    const image = await createImage(user.id);
    const result = await deliver("images-dlq", [{ kind: "image.process", imageId: image.id }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(await imageStatus(image.id)).toEqual({ status: "failed", reason: expect.stringMatching(/upload it again/) as string });
  });

  it("retries transient failures with growing backoff", async () => {
    const user = await createUser();
    const image = await createImage(user.id);
    const broken = { ...env, NEON_LOCAL_PROXY: "127.0.0.1:9" };
    const batch = createMessageBatch("images", [{ id: "m", timestamp: new Date(), attempts: 3, body: { kind: "image.process", imageId: image.id } }]);
    const ctx = createExecutionContext();
    await worker.queue!(batch, broken, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    expect(result.explicitAcks).toEqual([]);
    expect(retryDelaySeconds(1)).toBeLessThan(retryDelaySeconds(3));
    expect(retryDelaySeconds(50)).toBe(600);
  });

  it("takes a poisoned message through every retry with growing backoff, then the dead-letter queue fails it for the seller to see", async () => {
    const seller = await signedIn("seller");
    const listing = await publishedListing(seller.client, (await freshCategories()).leaf.slug);
    // A stored upload (row and original in R2) whose job only this test delivers (an upload would also enqueue one).
    const photo = fixture("phoneJpeg");
    const image = await createImage(seller.id, { listingId: listing.id, bytes: photo.length, width: 1000, height: 2000 });
    await env.IMAGES_BUCKET.put(image.originalKey, photo, { httpMetadata: { contentType: "image/jpeg" } });

    // Every attempt meets a real transient failure: the consumer's database is unreachable (a closed port).
    const broken = { ...env, NEON_LOCAL_PROXY: "127.0.0.1:9" };
    for (let attempts = 1; attempts <= IMAGES_MAX_RETRIES + 1; attempts++) {
      const batch = createMessageBatch("images", [{ id: "poison", timestamp: new Date(), attempts, body: { kind: "image.process", imageId: image.id } }]);
      const ctx = createExecutionContext();
      await worker.queue!(batch, broken, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks, `attempt ${attempts}`).toEqual([]);
      expect(result.retryMessages.map((m) => m.msgId), `attempt ${attempts}`).toEqual(["poison"]);
    }
    // The backoff the consumer asks each retry for (getQueueResult reports which messages were retried, not their delay).
    expect(Array.from({ length: IMAGES_MAX_RETRIES + 1 }, (_, i) => retryDelaySeconds(i + 1))).toEqual([10, 20, 40, 80, 160, 320]);
    expect((await imageStatus(image.id))?.status).toBe("processing");

    // Out of retries, the platform hands it to images-dlq, whose consumer (database back) fails the image.
    expect((await deliver("images-dlq", [{ kind: "image.process", imageId: image.id }], IMAGES_MAX_RETRIES + 1)).explicitAcks).toEqual(["msg-0"]);
    const seen = await json<ImageResponse>(await seller.client.request(`/api/images/${image.id}`));
    expect(seen.image).toMatchObject({ status: "failed", reason: expect.stringMatching(/failed repeatedly.*upload it again/) as string, variants: [] });
    // A late redelivery of the original message does not revive it.
    expect((await deliver("images", [{ kind: "image.process", imageId: image.id }])).explicitAcks).toEqual(["msg-0"]);
    expect((await imageStatus(image.id))?.status).toBe("failed");
  });

  it("consumes a message sent through the real queue binding", async () => {
    const user = await createUser();
    const image = await createImage(user.id);
    await env.IMAGES_QUEUE.send({ kind: "image.process", imageId: image.id });
    await expect.poll(async () => (await imageStatus(image.id))?.status, { timeout: 10_000, interval: 200 }).toBe("failed");
  });
});
