import type { Lifetime } from "../data/cache.ts";

/**
 * Every Redis cache key and how long it lives, in one place. The version prefix lets a release that
 * changes a cached shape start from empty keys instead of reading the old shape.
 */
const V = "c2";

/** A miss (no such listing or seller) lives briefly: random names then cost Redis only what a short window holds. */
const MISS_SECONDS = 30;
/** How long past freshness a copy is kept, to serve while the database is unreachable (stale-if-error). */
const STALE_IF_ERROR_SECONDS = 3600;

const lifetime = (fresh: number, stale = STALE_IF_ERROR_SECONDS): Lifetime => ({ fresh, stale, miss: Math.min(fresh, MISS_SECONDS) });

export const CACHE_LIFETIME = {
  /** Invalidated on every write to the listing: long is safe. */
  listing: lifetime(3600),
  seller: lifetime(300),
  /** Lists and counts are not invalidated per write: their freshness is the staleness bound. */
  list: lifetime(30),
  /** Pages after the first: any cursor names one, so they keep no stale copy (Redis holds only what 30 s of them add). */
  laterPage: lifetime(30, 0),
  categories: lifetime(60),
  home: lifetime(30),
  /** Search answers are not invalidated per write either: short, so a change shows within seconds (SEARCH_EDGE). */
  search: lifetime(1),
  suggest: lifetime(60),
} as const;

/**
 * How long the edge keeps a search answer fresh, then stale while it refreshes. A write shows in search
 * within 5 seconds (issue 17): at most 1 s in Redis, then at most 2 + 1 s in an edge copy filled from it.
 */
export const SEARCH_EDGE = { fresh: 2, stale: 1 } as const;

/**
 * A key from its parts, each percent-encoded: a part can hold no `:`, so no parameter can reach into
 * another key's structure (or the generations, which live under their own prefix in data/cache.ts).
 */
const key = (...parts: (string | number)[]) => [V, ...parts.map((part) => encodeURIComponent(part))].join(":");
const page = (cursor: string | undefined, limit: number) => [cursor ?? "-", limit] as const;

export const cacheKeys = {
  listing: (slug: string) => key("listing", slug.toLowerCase()),
  seller: (username: string) => key("seller", username.toLowerCase()),
  categories: () => key("categories"),
  home: () => key("home"),
  /** Active listings of the whole catalog ("all") or one category, by category slug. */
  categoryListings: (category: string, cursor: string | undefined, limit: number) => key("listings", "category", category.toLowerCase(), ...page(cursor, limit)),
  sellerListings: (username: string, cursor: string | undefined, limit: number) => key("listings", "seller", username.toLowerCase(), ...page(cursor, limit)),
  sellerReviews: (username: string, cursor: string | undefined, limit: number) => key("reviews", "seller", username.toLowerCase(), ...page(cursor, limit)),
  listingReviews: (listingId: string, cursor: string | undefined, limit: number) => key("reviews", "listing", listingId, ...page(cursor, limit)),
  search: (normalized: string) => key("search", normalized),
  suggest: (text: string) => key("suggest", text),
};

/** The lifetime of a list page: the first one is kept stale for outages, later ones are not. */
export const listLifetime = (cursor: string | undefined) => (cursor === undefined ? CACHE_LIFETIME.list : CACHE_LIFETIME.laterPage);
