import { listActiveListings, listCategories, listNewestPerTopCategory, listTopRatedListings, type ListingScope } from "../data/catalog.ts";
import { invalidate, readThrough, type CacheContext, type CacheSource } from "../data/cache.ts";
import type { AnyDb } from "../data/db.ts";
import { findActiveListingBySlug } from "../data/listing-detail.ts";
import { findPublicSeller, listReviews, listSellerListings } from "../data/sellers.ts";
import { AppError } from "../lib/errors.ts";
import { CACHE_LIFETIME, cacheKeys, listLifetime } from "./cache-keys.ts";
import { buildCategoryTree, type CategoryNode } from "./categories.ts";
import { avatarView, categoryView, listingCardView, listingView, reviewJson, type AvatarJson, type ListingCardJson as Card, type ListingJson, type ReviewJson } from "./listing-views.ts";
import type { Key } from "../data/keyset.ts";
import { decodeCursor, encodeCursor, toPage, type Page } from "./pagination.ts";
import { sellerProfileView, type SellerProfileJson } from "./views.ts";

/** What every catalog read needs: a database to read from and the shared cache in front of it. */
export interface ReadContext {
  db: AnyDb;
  cache: CacheContext;
}

export interface Read<T> {
  value: T;
  source: CacheSource;
}

/** A cursor as the cache knows it: re-encoded, so the many spellings of one cursor share one cache entry. */
const cursorKey = (after: Key | undefined) => (after ? encodeCursor(after) : undefined);

const cardKey = (card: { publishedAt: Date | null; id: string }) => ({ at: card.publishedAt ?? new Date(0), id: card.id });

export async function readCategoryTree(ctx: ReadContext): Promise<Read<(CategoryNode & { id: number })[]>> {
  return readThrough(ctx.cache, cacheKeys.categories(), CACHE_LIFETIME.categories, async () => buildCategoryTree(await listCategories(ctx.db)));
}

export async function readCategories(ctx: ReadContext) {
  const { value, source } = await readCategoryTree(ctx);
  return { value: value.map(categoryView), source };
}

/** A category by slug, with its place in the tree, from the cached tree (no query of its own). */
export async function findCategoryNode(ctx: ReadContext, slug: string) {
  const { value: roots } = await readCategoryTree(ctx);
  for (const root of roots) {
    if (root.slug === slug) return { node: root, parent: undefined };
    const child = root.children.find((node) => node.slug === slug);
    if (child) return { node: child, parent: root };
  }
  return undefined;
}

export async function readListingsPage(ctx: ReadContext, query: { category?: string; cursor?: string; limit: number }): Promise<Read<Page<Card>>> {
  let scope: ListingScope = { kind: "all" };
  if (query.category) {
    const found = await findCategoryNode(ctx, query.category);
    if (!found) throw new AppError("not_found", `No category "${query.category}".`);
    scope = found.parent ? { kind: "category", id: found.node.id } : { kind: "root", id: found.node.id };
  }
  const after = decodeCursor(query.cursor);
  const key = cacheKeys.categoryListings(query.category ?? "all", cursorKey(after), query.limit);
  return readThrough(ctx.cache, key, listLifetime(query.cursor), async () => {
    const rows = await listActiveListings(ctx.db, { scope, after, limit: query.limit });
    const page = toPage(rows, query.limit, cardKey);
    return { items: page.items.map(listingCardView), nextCursor: page.nextCursor };
  });
}

/** A live listing by slug, or a 404. Misses are cached briefly too, so a flood of one bad slug stays off the database. */
export async function readListing(ctx: ReadContext, slug: string): Promise<Read<ListingJson>> {
  const { value, source } = await readThrough(ctx.cache, cacheKeys.listing(slug), CACHE_LIFETIME.listing, async () => {
    const listing = await findActiveListingBySlug(ctx.db, slug);
    return listing ? listingView(listing) : null;
  });
  if (!value) throw new AppError("not_found", "No such listing.");
  return { value, source };
}

/** A seller's public profile with the first page of their services and reviews: `GET /api/sellers/:username`. */
export interface SellerPage {
  seller: SellerProfileJson & { avatar: AvatarJson };
  listings: Page<Card>;
  reviews: Page<ReviewJson>;
}

const SELLER_PAGE_SIZE = 12;

