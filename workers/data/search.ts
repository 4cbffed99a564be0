import { sql, type SQL } from "drizzle-orm";
import { queryRows, type AnyDb } from "./db.ts";
import type { RawCard } from "./catalog.ts";
import { coverImageJson, sellerAvatarJson } from "./listing-detail.ts";

// Matching, ranking, sorting and facets over listing_search; the vocabulary, suggestions and synonyms are
// in ./search-vocabulary.ts.

const intArray = (ids: number[]) => `{${ids.map((id) => Math.trunc(id)).join(",")}}`;

export interface SearchFilters {
  leafCategoryIds: number[];
  rootCategoryIds: number[];
  minPrice: number | undefined;
  maxPrice: number | undefined;
  maxDeliveryDays: number | undefined;
  minRating: number | undefined;
}

/** The matching text, as to_tsquery input (or none: every active listing). */
export interface TextQuery {
  tsquery: string;
  phrase: string | null;
}

// A scalar subquery, so Postgres parses the query once (an InitPlan) instead of once per row it ranks or
// filters: to_tsquery is only stable, so the bare call was evaluated again for every match scored.
const tsq = (text: string) => sql`(select to_tsquery('english', unaccent('unaccent', ${text})))`;
const textMatch = (text: TextQuery | null) => (text ? sql`l.search @@ ${tsq(text.tsquery)}` : sql`true`);

/** Each filter as a condition (true when not set), so facets can leave their own out. */
function filterConditions(f: SearchFilters) {
  const anyCategory = f.leafCategoryIds.length + f.rootCategoryIds.length > 0;
  return {
    category: anyCategory
      ? sql`(l.category_id = any(${intArray(f.leafCategoryIds)}::int[]) or l.root_category_id = any(${intArray(f.rootCategoryIds)}::int[]))`
      : sql`true`,
    price: sql`l.starting_price between ${f.minPrice ?? 0} and ${f.maxPrice ?? 2147483647}`,
    delivery: f.maxDeliveryDays === undefined ? sql`true` : sql`l.min_delivery_days <= ${f.maxDeliveryDays}`,
    rating: f.minRating === undefined ? sql`true` : sql`l.rating_avg >= ${f.minRating}`,
  };
}

/**
 * Title 1.0, tags 0.4, category names 0.2, description 0.1 ({D,C,B,A} order); the whole phrase counts 1.5
 * times. A float8, compared exactly: its text (shortest exact form) reads back to the same value, so a
 * cursor needs no rounding (rounding each match's score to numeric cost a third of the ranking).
 */
function scoreOf(text: TextQuery): SQL {
  const phraseBonus = text.phrase ? sql`(case when l.search @@ ${tsq(text.phrase)} then 1.5 else 1 end)` : sql`1`;
  return sql`(ts_rank('{0.1,0.2,0.4,1.0}', l.search, ${tsq(text.tsquery)})::float8 * ${phraseBonus} * (1 + 0.25 * l.quality))`;
}

