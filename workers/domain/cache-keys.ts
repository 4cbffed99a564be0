/**
 * Every Redis cache key and how long it lives, in one place. The version prefix lets a release that
 * changes a cached shape start from empty keys instead of reading the old shape.
 */
const V = "c1";

export const CACHE_TTL = {
  /** Invalidated on every write to the listing: long is safe. */
  listing: 3600,
  seller: 300,
  /** Lists and counts are not invalidated per write: their TTL is the staleness bound. */
  list: 30,
  categories: 60,
  home: 30,
  /** Search answers are not invalidated per write either: short, so a change shows within seconds. */
  search: 5,
  suggest: 60,
} as const;

export const cacheKeys = {
  listing: (slug: string) => `${V}:listing:${slug.toLowerCase()}`,
  seller: (username: string) => `${V}:seller:${username.toLowerCase()}`,
  categories: () => `${V}:categories`,
  home: () => `${V}:home`,
  listings: (scope: string, cursor: string | undefined, limit: number) => `${V}:listings:${scope}:${cursor ?? "-"}:${limit}`,
  search: (normalized: string) => `${V}:search:${normalized}`,
  suggest: (text: string) => `${V}:suggest:${text}`,
  reviews: (owner: string, cursor: string | undefined, limit: number) => `${V}:reviews:${owner}:${cursor ?? "-"}:${limit}`,
};
