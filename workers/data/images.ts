import { and, eq } from "drizzle-orm";
import type { AnyDb } from "./db.ts";
import { images } from "./schema/index.ts";

/** Marks an image failed, once, if it is still processing (a redelivered job changes nothing). */
export async function markImageFailed(db: AnyDb, imageId: string, reason: string): Promise<void> {
  await db
    .update(images)
    .set({ status: "failed", reason, updatedAt: new Date() })
    .where(and(eq(images.id, imageId), eq(images.status, "processing")));
}
