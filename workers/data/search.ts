import { sql, type SQL } from "drizzle-orm";
import { queryRows, type AnyDb } from "./db.ts";
import type { Tx } from "./db.ts";
import type { RawCard } from "./catalog.ts";
import { coverImageJson, sellerAvatarJson } from "./listing-detail.ts";

/** Postgres array literal of words that are letters and digits only (the query tokenizer's output). */
const textArray = (words: string[]) => `{${words.map((word) => `"${word}"`).join(",")}}`;
const intArray = (ids: number[]) => `{${ids.map((id) => Math.trunc(id)).join(",")}}`;

/** A vocabulary word at least this similar (pg_trgm) may replace an unknown one. */
const CORRECTION_SIMILARITY = 0.2;

/** A word's letters in order: equal for two words that differ by swapped letters ("desgin", "design"). */
const letters = (word: SQL) => sql`(select string_agg(ch, '' order by ch) from unnest(string_to_array(${word}, null)) ch)`;

/**
 * What the vocabulary says about each word: known (the last word also when it starts a known word), and
 * the best of the 20 nearest words by trigram distance (a GiST nearest-neighbour scan): similarity, plus
 * a bonus for the same letters swapped and a penalty per letter of length difference, then the most used.
 */
export async function lookUpTerms(db: AnyDb, tokens: string[], prefixMin: number) {
  if (tokens.length === 0) return [];
  return queryRows<{ token: string; known: boolean; correction: string | null }>(
    db,
    sql`select t.token,
               exists (select 1 from search_words w
                        where w.word = u.tok or (t.ord = ${tokens.length} and length(u.tok) >= ${prefixMin} and w.word like u.tok || '%')) as known,
               (select c.word from (select word, listings, similarity(word, u.tok) as s from search_words order by word <-> u.tok limit 20) c
                 where c.s >= ${CORRECTION_SIMILARITY}
                 order by c.s + case when ${letters(sql`c.word`)} = ${letters(sql`u.tok`)} then 0.3 else 0 end
                              - 0.05 * abs(length(c.word) - length(u.tok)) desc,
                          c.listings desc, c.word limit 1) as correction
          from unnest(${textArray(tokens)}::text[]) with ordinality t(token, ord)
          cross join lateral (select unaccent('unaccent', t.token) as tok) u`,
  );
}

/** Synonym pairs naming any of these spans, on either side. */
export async function findSynonyms(db: AnyDb, spans: string[]) {
  if (spans.length === 0) return [];
  const list = `{${spans.map((span) => `"${span}"`).join(",")}}`;
  return queryRows<{ term: string; synonym: string }>(
    db,
    sql`select term, synonym from search_synonyms where term = any(${list}::text[]) or synonym = any(${list}::text[])`,
  );
}

export async function listSynonyms(db: AnyDb) {
  return queryRows<{ term: string; synonym: string }>(db, sql`select term, synonym from search_synonyms order by term, synonym`);
}

/** Adds a pair; true when it is new. */
export async function insertSynonym(db: AnyDb, pair: { term: string; synonym: string }): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`insert into search_synonyms (term, synonym) values (${pair.term}, ${pair.synonym}) on conflict do nothing returning term`,
  );
  return rows.length > 0;
}

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

