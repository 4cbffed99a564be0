import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { createDb } from "../data/db.ts";
import { images } from "../data/schema/index.ts";
import { readConfig } from "../lib/config.ts";

export const imageJobSchema = z.object({ kind: z.literal("image.process"), imageId: z.uuid() });
export type ImageJob = z.infer<typeof imageJobSchema>;

/** Marks an image as failed, once, if it is still processing (a redelivered job changes nothing). */
export async function failImage(env: Env, imageId: string, reason: string): Promise<void> {
  const db = createDb(readConfig(env));
  await db.primary
    .update(images)
    .set({ status: "failed", reason, updatedAt: new Date() })
    .where(and(eq(images.id, imageId), eq(images.status, "processing")));
}

/**
 * Turns an original upload into WebP variants. The media pipeline is not built yet, so every job ends
 * as a clearly failed image rather than one left "processing" forever.
 */
export async function processImage(env: Env, job: ImageJob): Promise<void> {
  await failImage(env, job.imageId, "Image processing is not available yet.");
}
