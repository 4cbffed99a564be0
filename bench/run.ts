// `npm run bench`: the built Worker in workerd (no wrangler dev proxy) against the local stack, under
// autocannon load. Figures are ratios to hello-world measured in the same run, because this machine is noisy.
// `npm run bench -- --smoke`: the same harness in seconds (a tiny seed, one short round of everything),
// so CI notices when the harness or the deploy bundle cannot start; its figures mean nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../scripts/migrate.ts";
import { seedDatabase } from "../scripts/seed.ts";
import { projectRoot } from "../scripts/local/bin.ts";
import { startLocalStack, type LocalStack } from "../scripts/local/stack.ts";
import { signAccessToken } from "../workers/domain/tokens.ts";
import { coldReads, writePaths, zipfPaths } from "./catalog.ts";
import { profileWorker } from "./cpu.ts";
import { Checks, load, table } from "./harness.ts";
import type { LoadResult } from "./load.ts";
import { catalogScenarios, isBaseline, measureScenarios, scenarioTable, type Rounds } from "./scenarios.ts";
import { measureSignInTiming } from "./sign-in-timing.ts";
import { buildWorker, startBenchWorker, type BenchWorker } from "./worker.ts";

interface Settings extends Rounds {
  listings: number;
  coldReads: number;
  zipfWarmup: number;
  zipfRequests: number;
  zipfExponent: number;
  signInAttempts: number;
  /** Throughput scenarios whose name matches (the hello-world baselines always run). */
  only: RegExp;
  /** Parts of the run left out, to measure one thing on this shared machine. */
  skip: Set<Part>;
  /** Where to write a V8 CPU profile of the Worker during the throughput scenarios (summarised at the end). */
  cpuProfile?: string | undefined;
}

const PARTS = ["cold", "scenarios", "timing", "redis-down", "zipf"] as const;
type Part = (typeof PARTS)[number];

const FULL: Settings = {
  listings: 100_000,
  connections: 32,
  round: { durationSeconds: 10 },
  count: 2,
  warmupSeconds: 2,
  coldReads: 300,
  zipfWarmup: 300_000,
  zipfRequests: 50_000,
  zipfExponent: 1,
  signInAttempts: 40,
  only: /./,
  skip: new Set(),
};
// Rounds of a fixed number of requests rather than of a second: a slow scenario (a new WebSocket per
// request) might otherwise finish none on a loaded machine.
const SMOKE: Settings = { ...FULL, listings: 50, connections: 8, round: { amount: 40 }, count: 1, warmupSeconds: 0, coldReads: 20, zipfWarmup: 200, zipfRequests: 200, signInAttempts: 4 };

function settingsFromArgs(): Settings {
  const { values: args } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      listings: { type: "string" },
      duration: { type: "string" },
      connections: { type: "string" },
      "zipf-warmup": { type: "string" },
      "zipf-requests": { type: "string" },
      "zipf-exponent": { type: "string" },
      only: { type: "string" },
      skip: { type: "string" },
      "cpu-profile": { type: "string" },
    },
  });
  const skip = (args.skip ?? "").split(",").filter(Boolean);
  const unknown = skip.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`--skip takes ${PARTS.join(", ")}; not ${unknown.join(", ")}`);
  const preset = args.smoke ? SMOKE : FULL;
  const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
  return {
    ...preset,
    listings: number(args.listings, preset.listings),
    connections: number(args.connections, preset.connections),
    round: args.duration === undefined ? preset.round : { durationSeconds: Number(args.duration) },
    zipfWarmup: number(args["zipf-warmup"], preset.zipfWarmup),
    zipfRequests: number(args["zipf-requests"], preset.zipfRequests),
    zipfExponent: number(args["zipf-exponent"], preset.zipfExponent),
    only: args.only === undefined ? preset.only : new RegExp(args.only, "i"),
    skip: new Set(skip as Part[]),
    cpuProfile: args["cpu-profile"],
  };
}

const INSPECTOR_PORT = 9330;
const SESSION_SECRET = "bench-session-secret-bench-session-secret";

/** The active listings, after VACUUM ANALYZE so no autovacuum of the fresh seed runs during the measurements. */
async function activeListings(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("vacuum analyze");
  const { rows } = await client.query<{ id: string; slug: string; seller_id: string }>("select id, slug::text, seller_id from listings where status = 'active' order by id");
  await client.end();
  if (rows.length === 0) throw new Error("the seed produced no active listing");
  return rows;
}

