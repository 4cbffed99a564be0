// `npm run bench`: the built Worker in workerd (no wrangler dev proxy) against the local stack, under
// autocannon load. Figures are ratios to hello-world measured in the same run, because this machine is noisy.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../scripts/migrate.ts";
import { seedDatabase } from "../scripts/seed.ts";
import { startLocalStack } from "../scripts/local/stack.ts";
import { signAccessToken } from "../workers/domain/tokens.ts";
import type { LoadSpec } from "./load.ts";
import { measureSignInTiming } from "./sign-in-timing.ts";
import { startBenchWorker } from "./worker.ts";

const { values: args } = parseArgs({
  options: {
    listings: { type: "string", default: "10000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
  },
});
const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const SESSION_SECRET = "bench-session-secret-bench-session-secret";

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

interface Scenario {
  name: string;
  path: string;
  /** One connection makes p50 the cost of one request; ratios compare scenarios at equal connections. */
  connections?: number;
  headers?: Record<string, string>;
}

async function load(url: string, durationSeconds: number, scenario: Scenario): Promise<LoadResult> {
  const spec: LoadSpec = { url, connections: scenario.connections ?? Number(args.connections), durationSeconds, headers: scenario.headers };
  const { stdout } = await run(process.execPath, [join(root, "bench/load.ts"), JSON.stringify(spec)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

async function firstActiveListing(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ id: string; seller_id: string }>(
    "select id, seller_id from listings where status = 'active' order by id limit 1",
  );
  await client.end();
  if (!rows[0]) throw new Error("the seed produced no active listing");
  return rows[0];
}

const dataDir = await mkdtemp(join(tmpdir(), "marketplace-bench-"));
const stack = await startLocalStack({ dataDir, database: "bench", fast: true, redisUrl: process.env.REDIS_URL });
try {
  await migrateDatabase(stack.databaseUrl);
  console.log(`seeding ${args.listings} listings…`);
  await seedDatabase(stack.databaseUrl, { listings: Number(args.listings) });
  const listing = await firstActiveListing(stack.databaseUrl);
  const worker = await startBenchWorker(root, join(dataDir, "build"), {
    ...stack.workerVars,
    SESSION_SECRET,
    APP_ENV: "production",
    PUBLIC_ORIGIN: "https://bench.example",
    BENCH_ROUTES: "on",
  });
  // A signed-in caller: a valid access token, verified on every request with no database round trip.
  // Tokens live a minute, so each scenario that needs one signs a fresh one when it starts.
  const signedIn = async () => {
    const token = await signAccessToken(SESSION_SECRET, { userId: listing.seller_id, sessionId: crypto.randomUUID(), roles: ["buyer"] });
    return { Cookie: `__Host-session=${token}` };
  };

  const scenarios: (Scenario | (() => Promise<Scenario>))[] = [
    { name: "hello-world (baseline)", path: "/__bench/hello" },
    async () => ({ name: "hello-world, signed in (JWT verified)", path: "/__bench/hello/signed-in", headers: await signedIn() }),
    { name: "hello-world behind a Redis rate limit", path: "/__bench/hello/rate-limited" },
    { name: "GET /healthz", path: "/healthz" },
    { name: "listing by id, HTTP path", path: `/__bench/listings/${listing.id}/http` },
    { name: "listing by id, new WebSocket per request", path: `/__bench/listings/${listing.id}/ws` },
    { name: "hello-world (1 connection)", path: "/__bench/hello", connections: 1 },
    async () => ({ name: "hello-world, signed in (1 connection)", path: "/__bench/hello/signed-in", connections: 1, headers: await signedIn() }),
    { name: "hello-world behind a Redis rate limit (1 connection)", path: "/__bench/hello/rate-limited", connections: 1 },
    { name: "password hash (1 connection)", path: "/__bench/password-hash", connections: 1 },
  ];
  const duration = Number(args.duration);
  const results: [Scenario, LoadResult][] = [];
  for (const entry of scenarios) {
    const scenario = typeof entry === "function" ? await entry() : entry;
    await load(worker.url + scenario.path, 2, scenario); // warm-up
    const result = await load(worker.url + scenario.path, duration, scenario);
    results.push([scenario, result]);
    console.log(`  ${scenario.name}: ${Math.round(result.requestsPerSecond)} req/s`);
  }
  const timing = await measureSignInTiming(worker.url, stack.databaseUrl);
  await worker.dispose();

  const baselines = new Map<number | undefined, number>();
  for (const [scenario, result] of results) if (!baselines.has(scenario.connections)) baselines.set(scenario.connections, result.requestsPerSecond);
  console.log(
    `\nWorker bundle in workerd via Miniflare (no wrangler dev proxy); ${args.connections} connections unless noted, ${duration} s per scenario; ${args.listings} listings.\n`,
  );
  console.log("| scenario | requests/s | p50 ms | p99 ms | ratio to hello-world | non-2xx |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [scenario, r] of results) {
    const ratio = r.requestsPerSecond / baselines.get(scenario.connections)!;
    console.log(`| ${scenario.name} | ${Math.round(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${ratio.toFixed(2)} | ${r.non2xx + r.errors} |`);
  }
  console.log(
    `\nSign-in, median of 40 sequential attempts each: wrong password ${timing.wrongPasswordMs.toFixed(1)} ms, unknown email ${timing.unknownEmailMs.toFixed(1)} ms (ratio ${(timing.unknownEmailMs / timing.wrongPasswordMs).toFixed(2)}).`,
  );
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
