// `npm run bench:search -- [--listings N] [--rounds N] [--keep DIR]`: search latency end to end through the built Worker in
// workerd with caches off, on a fresh seeded stack. A fixed mix of 200 queries (short and long, typos,
// prefixes, filters, every sort, facets on), then suggest, each against two baselines measured in the same
// run: hello-world and the naive search (ILIKE '%word%' over title and description, same filters, no facets).
// `--slowest N` prints the N slowest paths of each mix; `--skip-naive` leaves the slow naive baseline out; `--keep DIR` keeps the cluster in DIR and reuses its seed on the next run (new migrations still apply), so
// a change can be measured again without seeding 100,000 listings each time.
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
import { rebuildVocabulary } from "../workers/data/search-vocabulary.ts";
import { postgresCpuSeconds, processCpuSeconds, workerdPid } from "./cpu.ts";
import { Checks, percentile, table, timeRequest } from "./harness.ts";
import { queryMix, suggestMix } from "./search-mix.ts";
import { buildWorker, startBenchWorker } from "./worker.ts";

const { values: args } = parseArgs({
  options: { listings: { type: "string", default: "100000" }, rounds: { type: "string", default: "3" }, keep: { type: "string" }, slowest: { type: "string", default: "0" }, "skip-naive": { type: "boolean" } },
});
const LISTINGS = Number(args.listings);
const ROUNDS = Number(args.rounds);
const SLOWEST = Number(args.slowest);

/** A skipped scenario's row. */
const NO_FIGURES = { p50: NaN, p95: NaN, p99: NaN, workerdMs: NaN, postgresMs: NaN };

/** CPU the Worker and Postgres spend per request: steadier than latency on a machine others load too. */
function cpuPerRequest(clusterDir: string) {
  const workerd = workerdPid();
  const started = { workerd: processCpuSeconds(workerd), postgres: postgresCpuSeconds(clusterDir) };
  return (requests: number) => ({
    workerdMs: ((processCpuSeconds(workerd) - started.workerd) * 1000) / requests,
    postgresMs: ((postgresCpuSeconds(clusterDir) - started.postgres) * 1000) / requests,
  });
}

async function measure(base: string, paths: string[], checks: Checks, what: string) {
  for (const path of paths.slice(0, 30)) await timeRequest(base + path); // warm-up
  const cpu = cpuPerRequest(join(dataDir, "cluster"));
  const times: number[] = [];
  const byPath = new Map<string, number[]>();
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of paths) {
      const { ms, status } = await timeRequest(base + path);
      times.push(ms);
      byPath.set(path, [...(byPath.get(path) ?? []), ms]);
      if (status !== 200) failed++;
    }
  }
  checks.expect(`${what}: ${times.length} requests, ${failed} not 200`, failed === 0);
  // `--slowest N`: the tail, by each path's median over the rounds.
  const slowest = [...byPath].map(([path, ms]) => [path, percentile(ms, 50)] as const).sort((a, b) => b[1] - a[1]);
  for (const [path, ms] of slowest.slice(0, SLOWEST)) console.log(`${what} ${ms.toFixed(1)} ms ${decodeURIComponent(path)}`);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), ...cpu(times.length) };
}

/** Seeds and builds the vocabulary, unless a kept cluster already holds this many listings (then 0 s each). */
async function prepare(databaseUrl: string) {
  await migrateDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const seeded = (await client.query<{ n: number }>("select count(*)::int as n from listings")).rows[0]!.n;
  if (seeded > 0 && seeded !== LISTINGS) throw new Error(`the kept cluster holds ${seeded} listings, not ${LISTINGS}`);
  const seedStarted = performance.now();
  if (seeded === 0) await seedDatabase(databaseUrl, { listings: LISTINGS });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const vocabStarted = performance.now();
  if (seeded === 0) await drizzle({ client, casing: "snake_case" }).transaction((tx) => rebuildVocabulary(tx as unknown as Tx));
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
const dataDir = args.keep ?? (await mkdtemp(join(tmpdir(), "marketplace-search-bench-")));
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
        ["naive ILIKE search (baseline)", args["skip-naive"] ? NO_FIGURES : await measure(worker.url, queries.map((q) => `/__bench/search/naive?${q}`), checks, "naive")],
        ["GET /api/search (facets on)", await measure(worker.url, queries.map((q) => `/api/search?${q}`), checks, "search")],
        ["GET /api/search/suggest", await measure(worker.url, suggestions.map((q) => `/api/search/suggest?${q}`), checks, "suggest")],
      ] as const;
      const hello = rows[0][1];
      const naive = rows[1][1];
      console.log(`\n${LISTINGS} listings, caches off, 1 connection, ${ROUNDS} × 200 requests each (after 30 of warm-up):\n`);
      console.log(
        table(
          ["scenario", "p50 ms", "p95 ms", "p99 ms", "p95 ÷ hello p95", "p95 ÷ naive p95", "Worker CPU ms / req", "Postgres CPU ms / req"],
          rows.map(([name, r]) => [
            name,
            r.p50.toFixed(1),
            r.p95.toFixed(1),
            r.p99.toFixed(1),
            (r.p95 / hello.p95).toFixed(1),
            (r.p95 / naive.p95).toFixed(2),
            r.workerdMs.toFixed(2),
            r.postgresMs.toFixed(2),
          ]),
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
  if (!args.keep) await rm(dataDir, { recursive: true, force: true });
}
console.log(checks.summary());
process.exit(checks.failures.length > 0 ? 1 : 0);
