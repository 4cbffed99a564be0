import { and, eq, ne, sql } from "drizzle-orm";
import { cardColumns } from "./catalog.ts";
import type { AnyDb } from "./db.ts";
import { after, newestFirst, type Key } from "./keyset.ts";
import { categories, listings, sellerProfiles } from "./schema/index.ts";

/** The reads around a seller's listing writes: what a write checks first, and the seller's own lists. */

export type ListingRow = typeof listings.$inferSelect;

/** The category a listing names, by its public slug, and whether it is a leaf (listings live in subcategories); undefined if unknown. */
export async function findCategoryBySlug(db: AnyDb, slug: string) {
  const [row] = await db
    .select({
      id: categories.id,
      slug: categories.slug,
      isLeaf: sql<boolean>`not exists (select 1 from ${categories} c where c.parent_id = ${categories.id})`,
      rootId: sql<number>`coalesce(${categories.parentId}, ${categories.id})`,
    })
    .from(categories)
    .where(eq(categories.slug, slug));
  return row;
}

/** The listing row for checks and writes (any status), undefined if there is none. */
export async function findListingRow(db: AnyDb, id: string): Promise<ListingRow | undefined> {
  const [row] = await db.select().from(listings).where(eq(listings.id, id));
  return row;
}

/** With `lock`, the profile stays as read until the transaction ends (a rename waits for it). */
export async function findSellerProfile(db: AnyDb, userId: string, lock?: "share") {
  const query = db.select().from(sellerProfiles).where(eq(sellerProfiles.userId, userId));
  const [row] = lock ? await query.for(lock) : await query;
  return row;
}

/** A seller's own listings of every status but deleted, most recently changed first. */
export async function listOwnListings(db: AnyDb, sellerId: string, options: { after?: Key; limit: number }) {
  return db
    .select({ ...cardColumns, status: listings.status, updatedAt: listings.updatedAt })
    .from(listings)
    .where(and(eq(listings.sellerId, sellerId), ne(listings.status, "deleted"), after(listings.updatedAt, listings.id, options.after)))
    .orderBy(...newestFirst(listings.updatedAt, listings.id))
    .limit(options.limit + 1);
}

export async function listSellerSlugs(db: AnyDb, sellerId: string): Promise<string[]> {
  const rows = await db.select({ slug: listings.slug }).from(listings).where(eq(listings.sellerId, sellerId));
  return rows.map((row) => row.slug);
}