async function withWorker<T>(worker: BenchWorker, use: (worker: BenchWorker) => Promise<T>): Promise<T> {
  try {
    return await use(worker);
  } finally {
    await worker.dispose();
  }
}

/** Distinct URLs of one listing's JSON (an unused query parameter varies), so each request misses the edge. */
const edgeMissPaths = (slug: string, count: number) => Array.from({ length: count }, (_, i) => `/api/listings/${slug}?miss=${i}`);

async function runBench(settings: Settings, stack: LocalStack, dataDir: string, checks: Checks): Promise<void> {
  await migrateDatabase(stack.databaseUrl);
  console.log(`seeding ${settings.listings} listings…`);
  await seedDatabase(stack.databaseUrl, { listings: settings.listings });
  const listings = await activeListings(stack.databaseUrl);
  const [first] = listings;
  const vars = { ...stack.workerVars, SESSION_SECRET, APP_ENV: "production", PUBLIC_ORIGIN: "https://bench.example", BENCH_ROUTES: "on" };
  // A signed-in caller: a valid access token, verified on every request with no database round trip.
  // Tokens live a minute, so each scenario that needs one signs a fresh one when it starts.
  const signedIn = async () => {
    const token = await signAccessToken(SESSION_SECRET, { userId: first!.seller_id, sessionId: crypto.randomUUID(), roles: ["buyer"] });
    return { Cookie: `__Host-session=${token}` };
  };
  const build = buildWorker(projectRoot, join(dataDir, "build"));
  const slugs = listings.map((l) => l.slug);
  const missPaths = writePaths(dataDir, "edge-misses", edgeMissPaths(first!.slug, 200_000));
  const zipfWarmup = zipfPaths(slugs, settings.zipfWarmup, settings.zipfExponent, 1);
  const zipf = { connections: settings.connections, amount: settings.zipfRequests, pathsFile: writePaths(dataDir, "measured", zipfPaths(slugs, settings.zipfRequests, settings.zipfExponent, 2)) };
  const runs = (part: Part) => !settings.skip.has(part);

  const runtime = { inspectorPort: settings.cpuProfile ? INSPECTOR_PORT : undefined };
  const measured = await withWorker(await startBenchWorker(projectRoot, build, { ...vars, CATALOG_CACHE: "on" }, runtime), async ({ url }) => {
    // Cold reads first, while neither cache has seen these listings.
    const cold = runs("cold") ? await coldReads(url, slugs.slice(-settings.coldReads), await signedIn()) : undefined;
    const sizes = { json: await bodyBytes(`${url}/api/listings/${first!.slug}`), page: await bodyBytes(`${url}/listings/${first!.slug}`, { Accept: "text/html" }) };
    console.log(`  the listing's JSON is ${sizes.json} bytes, its page ${sizes.page}`);
    const scenarios = catalogScenarios(first!, signedIn, missPaths, sizes).filter((scenario) => isBaseline(scenario) || settings.only.test(scenario.name));
    const results = runs("scenarios") ? await profiled(settings.cpuProfile, () => measureScenarios(url, scenarios, settings, checks)) : undefined;
    const timing = runs("timing") ? await measureSignInTiming(url, stack.databaseUrl, settings.signInAttempts) : undefined;
    const redisDown = runs("redis-down") ? await withRedisStopped(stack, () => load({ url, connections: 1, pathsFile: missPaths, ...settings.round })) : undefined;
    if (redisDown) checks.answered("listing read with Redis stopped", redisDown);
    if (!runs("zipf")) return { cold, results, timing, redisDown };

    console.log(`  Zipf: warming the caches with ${zipfWarmup.length} page views…`);
    await load({ url, connections: settings.connections, pathsFile: writePaths(dataDir, "warmup", zipfWarmup), amount: zipfWarmup.length });
    const cached = await load({ ...zipf, url });
    checks.answered("Zipf page views, caching on", cached);
    return { cold, results, timing, redisDown, cached };
  });
  const uncached = runs("zipf") ? await withWorker(await startBenchWorker(projectRoot, build, { ...vars, CATALOG_CACHE: "off" }), ({ url }) => load({ ...zipf, url })) : undefined;
  if (uncached) checks.answered("Zipf page views, caching off", uncached);
  report(settings, listings.length, { ...measured, uncached, zipfWarmup: zipfWarmup.length });
}

/** How many bytes a URL's body has. */
const bodyBytes = async (url: string, headers: Record<string, string> = {}) => (await (await fetch(url, { headers })).arrayBuffer()).byteLength;

