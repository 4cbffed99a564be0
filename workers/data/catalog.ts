import { and, desc, eq, sql } from "drizzle-orm";
import type { AnyDb } from "./db.ts";
import { categories, listingPackages, listings } from "./schema/index.ts";

export interface CategoryRow {
  id: number;
  parentId: number | null;
  slug: string;
  name: string;
  activeListings: number;
}

export interface ListingCard {
  id: string;
  slug: string;
  title: string;
  sellerName: string;
  startingPrice: number | null;
  currency: string;
  ratingAvg: number;
  ratingCount: number;
}

const activeListingCounts = (db: AnyDb) =>
  db
    .select({ categoryId: listings.categoryId, count: sql<number>`count(*)::int`.as("count") })
    .from(listings)
    .where(eq(listings.status, "active"))
    .groupBy(listings.categoryId)
    .as("counts");

/** Every category with its own active listing count, in display order (one query). */
export async function listCategories(db: AnyDb): Promise<CategoryRow[]> {
  const counts = activeListingCounts(db);
  return db
    .select({
      id: categories.id,
      parentId: categories.parentId,
      slug: categories.slug,
      name: categories.name,
      activeListings: sql<number>`coalesce(${counts.count}, 0)`.mapWith(Number),
    })
    .from(categories)
    .leftJoin(counts, eq(counts.categoryId, categories.id))
    .orderBy(sql`${categories.parentId} nulls first`, categories.position, categories.id);
}

const cardColumns = {
  id: listings.id,
  slug: listings.slug,
  title: listings.title,
  sellerName: listings.sellerName,
  startingPrice: listings.startingPrice,
  currency: listings.currency,
  ratingAvg: listings.ratingAvg,
  ratingCount: listings.ratingCount,
};

export async function listNewestListings(db: AnyDb, limit: number): Promise<ListingCard[]> {
  return db
    .select(cardColumns)
    .from(listings)
    .where(eq(listings.status, "active"))
    .orderBy(desc(listings.publishedAt), desc(listings.id))
    .limit(limit);
}

export interface PackageView {
  tier: string;
  title: string;
  price: number;
  deliveryDays: number;
  revisions: number | null;
  features: string[];
}

/** One active listing with its packages, in one query (packages aggregated as JSON). */
export async function getActiveListingById(db: AnyDb, id: string) {
  const packages = sql<PackageView[]>`coalesce((
    select json_agg(json_build_object(
      'tier', p.tier, 'title', p.title, 'price', p.price, 'deliveryDays', p.delivery_days,
      'revisions', p.revisions, 'features', p.features) order by p.price)
    from ${listingPackages} p where p.listing_id = ${listings.id}), '[]'::json)`;
  const [row] = await db
    .select({ ...cardColumns, description: listings.description, tags: listings.tags, packages })
    .from(listings)
    .where(and(eq(listings.id, id), eq(listings.status, "active")));
  return row;
}
