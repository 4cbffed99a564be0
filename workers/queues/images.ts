import { invalidateListings } from "../domain/catalog-reads.ts";
import { failImage, processImage as runPipeline, type ImageJob } from "../domain/image-jobs.ts";
import { readConfig } from "../lib/config.ts";
import { openMedia, openStores } from "../services.ts";

export { imageJobSchema } from "../domain/image-jobs.ts";

/** The images dead-letter queue's consumer: out of retries, the seller sees a failure instead of a spinner. */
export async function failImageJob(env: Env, job: ImageJob, reason: string): Promise<void> {
  await failImage(openStores(readConfig(env)).db, job.imageId, reason);
}

/**
 * Turns an original upload into WebP variants through the Images binding. The listing's shared (Redis)
 * copies are dropped when it turns ready; edge copies age out within their short freshness window.
 */
export async function processImage(env: Env, job: ImageJob): Promise<void> {
  const { db, redis } = openStores(readConfig(env));
  const { store, transformer } = openMedia(env);
  await runPipeline({ db, store, transformer, forget: (changed) => invalidateListings({ redis }, changed) }, job);
}