export async function readSeller(ctx: ReadContext, username: string): Promise<Read<SellerPage>> {
  const { value, source } = await readThrough(ctx.cache, cacheKeys.seller(username), CACHE_LIFETIME.seller, async (): Promise<SellerPage | null> => {
    const profile = await findPublicSeller(ctx.db, username);
    if (!profile) return null;
    const [listings, reviews] = await Promise.all([
      listSellerListings(ctx.db, profile.userId, { limit: SELLER_PAGE_SIZE }),
      listReviews(ctx.db, { sellerId: profile.userId, limit: SELLER_PAGE_SIZE }),
    ]);
    const listingPage = toPage(listings, SELLER_PAGE_SIZE, cardKey);
    const reviewPage = toPage(reviews, SELLER_PAGE_SIZE, (review) => ({ at: review.createdAt, id: review.id }));
    return {
      seller: { ...sellerProfileView(profile), avatar: avatarView(profile.avatar) },
      listings: { items: listingPage.items.map(listingCardView), nextCursor: listingPage.nextCursor },
      reviews: { items: reviewPage.items.map(reviewJson), nextCursor: reviewPage.nextCursor },
    };
  });
  if (!value) throw new AppError("not_found", "No such seller.");
  return { value, source };
}

/** A public seller's id, or a 404 (one indexed lookup; the pages built on it are cached). */
async function publicSellerId(ctx: ReadContext, username: string): Promise<string> {
  const profile = await findPublicSeller(ctx.db, username);
  if (!profile) throw new AppError("not_found", "No such seller.");
  return profile.userId;
}

/** Later pages of a seller's services (the first is on their profile). */
export async function readSellerListings(ctx: ReadContext, username: string, query: { cursor?: string; limit: number }): Promise<Read<Page<Card>>> {
  const after = decodeCursor(query.cursor);
  return readThrough(ctx.cache, cacheKeys.sellerListings(username, cursorKey(after), query.limit), listLifetime(query.cursor), async () => {
    const rows = await listSellerListings(ctx.db, await publicSellerId(ctx, username), { after, limit: query.limit });
    const page = toPage(rows, query.limit, cardKey);
    return { items: page.items.map(listingCardView), nextCursor: page.nextCursor };
  });
}

/** Later pages of the reviews of everything a seller sells. */
export async function readSellerReviews(ctx: ReadContext, username: string, query: { cursor?: string; limit: number }): Promise<Read<Page<ReviewJson>>> {
  const after = decodeCursor(query.cursor);
  return readThrough(ctx.cache, cacheKeys.sellerReviews(username, cursorKey(after), query.limit), listLifetime(query.cursor), async () => {
    const rows = await listReviews(ctx.db, { sellerId: await publicSellerId(ctx, username), after, limit: query.limit });
    const page = toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
    return { items: page.items.map(reviewJson), nextCursor: page.nextCursor };
  });
}

export async function readListingReviews(ctx: ReadContext, listingId: string, query: { cursor?: string; limit: number }): Promise<Read<Page<ReviewJson>>> {
  const after = decodeCursor(query.cursor);
  return readThrough(ctx.cache, cacheKeys.listingReviews(listingId, cursorKey(after), query.limit), listLifetime(query.cursor), async () => {
    const page = toPage(await listReviews(ctx.db, { listingId, after, limit: query.limit }), query.limit, (r) => ({ at: r.createdAt, id: r.id }));
    return { items: page.items.map(reviewJson), nextCursor: page.nextCursor };
  });
}

export interface HomeSections {
  newest: Card[];
  topRated: Card[];
  byCategory: { categorySlug: string; listings: Card[] }[];
}

export async function readHome(ctx: ReadContext): Promise<Read<HomeSections>> {
  return readThrough(ctx.cache, cacheKeys.home(), CACHE_LIFETIME.home, async () => {
    const [newest, topRated, perCategory] = await Promise.all([
      listActiveListings(ctx.db, { scope: { kind: "all" }, limit: 8 }),
      listTopRatedListings(ctx.db, 8),
      listNewestPerTopCategory(ctx.db, 4),
    ]);
    const byCategory = new Map<string, Card[]>();
    for (const { categorySlug, listing } of perCategory) byCategory.set(categorySlug, [...(byCategory.get(categorySlug) ?? []), listingCardView(listing)]);
    return {
      newest: newest.slice(0, 8).map(listingCardView),
      topRated: topRated.map(listingCardView),
      byCategory: [...byCategory].map(([categorySlug, listings]) => ({ categorySlug, listings })),
    };
  });
}

/** After a write commits: the entries naming these listings and their seller go; lists and counts age out. */
export async function invalidateListings(ctx: Pick<CacheContext, "redis">, changed: { slugs: string[]; sellerUsername: string | null }) {
  const keys = changed.slugs.map(cacheKeys.listing);
  if (changed.sellerUsername) keys.push(cacheKeys.seller(changed.sellerUsername));
  await invalidate(ctx.redis, keys);
}