/** Runs `measure` under a CPU profile of the Worker when one was asked for, and prints the profile's summary. */
async function profiled<T>(file: string | undefined, measure: () => Promise<T>): Promise<T> {
  if (!file) return measure();
  const stop = await profileWorker(INSPECTOR_PORT, file);
  const result = await measure();
  console.log(`\nWorker JavaScript during the scenarios, by self time (profile in ${file}):\n${await stop()}`);
  return result;
}

/** With Redis down, reads carry on from Postgres: what that costs a reader the edge cannot answer. */
async function withRedisStopped(stack: LocalStack, measure: () => Promise<LoadResult>): Promise<LoadResult> {
  await stack.redis?.stop();
  try {
    return await measure();
  } finally {
    await stack.redis?.start();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the Upstash stand-in reconnects on its own
  }
}

interface Figures {
  cold?: Awaited<ReturnType<typeof coldReads>>;
  results?: Awaited<ReturnType<typeof measureScenarios>>;
  timing?: Awaited<ReturnType<typeof measureSignInTiming>>;
  redisDown?: LoadResult;
  cached?: LoadResult;
  uncached?: LoadResult;
  zipfWarmup: number;
}

function report(settings: Settings, live: number, { cold, results, timing, redisDown, cached, uncached, zipfWarmup }: Figures): void {
  const round = "durationSeconds" in settings.round ? `${settings.round.durationSeconds} s` : `${settings.round.amount} requests`;
  console.log(`\nWorker bundle in workerd via Miniflare (no wrangler dev proxy); ${settings.connections} connections unless noted, ${round} per scenario; ${live} active of ${settings.listings} seeded listings.\n`);
  if (results) console.log(scenarioTable(results, settings.connections));
  if (redisDown) console.log(`\nListing read with Redis stopped (1 connection, edge misses): p50 ${redisDown.p50} ms, p99 ${redisDown.p99} ms, ${Math.round(redisDown.requestsPerSecond)} req/s, ${redisDown.non2xx + redisDown.errors} errors.`);
  if (cold) console.log(`\nCold listing reads (both caches cold, ${cold.count} sequential reads of distinct listings): p50 ${cold.p50.toFixed(1)} ms, p95 ${cold.p95.toFixed(1)} ms, p99 ${cold.p99.toFixed(1)} ms.`);
  if (cached && uncached) console.log(zipfReport(settings, live, zipfWarmup, cached, uncached));
  if (timing) {
    console.log(
      `\nSign-in, median of ${settings.signInAttempts} sequential attempts each: wrong password ${timing.wrongPasswordMs.toFixed(1)} ms, unknown email ${timing.unknownEmailMs.toFixed(1)} ms (ratio ${(timing.unknownEmailMs / timing.wrongPasswordMs).toFixed(2)}).`,
    );
  }
}

function zipfReport(settings: Settings, live: number, zipfWarmup: number, cached: LoadResult, uncached: LoadResult): string {
  const perThousand = (r: LoadResult) => (r.dbQueries / r.total) * 1000;
  const row = (name: string, r: LoadResult) => [name, perThousand(r).toFixed(1), Math.round(r.requestsPerSecond), r.p50, r.p99, JSON.stringify(r.cacheLevels), JSON.stringify(r.levelMs), JSON.stringify(r.stepMs)];
  return (
    `\nZipf (s = ${settings.zipfExponent}) over ${live} listings, ${settings.zipfRequests} page views after ${zipfWarmup} of warm-up:\n\n` +
    table(["caching", "db queries per 1,000 views", "requests/s", "p50 ms", "p99 ms", "answered by", "Worker ms per answer, by level", "of which waiting on, by level"], [row("on", cached), row("off", uncached)]) +
    `\n\nCaching on: ${(cached.requestsPerSecond / uncached.requestsPerSecond).toFixed(2)}x the requests/s of caching off; it saves ${(100 * (1 - perThousand(cached) / perThousand(uncached))).toFixed(1)}% of database queries.`
  );
}

const started = performance.now();
const settings = settingsFromArgs();
const checks = new Checks();
const dataDir = await mkdtemp(join(tmpdir(), "marketplace-bench-"));
try {
  const stack = await startLocalStack({ dataDir, database: "bench", fast: true, redisUrl: process.env.REDIS_URL });
  try {
    await runBench(settings, stack, dataDir, checks);
  } finally {
    await stack.stop();
  }
} catch (error) {
  console.error(error);
  checks.expect(`the bench ran to its end (${error instanceof Error ? error.message : String(error)})`, false);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary());
process.exit(checks.failures.length > 0 ? 1 : 0);
