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

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function load(url: string, durationSeconds: number): Promise<LoadResult> {
  const spec = JSON.stringify({ url, connections: Number(args.connections), durationSeconds });
  const { stdout } = await run(process.execPath, [join(root, "bench/load.ts"), spec], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

const dataDir = await mkdtemp(join(tmpdir(), "marketplace-bench-"));
const stack = await startLocalStack({ dataDir, database: "bench", fast: true, redisUrl: process.env.REDIS_URL });
try {
  await migrateDatabase(stack.databaseUrl);
  console.log(`seeding ${args.listings} listings…`);
  await seedDatabase(stack.databaseUrl, { listings: Number(args.listings) });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ id: string }>("select id from listings where status = 'active' order by id limit 1");
  await client.end();
  const listingId = rows[0]?.id;
  if (!listingId) throw new Error("the seed produced no active listing");

  const worker = await startBenchWorker(root, join(dataDir, "build"), {
    ...stack.workerVars,
    SESSION_SECRET: "bench-session-secret-bench-session-secret",
    APP_ENV: "production",
    BENCH_ROUTES: "on",
  });
  const scenarios: [string, string][] = [
    ["hello-world (baseline)", "/__bench/hello"],
    ["GET /healthz", "/healthz"],
    ["listing by id, HTTP path", `/__bench/listings/${listingId}/http`],
    ["listing by id, new WebSocket per request", `/__bench/listings/${listingId}/ws`],
  ];
  const duration = Number(args.duration);
  const results: [string, LoadResult][] = [];
  for (const [name, path] of scenarios) {
    await load(worker.url + path, 2); // warm-up
    const result = await load(worker.url + path, duration);
    results.push([name, result]);
    console.log(`  ${name}: ${Math.round(result.requestsPerSecond)} req/s`);
  }
  await worker.dispose();

  const baseline = results[0]![1].requestsPerSecond;
  console.log(`\nWorker bundle in workerd via Miniflare (no wrangler dev proxy); ${args.connections} connections, ${duration} s per scenario; ${args.listings} listings.\n`);
  console.log("| scenario | requests/s | p50 ms | p99 ms | ratio to hello-world | non-2xx |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [name, r] of results) {
    console.log(
      `| ${name} | ${Math.round(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${(r.requestsPerSecond / baseline).toFixed(2)} | ${r.non2xx + r.errors} |`,
    );
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
