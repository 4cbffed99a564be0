import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { AnyDb } from "./db.ts";
import { images, listings, sellerProfiles } from "./schema/index.ts";

export type ImageRow = typeof images.$inferSelect;

/** Marks an image failed, once, if it is still processing (a redelivered job changes nothing). */
export async function markImageFailed(db: AnyDb, imageId: string, reason: string): Promise<void> {
  await db
    .update(images)
    .set({ status: "failed", reason, updatedAt: new Date() })
    .where(and(eq(images.id, imageId), eq(images.status, "processing")));
}

/** Marks an image ready with its variants, once: true only for the call that changed it. */
export async function markImageReady(db: AnyDb, imageId: string, ready: { variantWidths: number[]; variantVersion: string; placeholder: string }): Promise<boolean> {
  const rows = await db
    .update(images)
    .set({ status: "ready", reason: null, ...ready, updatedAt: new Date() })
    .where(and(eq(images.id, imageId), eq(images.status, "processing")))
    .returning({ id: images.id });
  return rows.length > 0;
}

export async function findImage(db: AnyDb, imageId: string): Promise<ImageRow | undefined> {
  const [row] = await db.select().from(images).where(eq(images.id, imageId));
  return row;
}

/** Locks the listing's row so concurrent uploads count its images one at a time. */
export async function lockListingForImages(db: AnyDb, listingId: string) {
  const [row] = await db.select({ id: listings.id }).from(listings).where(eq(listings.id, listingId)).for("update");
  return row;
}

/** How many images the listing holds (failed ones do not count), and the next free position. */
export async function countListingImages(db: AnyDb, listingId: string): Promise<{ count: number; nextPosition: number }> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, nextPosition: sql<number>`coalesce(max(${images.position}) + 1, 0)::int` })
    .from(images)
    .where(and(eq(images.listingId, listingId), ne(images.status, "failed")));
  return row ?? { count: 0, nextPosition: 0 };
}

export async function insertImage(db: AnyDb, values: typeof images.$inferInsert): Promise<ImageRow> {
  const [row] = await db.insert(images).values(values).returning();
  return row!;
}

export async function deleteImageRows(db: AnyDb, imageIds: string[]): Promise<void> {
  if (imageIds.length > 0) await db.delete(images).where(inArray(images.id, imageIds));
}

export async function listingImages(db: AnyDb, listingId: string): Promise<ImageRow[]> {
  return db.select().from(images).where(eq(images.listingId, listingId)).orderBy(images.position, images.createdAt);
}

/** Positions in the order given; ids that are not the listing's are left alone. */
export async function setImagePositions(db: AnyDb, listingId: string, imageIds: string[]): Promise<void> {
  for (const [position, id] of imageIds.entries()) {
    await db.update(images).set({ position, updatedAt: new Date() }).where(and(eq(images.id, id), eq(images.listingId, listingId)));
  }
}

/** The listing's cover, or none. */
export async function setCoverImage(db: AnyDb, listingId: string, imageId: string | null): Promise<void> {
  await db.update(listings).set({ coverImageId: imageId, version: sql`${listings.version} + 1`, updatedAt: new Date() }).where(eq(listings.id, listingId));
}

/** The slug and seller username whose cached pages show this listing. */
export async function listingPages(db: AnyDb, listingId: string): Promise<{ slug: string; sellerUsername: string | null; coverImageId: string | null } | undefined> {
  const [row] = await db
    .select({ slug: listings.slug, sellerUsername: sql<string | null>`${sellerProfiles.username}::text`, coverImageId: listings.coverImageId })
    .from(listings)
    .leftJoin(sellerProfiles, eq(sellerProfiles.userId, listings.sellerId))
    .where(eq(listings.id, listingId));
  return row;
}

/** An image's upload time, compared in Postgres at its full (microsecond) precision rather than as a JavaScript Date. */
const createdAtOf = (imageId: string) => sql`(select c.created_at from ${images} c where c.id = ${imageId})`;

/**
 * Makes the image its owner's avatar unless a newer upload already is one: the seller's username when
 * it did, undefined when it did not (or the owner has no seller profile).
 */
export async function adoptAvatarRow(db: AnyDb, image: Pick<ImageRow, "id" | "ownerId">): Promise<string | undefined> {
  const [row] = await db
    .update(sellerProfiles)
    .set({ avatarImageId: image.id, updatedAt: new Date() })
    .where(
      and(
        eq(sellerProfiles.userId, image.ownerId),
        sql`not exists (select 1 from ${images} i where i.id = ${sellerProfiles.avatarImageId} and i.created_at > ${createdAtOf(image.id)})`,
      ),
    )
    .returning({ username: sql<string>`${sellerProfiles.username}::text` });
  return row?.username;
}

/**
 * The owner's finished avatar images uploaded before `keepId`. A processing one, or a newer one not yet
 * adopted, is left to its own job (which adopts it and then removes `keepId`).
 */
export async function olderAvatarImages(db: AnyDb, ownerId: string, keepId: string): Promise<ImageRow[]> {
  return db
    .select()
    .from(images)
    .where(
      and(
        eq(images.ownerId, ownerId),
        isNull(images.listingId),
        ne(images.status, "processing"),
        sql`${images.createdAt} < ${createdAtOf(keepId)}`,
      ),
    );
}

/** The seller's username and listing slugs: the pages that show their avatar. */
export async function sellerPages(db: AnyDb, userId: string): Promise<{ username: string; slugs: string[] } | undefined> {
  const [row] = await db
    .select({
      username: sql<string>`${sellerProfiles.username}::text`,
      slugs: sql<string[]>`array(select l.slug::text from ${listings} l where l.seller_id = ${sellerProfiles.userId})`,
    })
    .from(sellerProfiles)
    .where(eq(sellerProfiles.userId, userId));
  return row;
}
