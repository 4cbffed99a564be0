import { z } from "zod";
import { readThrough } from "../data/cache.ts";
import { cardFromRow } from "../data/catalog.ts";
import type { Db } from "../data/db.ts";
import {
  DELIVERY_BANDS,
  naiveSearchListings,
  PRICE_BANDS,
  RATING_BANDS,
  searchFacets,
  searchListings,
  type FacetRow,
  type SearchFilters,
  type SearchRow,
  type SearchSort,
  type TextQuery,
} from "../data/search.ts";
import { insertSynonym, listSynonyms, lookUpWords, rebuildVocabulary, suggestPhrases, vocabularyIsStale } from "../data/search-vocabulary.ts";
import { AppError } from "../lib/errors.ts";
import { CACHE_LIFETIME, cacheKeys } from "./cache-keys.ts";
import { findCategoryNode, type Read, type ReadContext } from "./catalog-reads.ts";
import { listingCardView } from "./listing-views.ts";
import { MIN_PREFIX_LENGTH, planQuery, spans, tokenize } from "./search-query.ts";
import type { SearchQuery } from "./search-inputs.ts";

/**
 * Totals and facets are exact up to this many candidates; above it they are estimates from a random
 * sample of the listings (docs/search.md, Facets and the total).
 */
export const EXACT_TOTAL_BOUND = 1_000;
const SUGGESTIONS = 10;

/** A search cursor: the sort it belongs to, the last row's sort key (as Postgres wrote it) and its id. */
const cursorSchema = z.object({
  s: z.string(),
  // A time, a price or rating, or a relevance score (a float8 as Postgres prints it: "0.0607927106", "1.5e-05").
  v: z.union([z.iso.datetime(), z.string().regex(/^-?\d{1,17}(\.\d{1,17})?(e-?\d{1,3})?$/)]),
  id: z.uuid(),
});

const encode = (value: object) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function decodeSearchCursor(text: string | undefined, sort: SearchSort) {
  if (text === undefined) return undefined;
  try {
    const cursor = cursorSchema.parse(JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/"))));
    const isTime = sort === "newest";
    if (cursor.s !== sort || isTime !== z.iso.datetime().safeParse(cursor.v).success) throw new Error("another sort's cursor");
    return { value: cursor.v, id: cursor.id };
  } catch {
    throw new AppError("invalid_input", "The cursor is not valid for this search; start again from the first page.", {
      details: { issues: [{ path: "cursor", message: "not a cursor this search gave out" }] },
    });
  }
}

/** Slugs to filter ids: a top-level category includes everything below it. */
async function categoryFilter(ctx: ReadContext, slugs: string[]) {
  const leaves: number[] = [];
  const roots: number[] = [];
  for (const slug of slugs) {
    const found = await findCategoryNode(ctx, slug);
    if (!found) throw new AppError("not_found", `No category "${slug}".`);
    (found.parent ? leaves : roots).push(found.node.id);
  }
  return { leafCategoryIds: leaves, rootCategoryIds: roots };
}

/** The words looked up and the synonyms of their spans (one statement), then the tsquery. */
async function planText(db: ReadContext["db"], text: string) {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { text: null, corrected: null };
  const { terms, synonyms } = await lookUpWords(db, tokens, spans(tokens), MIN_PREFIX_LENGTH);
  const plan = planQuery(tokens, terms, synonyms);
  return { text: { tsquery: plan.tsquery, phrase: plan.phrase } satisfies TextQuery, corrected: plan.corrected };
}

/** What the counts are multiplied by: one in how many listings the counted candidates were drawn from. */
export const facetScale = (rows: FacetRow[]): number => rows.find((row) => row.facet === "sample")?.count ?? 1;

function facetsView(rows: FacetRow[], scale: number) {
  const count = (facet: FacetRow["facet"], key: string) => Math.round(scale * (rows.find((row) => row.facet === facet && row.key === key)?.count ?? 0));
  const category = rows
    .filter((row) => row.facet === "root" || row.facet === "leaf")
    .map((row) => ({ slug: row.key, name: row.name ?? row.key, parent: row.parent, count: Math.round(scale * row.count) }))
    .sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug));
  return {
    category,
    price: PRICE_BANDS.map((min, i) => ({ min, max: PRICE_BANDS[i + 1] ?? null, count: count("price", String(min)) })),
    deliveryDays: DELIVERY_BANDS.map((maxDays) => ({ maxDays, count: count("delivery", String(maxDays)) })),
    rating: RATING_BANDS.map((minRating) => ({ minRating, count: count("rating", String(minRating)) })),
  };
}

