import { z } from "zod";
import type { Db } from "../data/db.ts";
import { markImageFailed } from "../data/images.ts";

export const imageJobSchema = z.object({ kind: z.literal("image.process"), imageId: z.uuid() });
export type ImageJob = z.infer<typeof imageJobSchema>;

/** Ends an image that is still processing as failed, with the reason its seller sees. */
export async function failImage(db: Db, imageId: string, reason: string): Promise<void> {
  await markImageFailed(db.primary, imageId, reason);
}