const tsq = (text: string) => sql`to_tsquery('english', unaccent('unaccent', ${text}))`;
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
function scoreOf(text: TextQuery | null): SQL {
  if (!text) return sql`l.quality`;
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
 * One page of matches in the sort's order, after the cursor's (value, id): `limit + 1` rows. Matching,
 * scoring and ordering read only the narrow `listing_search` rows (quality precomputed there); the wide
 * listings row is read for the page alone.
 */
export async function searchListings(
  db: AnyDb,
  options: { text: TextQuery | null; filters: SearchFilters; sort: SearchSort; after?: { value: string; id: string }; limit: number },
): Promise<SearchRow[]> {
  const f = filterConditions(options.filters);
  // Without words there is no text rank: relevance is the rating order, which an index serves (ranking
  // every active listing by quality would read them all).
  const order = SORT_KEYS[!options.text && options.sort === "relevance" ? "rating" : options.sort];
  const direction = order.desc ? sql`desc` : sql`asc`;
  const keyset = options.after
    ? sql`where (s.${order.key}, s.id) ${order.desc ? sql`<` : sql`>`} (${options.after.value}::${order.cast}, ${options.after.id}::uuid)`
    : sql``;
  return queryRows<SearchRow>(
    db,
    sql`select l.id, l.slug, l.title, l.seller_name, l.starting_price, l.min_delivery_days, l.currency, l.rating_avg,
               l.rating_count, l.cover_image_id, ${coverImageJson(sql`l.cover_image_id`)} as cover, l.published_at, ${sellerAvatarJson(sql`l.seller_id`)} as seller_avatar, p.sort_value
          from (select s.id, s.${order.key} as sort_key, ${order.text} as sort_value from (
                  select l.id, l.published_at, l.starting_price, l.rating_avg, ${scoreOf(options.text)} as score
                    from listing_search l
                   where ${textMatch(options.text)} and ${f.category} and ${f.price} and ${f.delivery} and ${f.rating}
                ) s ${keyset}
                order by s.${order.key} ${direction}, s.id ${direction}
                limit ${options.limit + 1}) p
          join listings l on l.id = p.id
         order by p.sort_key ${direction}, p.id ${direction}`,
  );
}

export const PRICE_BANDS = [0, 2500, 5000, 10000, 25000] as const;
export const DELIVERY_BANDS = [1, 3, 7, 14] as const;
export const RATING_BANDS = [4.5, 4, 3] as const;

export interface FacetRow {
  facet: "root" | "leaf" | "price" | "delivery" | "rating" | "total" | "candidates";
  /** The category slug, or the band's bound. */
  key: string;
  count: number;
  /** Categories only: the name and the parent's slug. */
  name: string | null;
  parent: string | null;
}

/**
 * Facet counts and the total in one statement over the candidates: matches failing at most one filter
 * (only those can count anywhere). Each facet counts the candidates passing every other filter, not its
 * own (disjunctive). At most `bound + 1` candidates are read; more means every count is a lower bound.
 */
export async function searchFacets(db: AnyDb, options: { text: TextQuery | null; filters: SearchFilters; bound: number }): Promise<FacetRow[]> {
  const f = filterConditions(options.filters);
  const bands = sql.raw(`array[${PRICE_BANDS.join(",")}]`);
  return queryRows<FacetRow>(
    db,
    sql`with m as materialized (
          select * from (
            select l.category_id, l.root_category_id, l.starting_price, l.min_delivery_days, l.rating_avg,
                   ${f.category} as c, ${f.price} as p, ${f.delivery} as d, ${f.rating} as r
              from listing_search l where ${textMatch(options.text)}
          ) x where c::int + p::int + d::int + r::int >= 3
          limit ${options.bound + 1}
        ), categories_counted as (
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
        union all select 'candidates', '', count(*)::int, null, null from m`,
  );
}

/**
 * Up to `limit` completions: phrases whose key (`suggestion_key`: without a title's leading "i will ")
 * starts with the typed text's key, most popular first (a range over the btree `text_pattern_ops` index;
 * a LIKE pattern let the planner pick the trigram index, ten times slower). Only when no phrase starts so
 * (a typo, or a word from the middle), the nearest by word similarity (a GiST nearest-neighbour scan, the
 * costly part), so "vidoe editing" still completes. `text` is the tokenizer's output (letters, digits, spaces).
 */
export async function suggestPhrases(db: AnyDb, text: string, limit: number) {
  return queryRows<{ phrase: string; kind: string }>(
    db,
    sql`with prefixed as materialized (
          select phrase, kind, weight from search_suggestions, (select suggestion_key(${text}) as typed) t
           where suggestion_key(phrase) ~>=~ t.typed and suggestion_key(phrase) ~<~ (t.typed || chr(1114111))
           order by weight desc limit ${limit}
        )
        select phrase, kind from (
          select phrase, kind, weight, 0 as rank, 0::real as distance from prefixed
          union all
          (select phrase, kind, weight, 1, phrase <->> ${text} from search_suggestions
            where not exists (select from prefixed)
            order by phrase <->> ${text} limit ${limit})
        ) s where distance < 0.7
        order by rank, distance, weight desc, phrase limit ${limit * 2}`,
  );
}

/** When a listing last changed compared with the vocabulary's build: true when a rebuild is due. */
export async function vocabularyIsStale(db: AnyDb): Promise<boolean> {
  const [row] = await queryRows<{ stale: boolean }>(
    db,
    sql`select coalesce((select max(updated_at) from listings) > (select built_at from search_vocabulary_state where id = 1), true) as stale`,
  );
  return row?.stale ?? true;
}

/**
 * Rebuilds the words (ts_stat over the unaccented 'simple' parse of what is indexed, so words stay as
 * typed) and the suggestions (titles, tags, category names), in the caller's transaction.
 */
export async function rebuildVocabulary(tx: Tx): Promise<void> {
  await tx.execute(sql`update search_vocabulary_state set built_at = now() where id = 1`);
  await tx.execute(sql`delete from search_words`);
  await tx.execute(sql`insert into search_words (word, listings)
    select word, ndoc from ts_stat($$select to_tsvector('simple', unaccent('unaccent',
        concat_ws(' ', title, array_to_string(tags, ' '), category_names, left(description, 20000)))) from listings where status = 'active'$$)
     where length(word) between 2 and 40`);
  await tx.execute(sql`delete from search_suggestions`);
  await tx.execute(sql`insert into search_suggestions (phrase, kind, weight)
    select lower(title), 'title', max(completed_orders + rating_count) from listings where status = 'active' group by 1
    union all select lower(tag), 'tag', count(*) from listings, unnest(tags) tag where status = 'active' group by 1
    union all select lower(name), 'category', 1000000 from categories
    on conflict do nothing`);
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