export const SEARCH_SORTS = ["relevance", "newest", "price_asc", "price_desc", "rating"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Each sort's key (then id, the same way), as text a cursor can carry and Postgres can read back. */
const SORT_KEYS: Record<SearchSort, { key: SQL; text: SQL; cast: SQL; desc: boolean }> = {
  relevance: { key: sql`score`, text: sql`s.score::text`, cast: sql`float8`, desc: true },
  newest: { key: sql`published_at`, text: sql`to_char(s.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, cast: sql`timestamptz`, desc: true },
  price_asc: { key: sql`starting_price`, text: sql`s.starting_price::text`, cast: sql`numeric`, desc: false },
  price_desc: { key: sql`starting_price`, text: sql`s.starting_price::text`, cast: sql`numeric`, desc: true },
  rating: { key: sql`rating_avg`, text: sql`s.rating_avg::text`, cast: sql`numeric`, desc: true },
};

export interface SearchRow extends RawCard {
  published_at: Date | string;
  sort_value: string;
}

/**
 * Rows an index-ordered sort (every sort but relevance with words) walks before it falls back (see
 * windowedPage). The window is a prefix of the order, so the first matches in it are exactly the page.
 * A text that is rare there, or a filter correlated with the order ("llm" under $100, by rating), would
 * otherwise walk the whole index: the planner cannot estimate a text match against a column's order.
 */
const SORT_WINDOW = 1000;

/**
 * One page of matches in the sort's order, after the cursor's (value, id): `limit + 1` rows. Matching,
 * scoring and ordering read only the narrow `listing_search` rows (quality precomputed there); the wide
 * listings row is read for the page alone.
 */
export async function searchListings(
  db: AnyDb,
  options: { text: TextQuery | null; filters: SearchFilters; sort: SearchSort; after?: { value: string; id: string }; limit: number },
): Promise<SearchRow[]> {
  // Without words there is no text rank: relevance is the rating order, which an index serves (ranking
  // every active listing by quality would read them all).
  const order = SORT_KEYS[!options.text && options.sort === "relevance" ? "rating" : options.sort];
  const direction = order.desc ? sql`desc` : sql`asc`;
  const keyset = options.after
    ? sql`(s.${order.key}, s.id) ${order.desc ? sql`<` : sql`>`} (${options.after.value}::${order.cast}, ${options.after.id}::uuid)`
    : sql`true`;
  const page =
    options.text && options.sort === "relevance" ? rankedPage(options.text, options, order, direction, keyset) : windowedPage(options, order, direction, keyset);
  return queryRows<SearchRow>(
    db,
    sql`select l.id, l.slug, l.title, l.seller_name, l.starting_price, l.min_delivery_days, l.currency, l.rating_avg,
               l.rating_count, l.cover_image_id, ${coverImageJson(sql`l.cover_image_id`)} as cover, l.published_at, ${sellerAvatarJson(sql`l.seller_id`)} as seller_avatar, p.sort_value
          from (${page}) p
          join listings l on l.id = p.id
         order by p.sort_key ${direction}, p.id ${direction}`,
  );
}

type PageOptions = Parameters<typeof searchListings>[1];
type SortKey = (typeof SORT_KEYS)[SearchSort];

/** Relevance: every match scored, then the best: (id, sort_key, sort_value) rows. */
function rankedPage(text: TextQuery, options: PageOptions, order: SortKey, direction: SQL, keyset: SQL): SQL {
  const f = filterConditions(options.filters);
  return sql`select s.id, s.${order.key} as sort_key, ${order.text} as sort_value from (
                  select l.id, l.published_at, l.starting_price, l.rating_avg, ${scoreOf(text)} as score
                    from listing_search l
                   where ${textMatch(text)} and ${f.category} and ${f.price} and ${f.delivery} and ${f.rating}
                ) s where ${keyset}
                order by s.${order.key} ${direction}, s.id ${direction}
                limit ${options.limit + 1}`;
}

/**
 * Any other order (relevance without words is the rating order): the first SORT_WINDOW rows of the
 * order's index after the cursor, filtered; only when they hold less than a page, the rest. With words,
 * every match is gathered (a materialized set, so the planner cannot walk the index again) and sorted;
 * without, the planner picks, as its estimates of plain column filters hold (gathering every listing
 * rated 4 and up, by newest, took 80-110 ms against its index walk).
 */
function windowedPage(options: PageOptions, order: SortKey, direction: SQL, keyset: SQL): SQL {
  const f = filterConditions(options.filters);
  const matching = sql`${textMatch(options.text)} and ${f.category} and ${f.price} and ${f.delivery} and ${f.rating}`;
  const ordered = sql`order by s.${order.key} ${direction}, s.id ${direction}`;
  const wanted = options.limit + 1;
  return sql`with windowed as materialized (
                select s.id, s.${order.key} as sort_key, ${order.text} as sort_value from (
                  select l.* from (select * from listing_search s where ${keyset} ${ordered} limit ${SORT_WINDOW}) l where ${matching}
                ) s ${ordered} limit ${wanted}
              ), matches as ${sql.raw(options.text ? "materialized" : "not materialized")} (
                select l.id, l.published_at, l.starting_price, l.rating_avg from listing_search l where ${matching}
              )
              select * from windowed where (select count(*) from windowed) = ${wanted}
              union all
              (select s.id, s.${order.key}, ${order.text} from matches s
                where (select count(*) from windowed) < ${wanted} and ${keyset} ${ordered} limit ${wanted})`;
}

export const PRICE_BANDS = [0, 2500, 5000, 10000, 25000] as const;
export const DELIVERY_BANDS = [1, 3, 7, 14] as const;
export const RATING_BANDS = [4.5, 4, 3] as const;

export interface FacetRow {
  /** `candidates`: how many were counted; `sample`: one in how many listings they were drawn from (1: all). */
  facet: "root" | "leaf" | "price" | "delivery" | "rating" | "total" | "candidates" | "sample";
  /** The category slug, or the band's bound. */
  key: string;
  count: number;
  /** Categories only: the name and the parent's slug. */
  name: string | null;
  parent: string | null;
}

/**
 * The samples facets fall back to, each a fixed share of the id space: ids are random (gen_random_uuid),
 * so the listings with an id below `below` are a uniform random one in `of`, whatever the table's order.
 */
const FACET_SAMPLES = [
  { of: 16, below: "10000000-0000-0000-0000-000000000000" },
  { of: 64, below: "04000000-0000-0000-0000-000000000000" },
  { of: 256, below: "01000000-0000-0000-0000-000000000000" },
] as const;

/**
 * Facet counts and the total in one statement over the candidates: matches failing at most one filter
 * (only those can count anywhere). Each facet counts the candidates passing every other filter, not its
 * own (disjunctive). At most `bound + 1` candidates are read; when there are more, the counts are over
 * the first sample (FACET_SAMPLES) holding at most `bound`, each read only when the one before overflowed,
 * and `sample` says which (1: every candidate).
 */
export async function searchFacets(db: AnyDb, options: { text: TextQuery | null; filters: SearchFilters; bound: number }): Promise<FacetRow[]> {
  const f = filterConditions(options.filters);
  const bands = sql.raw(`array[${PRICE_BANDS.join(",")}]`);
  // A sample walks its id range and tests the text on each row (`is true` keeps the planner from building
  // the GIN bitmap of every match again, which is what the first, exact read already cost).
  const candidates = (below: string | null) => sql`select * from (
            select l.category_id, l.root_category_id, l.starting_price, l.min_delivery_days, l.rating_avg,
                   ${f.category} as c, ${f.price} as p, ${f.delivery} as d, ${f.rating} as r
              from listing_search l where ${below ? sql`(${textMatch(options.text)}) is true and l.id < ${below}::uuid` : textMatch(options.text)}
          ) x where c::int + p::int + d::int + r::int >= 3
          limit ${options.bound + 1}`;
  const levels = [{ of: 1, below: null }, ...FACET_SAMPLES];
  const fits = (i: number) => sql.raw(`(select count(*) from level${i}) <= ${options.bound}`);
  const overflowed = (i: number) => sql.join([sql`true`, ...levels.slice(0, i).map((_, j) => sql`not ${fits(j)}`)], sql` and `);
  const last = levels.length - 1;
  return queryRows<FacetRow>(
    db,
    sql`with ${sql.join(levels.map((level, i) => sql`${sql.raw(`level${i}`)} as materialized (${candidates(level.below)})`), sql`, `)},
        m as (${sql.join(levels.map((_, i) => sql`select * from ${sql.raw(`level${i}`)} where ${overflowed(i)} and ${i === last ? sql`true` : fits(i)}`), sql` union all `)}),
        categories_counted as (
          select 'root' as facet, root_category_id as id, count(*)::int as count from m where p and d and r group by 2
          union all select 'leaf', category_id, count(*)::int from m where p and d and r group by 2
        )
        select cc.facet, cat.slug::text as key, cc.count, cat.name, parent.slug::text as parent
          from categories_counted cc join categories cat on cat.id = cc.id left join categories parent on parent.id = cat.parent_id
        union all select 'price', (${bands})[width_bucket(starting_price, ${bands})]::text, count(*)::int, null, null
                    from m where c and d and r group by 2
        union all select 'delivery', b::text, count(*)::int, null, null from m, unnest(array[${sql.raw(DELIVERY_BANDS.join(","))}]) b
                   where c and p and r and min_delivery_days <= b group by 2
        union all select 'rating', b::text, count(*)::int, null, null from m, unnest(array[${sql.raw(RATING_BANDS.join(","))}]::numeric[]) b
                   where c and p and d and rating_avg >= b group by 2
        union all select 'total', '', count(*)::int, null, null from m where c and p and d and r
        union all select 'candidates', '', count(*)::int, null, null from m
        union all select 'sample', '', case ${sql.join(levels.slice(0, last).map((level, i) => sql`when ${fits(i)} then ${sql.raw(String(level.of))}`), sql` `)} else ${sql.raw(String(levels[last]!.of))} end, null, null`,
  );
}

/**
 * The naive search `npm run bench` compares with: every word as `ILIKE '%word%'` over title or
 * description, the same filters, newest first, no facets (a scan of the active listings).
 */
export async function naiveSearchListings(db: AnyDb, options: { words: string[]; filters: SearchFilters; limit: number }) {
  const f = filterConditions(options.filters);
  const words = options.words.map((word) => sql`(l.title ilike ${`%${word}%`} or l.description ilike ${`%${word}%`})`);
  return queryRows<{ id: string; slug: string; title: string }>(
    db,
    sql`select l.id, l.slug, l.title from listings l
         where l.status = 'active' and ${sql.join([...words, f.category, f.price, f.delivery, f.rating], sql` and `)}
         order by l.published_at desc, l.id desc limit ${options.limit}`,
  );
}
