// `npm run bench:search -- [--listings N] [--rounds N]`: search latency end to end through the built Worker in
// workerd with caches off, on a fresh seeded stack. A fixed mix of 200 queries (short and long, typos,
// prefixes, filters, every sort, facets on), then suggest, each against two baselines measured in the same
// run: hello-world and the naive search (ILIKE '%word%' over title and description, same filters, no facets).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { migrateDatabase } from "../scripts/migrate.ts";
import { seedDatabase } from "../scripts/seed.ts";
import { projectRoot } from "../scripts/local/bin.ts";
import { startLocalStack } from "../scripts/local/stack.ts";
import type { Tx } from "../workers/data/db.ts";
import { rebuildVocabulary } from "../workers/data/search.ts";
import { Checks, percentile, table, timeRequest } from "./harness.ts";
import { buildWorker, startBenchWorker } from "./worker.ts";

const { values: args } = parseArgs({ options: { listings: { type: "string", default: "100000" }, rounds: { type: "string", default: "3" } } });
const LISTINGS = Number(args.listings);
const ROUNDS = Number(args.rounds);
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
function queryMix(titles: string[], categories: string[], count: number) {
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

function suggestMix(titles: string[], count: number) {
  const next = random(23);
  return Array.from({ length: count }, () => {
    const title = titles[Math.floor(next() * titles.length)]!.toLowerCase().replace(/^i will /, "");
    const cut = title.slice(0, 3 + Math.floor(next() * 12)).trim();
    return new URLSearchParams({ q: next() < 0.25 ? typo(cut, next) : cut }).toString();
  });
}

async function measure(base: string, paths: string[], checks: Checks, what: string) {
  for (const path of paths.slice(0, 30)) await timeRequest(base + path); // warm-up
  const times: number[] = [];
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of paths) {
      const { ms, status } = await timeRequest(base + path);
      times.push(ms);
      if (status !== 200) failed++;
    }
  }
  checks.expect(`${what}: ${times.length} requests, ${failed} not 200`, failed === 0);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

async function prepare(databaseUrl: string) {
  await migrateDatabase(databaseUrl);
  const seedStarted = performance.now();
  await seedDatabase(databaseUrl, { listings: LISTINGS });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const vocabStarted = performance.now();
  await drizzle({ client, casing: "snake_case" }).transaction((tx) => rebuildVocabulary(tx as unknown as Tx));
  const vocabularySeconds = (performance.now() - vocabStarted) / 1000;
  await client.query("vacuum analyze");
  const titles = (await client.query<{ title: string }>("select title from listings where status = 'active' order by id limit 2000")).rows.map((r) => r.title);
  const categories = (await client.query<{ slug: string }>("select slug::text from categories order by id")).rows.map((r) => r.slug);
  const sizes = (
    await client.query<{ name: string; size: string }>(
      `select c.relname as name, pg_size_pretty(pg_relation_size(c.oid)) as size from pg_class c
        where c.relname in ('listings', 'listings_search_idx', 'listing_search', 'listing_search_search_idx', 'listings_title_trgm_idx', 'search_words', 'search_words_trgm_idx',
                            'search_suggestions', 'search_suggestions_trgm_idx', 'search_suggestions_completion_idx') order by c.relname`,
    )
  ).rows;
  await client.end();
  return { seedSeconds, vocabularySeconds, titles, categories, sizes };
}

const checks = new Checks();
const dataDir = await mkdtemp(join(tmpdir(), "marketplace-search-bench-"));
try {
  const stack = await startLocalStack({ dataDir, database: "bench", fast: true, redisUrl: process.env.REDIS_URL });
  try {
    console.log(`seeding ${LISTINGS} listings…`);
    const prepared = await prepare(stack.databaseUrl);
    const build = buildWorker(projectRoot, join(dataDir, "build"));
    const vars = { ...stack.workerVars, SESSION_SECRET: "bench-session-secret-bench-session-secret", APP_ENV: "production", PUBLIC_ORIGIN: "https://bench.example", BENCH_ROUTES: "on", CATALOG_CACHE: "off" };
    const worker = await startBenchWorker(projectRoot, build, vars);
    try {
      const queries = queryMix(prepared.titles, prepared.categories, 200);
      const suggestions = suggestMix(prepared.titles, 200);
      const rows = [
        ["hello-world (baseline)", await measure(worker.url, queries.map(() => "/__bench/hello"), checks, "hello")],
        ["naive ILIKE search (baseline)", await measure(worker.url, queries.map((q) => `/__bench/search/naive?${q}`), checks, "naive")],
        ["GET /api/search (facets on)", await measure(worker.url, queries.map((q) => `/api/search?${q}`), checks, "search")],
        ["GET /api/search/suggest", await measure(worker.url, suggestions.map((q) => `/api/search/suggest?${q}`), checks, "suggest")],
      ] as const;
      const hello = rows[0][1];
      const naive = rows[1][1];
      console.log(`\n${LISTINGS} listings, caches off, 1 connection, ${ROUNDS} × 200 requests each (after 30 of warm-up):\n`);
      console.log(
        table(
          ["scenario", "p50 ms", "p95 ms", "p99 ms", "p95 ÷ hello p95", "p95 ÷ naive p95"],
          rows.map(([name, r]) => [name, r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1), (r.p95 / hello.p95).toFixed(1), (r.p95 / naive.p95).toFixed(2)]),
        ),
      );
      console.log(`\nseed ${prepared.seedSeconds.toFixed(1)} s; vocabulary rebuild ${prepared.vocabularySeconds.toFixed(1)} s`);
      console.log(prepared.sizes.map((s) => `${s.name}: ${s.size}`).join(", "));
    } finally {
      await worker.dispose();
    }
  } finally {
    await stack.stop();
  }
} catch (error) {
  console.error(error);
  checks.expect("the search bench ran to its end", false);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(checks.summary());
process.exit(checks.failures.length > 0 ? 1 : 0);
