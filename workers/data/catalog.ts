import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type AnyDb } from "./db.ts";
import { after, newestFirst, type Key } from "./keyset.ts";
import { coverImageJson, sellerAvatarJson, type AvatarDetail, type ImageDetail } from "./listing-detail.ts";
import { categories, listings } from "./schema/index.ts";

export interface CategoryRow {
  id: number;
  parentId: number | null;
  slug: string;
  name: string;
  activeListings: number;
}

/** What every list of listings shows: one row of `listings`, no joins (the columns are denormalised). */
export interface ListingCard {
  id: string;
  slug: string;
  title: string;
  sellerName: string;
  startingPrice: number | null;
  minDeliveryDays: number | null;
  currency: string;
  ratingAvg: number;
  ratingCount: number;
  coverImageId: string | null;
  /** The cover when it is ready: what the card's picture shows. */
  cover: ImageDetail | null;
  publishedAt: Date | null;
  sellerAvatar: AvatarDetail | null;
}

export const cardColumns = {
  id: listings.id,
  slug: listings.slug,
  title: listings.title,
  sellerName: listings.sellerName,
  startingPrice: listings.startingPrice,
  minDeliveryDays: listings.minDeliveryDays,
  currency: listings.currency,
  ratingAvg: listings.ratingAvg,
  ratingCount: listings.ratingCount,
  coverImageId: listings.coverImageId,
  cover: coverImageJson(sql`${listings.coverImageId}`).as("cover"),
  publishedAt: listings.publishedAt,
  sellerAvatar: sellerAvatarJson(sql`${listings.sellerId}`).as("seller_avatar"),
};

/**
 * Every category with its own active listing count, in display order, in one query. The count is an
 * index-only scan of the partial active-listings index.
 */
export async function listCategories(db: AnyDb): Promise<CategoryRow[]> {
  const counts = db
    .select({ categoryId: listings.categoryId, count: sql<number>`count(*)::int`.as("count") })
    .from(listings)
    .where(eq(listings.status, "active"))
    .groupBy(listings.categoryId)
    .as("counts");
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

const newest = newestFirst(listings.publishedAt, listings.id);

/** Which active listings a list shows: all, one subcategory, or everything under a top-level category. */
export type ListingScope = { kind: "all" } | { kind: "category"; id: number } | { kind: "root"; id: number };

const scopeFilter = (scope: ListingScope): SQL | undefined =>
  scope.kind === "category" ? eq(listings.categoryId, scope.id) : scope.kind === "root" ? eq(listings.rootCategoryId, scope.id) : undefined;

/**
 * Active listings, newest first, after the cursor: `limit` rows plus one to tell whether more exist.
 * Each scope is one range of a partial index (by category, by root category, or newest overall).
 */
export async function listActiveListings(db: AnyDb, options: { scope: ListingScope; after?: Key; limit: number }): Promise<ListingCard[]> {
  return db
    .select(cardColumns)
    .from(listings)
    .where(and(eq(listings.status, "active"), scopeFilter(options.scope), after(listings.publishedAt, listings.id, options.after)))
    .orderBy(...newest)
    .limit(options.limit + 1);
}

/** A card as raw SQL returns it: snake_case names, numerics and timestamps as the driver parsed them. */
export interface RawCard {
  id: string;
  slug: string;
  title: string;
  seller_name: string;
  starting_price: number | null;
  min_delivery_days: number | null;
  currency: string;
  rating_avg: string | number;
  rating_count: number;
  cover_image_id: string | null;
  cover: ImageDetail | null;
  published_at: Date | string | null;
  seller_avatar: AvatarDetail | null;
}

/** A raw card row in the shape the views take (catalog lists, the home sections, search). */
export function cardFromRow(row: RawCard): ListingCard {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    sellerName: row.seller_name,
    startingPrice: row.starting_price,
    minDeliveryDays: row.min_delivery_days,
    currency: row.currency,
    ratingAvg: Number(row.rating_avg),
    ratingCount: row.rating_count,
    coverImageId: row.cover_image_id,
    cover: row.cover,
    publishedAt: row.published_at === null ? null : new Date(row.published_at),
    sellerAvatar: row.seller_avatar,
  };
}

/** The best rated listings with enough reviews to mean it. */
export async function listTopRatedListings(db: AnyDb, limit: number, minReviews = 5): Promise<ListingCard[]> {
  return db
    .select(cardColumns)
    .from(listings)
    .where(and(eq(listings.status, "active"), sql`${listings.ratingCount} >= ${minReviews}`))
    .orderBy(desc(listings.ratingAvg), desc(listings.id))
    .limit(limit);
}

/** The newest few listings of each top-level category, in one query (a lateral index range per category). */
export async function listNewestPerTopCategory(db: AnyDb, perCategory: number) {
  const perRoot = db
    .select(cardColumns)
    .from(listings)
    .where(and(eq(listings.status, "active"), sql`${listings.rootCategoryId} = top.id`))
    .orderBy(...newest)
    .limit(perCategory);
  const rows = await queryRows<RawCard & { category_slug: string }>(
    db,
    sql`select top.slug as category_slug, l.*
          from ${categories} top cross join lateral (${perRoot.getSQL()}) l
         where top.parent_id is null
         order by top.position, top.id, l.published_at desc nulls first, l.id desc nulls first`,
  );
  return rows.map((row) => ({ categorySlug: row.category_slug, listing: cardFromRow(row) }));
}
