/**
 * Turning what a buyer typed into a tsquery (docs/search.md). Plain code: the words are looked up in the
 * database by workers/data/search-vocabulary.ts, and what comes back (corrections, synonyms) shapes the query here.
 * Words are reduced to letters and digits, so nothing typed can reach the tsquery syntax as an operator.
 */

export const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 40;
/** A last word shorter than this is matched whole, never as a prefix: "a:*" would match nearly every listing. */
export const MIN_PREFIX_LENGTH = 3;

/** The words of a query, lower case, in order; at most MAX_TERMS of them. */
export function tokenize(text: string): string[] {
  const words = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((word) => word.slice(0, MAX_TERM_LENGTH)).slice(0, MAX_TERMS);
}

/** Every run of one to three consecutive words: the spans a synonym may name. */
export function spans(tokens: string[]): string[] {
  const out = new Set<string>();
  for (let start = 0; start < tokens.length; start++) {
    for (let end = start + 1; end <= Math.min(tokens.length, start + 3); end++) out.add(tokens.slice(start, end).join(" "));
  }
  return [...out];
}

export interface TermLookup {
  token: string;
  /** In the vocabulary (or, for the last word, the start of a word in it). */
  known: boolean;
  /** The nearest vocabulary word, when the token is unknown and something is near enough. */
  correction: string | null;
}

export interface SynonymPair {
  term: string;
  synonym: string;
}

export interface PlannedQuery {
  /** For to_tsquery('english', …): every group must match; a group is its words or any alternative. */
  tsquery: string;
  /** All the words as one phrase (null for one word): a listing that has it ranks higher. */
  phrase: string | null;
  /** The query as it was searched once unknown words were corrected, or null when nothing was corrected. */
  corrected: string | null;
}

const quote = (word: string) => `'${word}'`;
const phraseOf = (words: string[]) => words.map(quote).join(" <-> ");

/** The synonyms of one span, both ways round: "seo" finds "search engine optimization" and back. */
function alternativesOf(span: string, synonyms: SynonymPair[]): string[] {
  const found = synonyms.flatMap((pair) => (pair.term === span ? [pair.synonym] : pair.synonym === span ? [pair.term] : []));
  return [...new Set(found)];
}

interface Group {
  words: string[];
  alternatives: string[];
}

/** Splits the words into groups, left to right, taking the longest span that has a synonym. */
function groupsOf(tokens: string[], synonyms: SynonymPair[]): Group[] {
  const groups: Group[] = [];
  let start = 0;
  while (start < tokens.length) {
    let taken: Group = { words: [tokens[start]!], alternatives: alternativesOf(tokens[start]!, synonyms) };
    for (let end = Math.min(tokens.length, start + 3); end > start + 1; end--) {
      const alternatives = alternativesOf(tokens.slice(start, end).join(" "), synonyms);
      if (alternatives.length > 0) {
        taken = { words: tokens.slice(start, end), alternatives };
        break;
      }
    }
    groups.push(taken);
    start += taken.words.length;
  }
  return groups;
}

/** One word of a group: itself, or itself or its correction; the last word typed also matches as a prefix. */
function wordQuery(word: string, lookup: TermLookup | undefined, isLast: boolean): string {
  const prefix = isLast && word.length >= MIN_PREFIX_LENGTH ? ":*" : "";
  const correction = lookup && !lookup.known ? lookup.correction : null;
  return correction ? `(${quote(word)}${prefix} | ${quote(correction)})` : `${quote(word)}${prefix}`;
}

/**
 * The tsquery for the words, given what the vocabulary said about each and the synonyms of their spans.
 * Unknown words keep themselves as an alternative, so a word newer than the vocabulary still matches.
 */
export function planQuery(tokens: string[], lookups: TermLookup[], synonyms: SynonymPair[]): PlannedQuery {
  const byToken = new Map(lookups.map((lookup) => [lookup.token, lookup]));
  const lastIndex = tokens.length - 1;
  let index = 0;
  const parts = groupsOf(tokens, synonyms).map((group) => {
    const words = group.words.map((word) => wordQuery(word, byToken.get(word), index++ === lastIndex));
    const own = words.length === 1 ? words[0]! : `(${words.join(" & ")})`;
    if (group.alternatives.length === 0) return own;
    return `(${[own, ...group.alternatives.map((alt) => phraseOf(tokenize(alt)))].join(" | ")})`;
  });
  const correctedTokens = tokens.map((token) => {
    const lookup = byToken.get(token);
    return lookup && !lookup.known && lookup.correction ? lookup.correction : token;
  });
  const corrected = correctedTokens.some((word, i) => word !== tokens[i]) ? correctedTokens.join(" ") : null;
  return { tsquery: parts.join(" & "), phrase: tokens.length > 1 ? phraseOf(tokens) : null, corrected };
}
