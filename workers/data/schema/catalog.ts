import { sql } from "drizzle-orm";
import { char, check, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { at, citext, descending, id, timestamps, tsvector } from "./columns.ts";
import { users } from "./accounts.ts";

export const categories = pgTable(
  "categories",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer().references((): AnyPgColumn => categories.id, { onDelete: "restrict" }),
    slug: citext().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    position: smallint().notNull().default(0),
  },
  (t) => [uniqueIndex("categories_slug_idx").on(t.slug), index("categories_parent_idx").on(t.parentId, t.position)],
);

export const LISTING_STATUSES = ["draft", "active", "paused", "suspended", "deleted"] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];
export const PACKAGE_TIERS = ["basic", "standard", "premium"] as const;

export interface FaqEntry {
  question: string;
  answer: string;
}

export const listings = pgTable(
  "listings",
  {
    id: id(),
    sellerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    categoryId: integer()
      .notNull()
      .references(() => categories.id),
    /** The top-level category above categoryId, so a top-level category page is one index range. */
    rootCategoryId: integer()
      .notNull()
      .references(() => categories.id),
    slug: citext().notNull(),
    title: text().notNull(),
    description: text().notNull().default(""),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** The names of the category and its parent, for search; set by a trigger from categoryId (migration 0010). */
    categoryNames: text().notNull().default(""),
    faq: jsonb().$type<FaqEntry[]>().notNull().default([]),
    status: text({ enum: LISTING_STATUSES }).notNull().default("draft"),
    currency: char({ length: 3 }).notNull().default("USD"),
    // Denormalised for list pages and search, kept right in the writing transaction.
    startingPrice: integer(),
    minDeliveryDays: smallint(),
    sellerName: text().notNull(),
    ratingSum: integer().notNull().default(0),
    ratingCount: integer().notNull().default(0),
    ratingAvg: numeric({ precision: 3, scale: 2, mode: "number" })
      .notNull()
      .generatedAlwaysAs(
      sql`case when rating_count = 0 then 0 else round(rating_sum::numeric / rating_count, 2) end`,
    ),
    completedOrders: integer().notNull().default(0),
    coverImageId: uuid().references((): AnyPgColumn => images.id, { onDelete: "set null" }),
    /** Bumped on every change; caches key on it. */
    version: integer().notNull().default(1),
    search: tsvector()
      .notNull()
      .generatedAlwaysAs(sql`listing_search_document(title, tags, category_names, description)`),
    publishedAt: at(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("listings_slug_idx").on(t.slug),
    index("listings_seller_idx").on(t.sellerId, t.status),
    // Every public list reads active listings only: keep those indexes small. Each matches its keyset
    // order exactly, `id` included, so a page is an index scan with no sort.
    index("listings_active_category_idx").on(t.categoryId, descending(t.publishedAt), descending(t.id)).where(sql`status = 'active'`),
    index("listings_active_root_category_idx").on(t.rootCategoryId, descending(t.publishedAt), descending(t.id)).where(sql`status = 'active'`),
    index("listings_active_new_idx").on(descending(t.publishedAt), descending(t.id)).where(sql`status = 'active'`),
    index("listings_active_price_idx").on(t.startingPrice, t.id).where(sql`status = 'active'`),
    index("listings_active_rating_idx").on(descending(t.ratingAvg), descending(t.id)).where(sql`status = 'active'`),
    index("listings_search_idx").using("gin", t.search).where(sql`status = 'active'`),
    index("listings_title_trgm_idx").using("gin", sql`title gin_trgm_ops`).where(sql`status = 'active'`),
    index("listings_tags_idx").using("gin", t.tags),
    // The search vocabulary is rebuilt when a listing changed since the last build (workers/data/search-vocabulary.ts).
    index("listings_updated_idx").on(t.updatedAt),
    index("listings_cover_image_idx").on(t.coverImageId),
    check("listings_title_length", sql`char_length(${t.title}) between 5 and 120`),
    check("listings_starting_price_positive", sql`${t.startingPrice} is null or ${t.startingPrice} > 0`),
    // Public lists sort and show these; a listing goes live only with all of them set.
    check(
      "listings_active_complete",
      sql`${t.status} <> 'active' or (${t.publishedAt} is not null and ${t.startingPrice} is not null and ${t.minDeliveryDays} is not null)`,
    ),
  ],
);

export const listingPackages = pgTable(
  "listing_packages",
  {
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: "cascade" }),
    tier: text({ enum: PACKAGE_TIERS }).notNull(),
    title: text().notNull(),
    description: text().notNull().default(""),
    price: integer().notNull(),
    deliveryDays: smallint().notNull(),
    /** null means unlimited revisions. */
    revisions: smallint(),
    features: text().array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    primaryKey({ columns: [t.listingId, t.tier] }),
    check("listing_packages_price", sql`${t.price} between 500 and 10000000`),
    check("listing_packages_days", sql`${t.deliveryDays} between 1 and 90`),
    check("listing_packages_revisions", sql`${t.revisions} is null or ${t.revisions} between 0 and 20`),
  ],
);

export const listingExtras = pgTable(
  "listing_extras",
  {
    id: id(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: "cascade" }),
    title: text().notNull(),
    price: integer().notNull(),
    addedDays: smallint().notNull().default(0),
    position: smallint().notNull().default(0),
  },
  (t) => [
    index("listing_extras_listing_idx").on(t.listingId, t.position),
    check("listing_extras_price", sql`${t.price} between 100 and 10000000`),
    check("listing_extras_days", sql`${t.addedDays} between 0 and 30`),
  ],
);

/** Uploaded pictures: listing galleries and seller avatars. Variants are derived WebP files in R2. */
export const images = pgTable(
  "images",
  {
    id: id(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    listingId: uuid().references(() => listings.id, { onDelete: "cascade" }),
    status: text({ enum: ["processing", "ready", "failed"] }).notNull().default("processing"),
    reason: text(),
    originalKey: text().notNull(),
    contentType: text().notNull(),
    bytes: integer().notNull(),
    width: integer(),
    height: integer(),
    /** Widths of the WebP variants written to R2. */
    variantWidths: integer().array().notNull().default(sql`'{}'::int[]`),
    /** Names the rendering in the variants' keys and URLs (variants/<id>/<version>/<w>.webp), so a URL's bytes never change. */
    variantVersion: text(),
    placeholder: text(),
    position: smallint().notNull().default(0),
    ...timestamps,
  },
  (t) => [index("images_listing_idx").on(t.listingId, t.position), index("images_owner_idx").on(t.ownerId)],
);
