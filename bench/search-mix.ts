// The fixed query mixes of `npm run bench:search` (bench/search.ts): the same 200 searches and 200 suggest
// texts on every run, drawn with fixed seeds from seeded titles.
const SORTS = ["relevance", "relevance", "relevance", "newest", "price_asc", "price_desc", "rating"];
const NOISE = new Set(["i", "will", "a", "an", "for", "your", "the", "and", "of", "to", "in", "with", "on", "my", "you"]);

/** A small deterministic PRNG, so every run measures the same mix. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function typo(word: string, next: () => number) {
  if (word.length < 5) return word;
  const at = 1 + Math.floor(next() * (word.length - 3));
  return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
}

/** The mix: words from real titles and tags, some misspelt or cut short, with filters and sorts. */
export function queryMix(titles: string[], categories: string[], count: number) {
  const next = random(17);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const words = pick(titles).toLowerCase().match(/[a-z]+/g)!.filter((w) => !NOISE.has(w));
    const start = Math.floor(next() * Math.max(1, words.length - 2));
    let terms = words.slice(start, start + 1 + Math.floor(next() * 3));
    if (next() < 0.25) terms = terms.map((w, i) => (i === 0 ? typo(w, next) : w));
    if (next() < 0.2 && terms.at(-1)!.length > 4) terms[terms.length - 1] = terms.at(-1)!.slice(0, 4);
    const params = new URLSearchParams({ q: terms.join(" "), sort: pick(SORTS), limit: "20" });
    if (next() < 0.2) params.set("category", pick(categories));
    if (next() < 0.2) params.set("maxPrice", String(pick([5000, 10000, 25000])));
    if (next() < 0.15) params.set("maxDeliveryDays", String(pick([1, 3, 7])));
    if (next() < 0.15) params.set("minRating", String(pick([4, 4.5])));
    if (next() < 0.05) params.set("q", ""); // browsing with filters only
    return params.toString();
  });
}

export function suggestMix(titles: string[], count: number) {
  const next = random(23);
  return Array.from({ length: count }, () => {
    const title = titles[Math.floor(next() * titles.length)]!.toLowerCase().replace(/^i will /, "");
    const cut = title.slice(0, 3 + Math.floor(next() * 12)).trim();
    return new URLSearchParams({ q: next() < 0.25 ? typo(cut, next) : cut }).toString();
  });
}
