import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import entry from "../../workers/index.ts";
import { images } from "../../workers/data/schema/index.ts";
import { retryDelaySeconds } from "../../workers/lib/jobs.ts";
import { createImage, createUser, testDb } from "../support/db.ts";

const worker: ExportedHandler<Env> = entry;

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

  it("consumes a message sent through the real queue binding", async () => {
    const user = await createUser();
    const image = await createImage(user.id);
    await env.IMAGES_QUEUE.send({ kind: "image.process", imageId: image.id });
    await expect.poll(async () => (await imageStatus(image.id))?.status, { timeout: 10_000, interval: 200 }).toBe("failed");
  });
});