const pickFilters = (query: SearchQuery) => ({
  minPrice: query.minPrice,
  maxPrice: query.maxPrice,
  maxDeliveryDays: query.maxDeliveryDays,
  minRating: query.minRating,
});

const cardOf = (row: SearchRow) => listingCardView(cardFromRow(row));

async function loadSearch(ctx: ReadContext, query: SearchQuery) {
  const after = decodeSearchCursor(query.cursor, query.sort);
  // The category tree and the words' lookups are independent reads: one round trip's wait, not two.
  const [categories, { text, corrected }] = await Promise.all([categoryFilter(ctx, query.category), planText(ctx.db, query.q)]);
  const filters: SearchFilters = { ...categories, ...pickFilters(query) };
  const [rows, facetRows] = await Promise.all([
    searchListings(ctx.db, { text, filters, sort: query.sort, after, limit: query.limit }),
    after ? Promise.resolve(null) : searchFacets(ctx.db, { text, filters, bound: EXACT_TOTAL_BOUND }),
  ]);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const scale = facetRows ? facetScale(facetRows) : 1;
  return {
    items: items.map(cardOf),
    nextCursor: rows.length > query.limit && last ? encode({ s: query.sort, v: last.sort_value, id: last.id }) : null,
    /** Facets and the total come with the first page only (later pages keep the first page's). */
    facets: facetRows ? facetsView(facetRows, scale) : null,
    total: facetRows ? Math.round(scale * (facetRows.find((row) => row.facet === "total")?.count ?? 0)) : null,
    /** The total and the facet counts are estimates from a sample (more than EXACT_TOTAL_BOUND candidates). */
    totalApproximate: scale > 1,
    query: query.q,
    /** "Showing results for …": the query with unknown words corrected, when any were. */
    correctedQuery: corrected,
  };
}

export type SearchResponse = Awaited<ReturnType<typeof loadSearch>>;

/** The bench's baseline: the naive ILIKE search with the same filters, uncached, no facets. */
export async function naiveSearch(ctx: ReadContext, query: SearchQuery) {
  const filters: SearchFilters = { ...(await categoryFilter(ctx, query.category)), ...pickFilters(query) };
  return { items: await naiveSearchListings(ctx.db, { words: tokenize(query.q), filters, limit: query.limit }) };
}

/** `GET /api/search`: read through the shared cache under the normalized query. */
export async function readSearch(ctx: ReadContext, query: SearchQuery): Promise<Read<SearchResponse>> {
  const normalized = JSON.stringify([tokenize(query.q), query.category.toSorted(), query.minPrice, query.maxPrice, query.maxDeliveryDays, query.minRating, query.sort, query.cursor, query.limit]);
  return readThrough(ctx.cache, cacheKeys.search(normalized), CACHE_LIFETIME.search, () => loadSearch(ctx, query));
}

export interface Suggestion {
  text: string;
  kind: string;
}

/** `GET /api/search/suggest`: up to ten completions, each phrase once. */
export async function readSuggestions(ctx: ReadContext, text: string): Promise<Read<{ items: Suggestion[] }>> {
  const normalized = tokenize(text).join(" ");
  return readThrough(ctx.cache, cacheKeys.suggest(normalized), CACHE_LIFETIME.suggest, async () => {
    if (!normalized) return { items: [] };
    const rows = await suggestPhrases(ctx.db, normalized, SUGGESTIONS);
    const seen = new Set<string>();
    const items = rows.filter((row) => !seen.has(row.phrase) && seen.add(row.phrase)).slice(0, SUGGESTIONS);
    return { items: items.map((row) => ({ text: row.phrase, kind: row.kind })) };
  });
}

export async function readSynonyms(db: Db) {
  return { items: await listSynonyms(db.primary) };
}

/** Adds a synonym pair; it applies from the next query, with no reindex. */
export async function addSynonym(db: Db, pair: { term: string; synonym: string }) {
  const created = await insertSynonym(db.primary, pair);
  return { synonym: pair, created };
}

/** The scheduled job: rebuilds the vocabulary when a listing changed since the last build. */
export async function refreshSearchVocabulary(db: Db): Promise<boolean> {
  if (!(await vocabularyIsStale(db.primary))) return false;
  await db.transaction((tx) => rebuildVocabulary(tx));
  return true;
}
