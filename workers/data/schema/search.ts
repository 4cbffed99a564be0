import { sql } from "drizzle-orm";
import { check, doublePrecision, index, integer, numeric, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { listings } from "./catalog.ts";
import { at, descending, tsvector } from "./columns.ts";

/**
 * The narrow copy of each active listing that search reads (docs/search.md): the document, the filter and
 * sort columns and the quality score, about a third of a listing row, so matching, ranking and facets never
 * touch the wide listings row. Written only by the trigger `listings_search_sync` (migration 0011).
 */
export const listingSearch = pgTable(
  "listing_search",
  {
    id: uuid()
      .primaryKey()
      .references(() => listings.id, { onDelete: "cascade" }),
    search: tsvector().notNull(),
    categoryId: integer().notNull(),
    rootCategoryId: integer().notNull(),
    startingPrice: integer().notNull(),
    minDeliveryDays: smallint().notNull(),
    ratingAvg: numeric({ precision: 3, scale: 2, mode: "number" }).notNull(),
    publishedAt: at().notNull(),
    /** Rating, completed orders and review count folded into [0, 1] (docs/search.md, Ranking). */
    quality: doublePrecision().notNull(),
  },
  (t) => [
    index("listing_search_search_idx").using("gin", t.search),
    // Browsing a category with no words: a bitmap OR of these two, then the sort.
    index("listing_search_category_idx").on(t.categoryId),
    index("listing_search_root_category_idx").on(t.rootCategoryId),
    index("listing_search_new_idx").on(descending(t.publishedAt), descending(t.id)),
    index("listing_search_price_idx").on(t.startingPrice, t.id),
    index("listing_search_rating_idx").on(descending(t.ratingAvg), descending(t.id)),
  ],
);

/**
 * Every word of the indexed text of active listings (ts_stat over the 'simple' parse, unaccented), with how
 * many listings use it: the vocabulary typo correction and suggestions draw from. Rebuilt, never edited.
 */
export const searchWords = pgTable(
  "search_words",
  {
    word: text().primaryKey(),
    listings: integer().notNull(),
  },
  (t) => [
    index("search_words_trgm_idx").using("gist", sql`${t.word} gist_trgm_ops`),
    index("search_words_prefix_idx").on(sql`${t.word} text_pattern_ops`),
  ],
);

export const SUGGESTION_KINDS = ["title", "tag", "category"] as const;

/** What the search box completes: listing titles, tags and category names, lower case, with a popularity weight. */
export const searchSuggestions = pgTable(
  "search_suggestions",
  {
    phrase: text().notNull(),
    kind: text({ enum: SUGGESTION_KINDS }).notNull(),
    weight: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.phrase, t.kind] }),
    index("search_suggestions_trgm_idx").using("gist", sql`${t.phrase} gist_trgm_ops`),
    // What a typed prefix is compared with: the phrase without a title's leading "i will " (docs/search.md).
    index("search_suggestions_completion_idx").on(sql`suggestion_key(${t.phrase}) text_pattern_ops`, t.weight),
  ],
);

/** When the vocabulary tables were last rebuilt: the scheduled job rebuilds them only after a listing changed. */
export const searchVocabularyState = pgTable("search_vocabulary_state", {
  id: integer().primaryKey().default(1),
  builtAt: at().notNull(),
}, (t) => [check("search_vocabulary_state_single", sql`${t.id} = 1`)]);

/** Two spellings of one need, applied at query time in both directions ("seo" = "search engine optimization"). */
export const searchSynonyms = pgTable(
  "search_synonyms",
  {
    term: text().notNull(),
    synonym: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.term, t.synonym] }),
    index("search_synonyms_synonym_idx").on(t.synonym),
    check("search_synonyms_distinct", sql`${t.term} <> ${t.synonym}`),
  ],
);
