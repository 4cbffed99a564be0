import { outboxJobSchema } from "../domain/outbox.ts";
import { sendDigests } from "./chat-digest.ts";
import { processEach } from "./batch.ts";
import { failImageJob, imageJobSchema, processImage } from "./images.ts";
import { failOutbox, processOutbox, sweepOutboxRows } from "./outbox.ts";
import { refreshVocabulary } from "./search.ts";

const parseImageJob = (body: unknown) => imageJobSchema.parse(body);
const parseOutboxJob = (body: unknown) => outboxJobSchema.parse(body);

/** The Worker's `queue` entry: dispatches on which queue the batch came from. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case "images":
      return processEach(batch, parseImageJob, (job) => processImage(env, job), { concurrently: true });
    case "images-dlq":
      // Out of retries: say so on the image, so the seller sees a failure instead of a spinner.
      return processEach(batch, parseImageJob, (job) => failImageJob(env, job, "Processing failed repeatedly; please upload it again."));
    case "outbox":
      return processEach(batch, parseOutboxJob, (job) => processOutbox(env, job));
    case "outbox-dlq":
      return processEach(batch, parseOutboxJob, (job) => failOutbox(env, job));
    default:
      throw new Error(`no consumer for queue ${batch.queue}`);
  }
}

/**
 * The Worker's `scheduled` entry (every minute): re-enqueue outbox rows whose queue message was lost,
 * rebuild the search vocabulary if a listing changed since its last build, and queue due chat digests.
 * Each job runs even if another fails.
 */
export async function handleScheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const results = await Promise.allSettled([sweepOutboxRows(env), refreshVocabulary(env), sendDigests(env)]);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}
