import { sql, type SQL } from "drizzle-orm";
import { queryRows, type AnyDb, type Tx } from "./db.ts";

// The search vocabulary (words for typo correction, phrases for suggestions) and the synonyms: every
// statement search reads before it matches, and the cron job's rebuild. Matching, ranking and facets:
// ./search.ts.

/** Postgres array literal of words that are letters and digits only (the query tokenizer's output). */
const textArray = (words: string[]) => `{${words.map((word) => `"${word}"`).join(",")}}`;

/** A vocabulary word at least this similar (pg_trgm) may replace an unknown one. */
const CORRECTION_SIMILARITY = 0.2;

/** A word's letters in order: equal for two words that differ by swapped letters ("desgin", "design"). */
const letters = (word: SQL) => sql`(select string_agg(ch, '' order by ch) from unnest(string_to_array(${word}, null)) ch)`;

/**
 * What the vocabulary says about each word, and the synonym pairs naming any of the spans (either side),
 * in one statement: one round trip, and one fetch for the Worker to make and parse.
 * A word is known (the last word also when it starts a known word); its correction is the best of the
 * 20 nearest words by trigram distance (a GiST nearest-neighbour scan): similarity, plus a bonus for the
 * same letters swapped and a penalty per letter of length difference, then the most used.
 */
export async function lookUpWords(db: AnyDb, tokens: string[], spans: string[], prefixMin: number) {
  const [row] = await queryRows<{ terms: { token: string; known: boolean; correction: string | null }[]; synonyms: { term: string; synonym: string }[] }>(
    db,
    sql`select coalesce((select json_agg(x order by x.ord) from (
              select t.token, t.ord,
                     exists (select 1 from search_words w
                              where w.word = u.tok or (t.ord = ${tokens.length} and length(u.tok) >= ${prefixMin} and w.word like u.tok || '%')) as known,
                     (select c.word from (select word, listings, similarity(word, u.tok) as s from search_words order by word <-> u.tok limit 20) c
                       where c.s >= ${CORRECTION_SIMILARITY}
                       order by c.s + case when ${letters(sql`c.word`)} = ${letters(sql`u.tok`)} then 0.3 else 0 end
                                    - 0.05 * abs(length(c.word) - length(u.tok)) desc,
                                c.listings desc, c.word limit 1) as correction
                from unnest(${textArray(tokens)}::text[]) with ordinality t(token, ord)
                cross join lateral (select unaccent('unaccent', t.token) as tok) u) x), '[]') as terms,
           coalesce((select json_agg(y) from (
              select term, synonym from search_synonyms where term = any(${textArray(spans)}::text[]) or synonym = any(${textArray(spans)}::text[])
           ) y), '[]') as synonyms`,
  );
  return { terms: row?.terms ?? [], synonyms: row?.synonyms ?? [] };
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
