import { failImage, type ImageJob } from "../domain/image-jobs.ts";
import { readConfig } from "../lib/config.ts";
import { openStores } from "../services.ts";

export { imageJobSchema } from "../domain/image-jobs.ts";

/** The images dead-letter queue's consumer: out of retries, the seller sees a failure instead of a spinner. */
export async function failImageJob(env: Env, job: ImageJob, reason: string): Promise<void> {
  await failImage(openStores(readConfig(env)).db, job.imageId, reason);
}

/**
 * Turns an original upload into WebP variants. The media pipeline is not built yet, so every job ends
 * as a clearly failed image rather than one left "processing" forever.
 */
export async function processImage(env: Env, job: ImageJob): Promise<void> {
  await failImageJob(env, job, "Image processing is not available yet.");
}
