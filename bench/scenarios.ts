// The throughput scenarios: hello-world as the baseline, then what each layer (JWT, Redis, caches,
// Postgres over HTTP or WebSocket, a password hash) costs on top of it.
import { countCpu, workerdPid } from "./cpu.ts";
import { load, table, type Checks } from "./harness.ts";
import type { LoadResult, LoadSpec } from "./load.ts";

/** A round's result, with workerd's CPU per answered request (µs): steadier than throughput on a shared machine. */
export type ScenarioResult = LoadResult & { cpuMicros: number };

export interface Scenario {
  name: string;
  path: string;
  /** One connection makes p50 the cost of one request; ratios compare scenarios at equal connections. */
  connections?: number;
  headers?: () => Promise<Record<string, string>>;
  /** A JSON file of paths to request in turn instead of `path` (distinct URLs, so each one misses the edge). */
  pathsFile?: string;
}

/** How each scenario is loaded: its measured round runs for so many seconds, or for so many requests. */
export interface Rounds {
  connections: number;
  round: { durationSeconds: number } | { amount: number };
  count: number;
  warmupSeconds: number;
}

/** Signed-in callers are served from the edge too; a page is personalised there (their account links). */
export function catalogScenarios(
  listing: { id: string; slug: string },
  signedIn: () => Promise<Record<string, string>>,
  /** Distinct URLs of the listing's JSON (an unused query parameter varies): each misses the edge and hits Redis. */
  edgeMissPaths: string,
  /** Bytes in the listing's JSON and in its page: hello-world answers as many, to tell a body's size from the rest. */
  sizes: { json: number; page: number },
): Scenario[] {
  const listingPath = `/api/listings/${listing.slug}`;
  const pagePath = `/listings/${listing.slug}`;
  const html = { Accept: "text/html" };
  const signedInHtml = async () => ({ ...(await signedIn()), ...html });
  return [
    { name: "hello-world (baseline)", path: "/__bench/hello" },
    { name: "hello-world, signed in (JWT verified)", path: "/__bench/hello/signed-in", headers: signedIn },
    { name: "hello-world behind a Redis rate limit", path: "/__bench/hello/rate-limited" },
    { name: "GET /healthz", path: "/healthz" },
    { name: "hello-world, as many bytes as the listing JSON", path: `/__bench/hello/bytes/${sizes.json}` },
    { name: "hello-world, as many bytes as the listing page", path: `/__bench/hello/bytes/${sizes.page}` },
    { name: "listing JSON, edge hit (anonymous)", path: listingPath },
    { name: "listing JSON, edge hit (signed in)", path: listingPath, headers: signedIn },
    { name: "listing page, edge hit (anonymous)", path: pagePath, headers: () => Promise.resolve(html) },
    { name: "listing page, edge hit personalised (signed in)", path: pagePath, headers: signedInHtml },
    { name: "listing JSON, edge miss: Redis hit, edge filled", path: listingPath, pathsFile: edgeMissPaths },
    { name: "listing by id from Postgres, HTTP path", path: `/__bench/listings/${listing.id}/http` },
    { name: "listing by id, new WebSocket per request", path: `/__bench/listings/${listing.id}/ws` },
    { name: "hello-world (1 connection)", path: "/__bench/hello", connections: 1 },
    { name: "hello-world, signed in (1 connection)", path: "/__bench/hello/signed-in", connections: 1, headers: signedIn },
    { name: "hello-world behind a Redis rate limit (1 connection)", path: "/__bench/hello/rate-limited", connections: 1 },
    { name: "listing JSON, edge miss: Redis hit (1 connection)", path: listingPath, connections: 1, pathsFile: edgeMissPaths },
    { name: "password hash (1 connection)", path: "/__bench/password-hash", connections: 1 },
  ];
}

/** Hello-world at each connection count: the baselines every ratio needs, kept whatever `--only` says. */
export const isBaseline = (scenario: Scenario) => /^hello-world( \(baseline\)| \(1 connection\))$/.test(scenario.name);

/**
 * Every scenario, round after round, keeping each one's best round: a passing hiccup on this shared
 * machine then spoils neither a figure nor its baseline. The first round starts each with a warm-up.
 */
export async function measureScenarios(url: string, scenarios: Scenario[], rounds: Rounds, checks: Checks) {
  const best = new Map<Scenario, ScenarioResult>();
  const workerd = workerdPid();
  for (let round = 1; round <= rounds.count; round++) {
    for (const scenario of scenarios) {
      const spec: LoadSpec = {
        url: url + scenario.path,
        connections: scenario.connections ?? rounds.connections,
        headers: await scenario.headers?.(),
        pathsFile: scenario.pathsFile,
      };
      if (round === 1 && rounds.warmupSeconds > 0) await load({ ...spec, durationSeconds: rounds.warmupSeconds });
      const cpu = countCpu(workerd);
      const loaded = await load({ ...spec, ...rounds.round });
      const result = { ...loaded, cpuMicros: (cpu().workerd * 1e6) / Math.max(1, loaded.total) };
      checks.answered(`round ${round}, ${scenario.name}`, result);
      const previous = best.get(scenario);
      if (!previous || result.requestsPerSecond > previous.requestsPerSecond) best.set(scenario, result);
      console.log(`  round ${round}, ${scenario.name}: ${Math.round(result.requestsPerSecond)} req/s`);
    }
  }
  return scenarios.map((scenario) => [scenario, best.get(scenario)!] as const);
}

/**
 * Each scenario's best round, with its throughput and its workerd CPU per request as ratios to the first
 * scenario run at as many connections (hello-world).
 */
export function scenarioTable(results: (readonly [Scenario, ScenarioResult])[], connections: number): string {
  const baselines = new Map<number, ScenarioResult>();
  for (const [scenario, result] of results) {
    const n = scenario.connections ?? connections;
    if (!baselines.has(n)) baselines.set(n, result);
  }
  return table(
    ["scenario", "requests/s", "p50 ms", "p99 ms", "ratio to hello-world", "workerd CPU µs/request", "CPU × hello-world", "non-2xx"],
    results.map(([scenario, r]) => {
      const baseline = baselines.get(scenario.connections ?? connections)!;
      return [
        scenario.name,
        Math.round(r.requestsPerSecond),
        r.p50,
        r.p99,
        (r.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
        Math.round(r.cpuMicros),
        (r.cpuMicros / baseline.cpuMicros).toFixed(2),
        r.non2xx + r.errors,
      ];
    }),
  );
}
