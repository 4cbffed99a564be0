import { processEach } from "./batch.ts";
import { failImage, imageJobSchema, processImage } from "./images.ts";

/** The Worker's `queue` entry: dispatches on which queue the batch came from. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const parse = (body: unknown) => imageJobSchema.parse(body);
  switch (batch.queue) {
    case "images":
      return processEach(batch, parse, (job) => processImage(env, job));
    case "images-dlq":
      // Out of retries: say so on the image, so the seller sees a failure instead of a spinner.
      return processEach(batch, parse, (job) => failImage(env, job.imageId, "Processing failed repeatedly; please upload it again."));
    default:
      throw new Error(`no consumer for queue ${batch.queue}`);
  }
}
