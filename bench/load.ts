// One load run in its own process, so the load generator never shares an event loop with the stand-ins.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  connections: number;
  /** Run for this long, or for `amount` requests. */
  durationSeconds?: number;
  amount?: number;
  headers?: Record<string, string>;
  /** A JSON file of paths to request in turn (a pre-drawn sample), instead of the URL's own path. */
  pathsFile?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
  /** With a paths file: database round trips reported in Server-Timing, and which cache level answered. */
  dbQueries: number;
  cacheLevels: Record<string, number>;
  /** With a paths file: the Worker's own mean time (Server-Timing total, ms) per cache level that answered. */
  levelMs: Record<string, number>;
  /** The same, split by the steps it waited on (edge-lookup: the Cache API past memory; redis; db), averaged over every answer of the level. */
  stepMs: Record<string, Record<string, number>>;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
const paths = spec.pathsFile ? (JSON.parse(readFileSync(spec.pathsFile, "utf8")) as string[]) : undefined;
let next = 0;
let dbQueries = 0;
const cacheLevels: Record<string, number> = {};
const levelTotalMs: Record<string, number> = {};
const stepTotalMs: Record<string, Record<string, number>> = {};
const perAnswer = (level: string, ms: number) => Number((ms / cacheLevels[level]!).toFixed(2));

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 10 }),
  ...(spec.headers ? { headers: spec.headers } : {}),
  ...(paths
    ? {
        requests: [
          {
            setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
            onResponse: (_status, _body, _context, headers) => {
              const entry = Object.entries(headers as Record<string, string>).find(([name]) => name.toLowerCase() === "server-timing");
              const timing = entry?.[1] ?? "";
              dbQueries += Number(/db;[^,]*desc="(\d+) quer/.exec(timing)?.[1] ?? 0);
              const level = /cache;desc="?([\w-]+)/.exec(timing)?.[1] ?? "none";
              cacheLevels[level] = (cacheLevels[level] ?? 0) + 1;
              // The last total is the outermost request's (a signed-in miss also carries the inner rendering's).
              const total = [...timing.matchAll(/total;dur=([\d.]+)/g)].at(-1)?.[1];
              levelTotalMs[level] = (levelTotalMs[level] ?? 0) + Number(total ?? 0);
              for (const [, step, ms] of timing.matchAll(/(edge-lookup|redis|db);dur=([\d.]+)/g)) {
                const waits = (stepTotalMs[level] ??= {});
                waits[step!] = (waits[step!] ?? 0) + Number(ms);
              }
            },
          },
        ],
      }
    : {}),
});
const output: LoadResult = {
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  total: result.requests.total,
  dbQueries,
  cacheLevels,
  levelMs: Object.fromEntries(Object.entries(levelTotalMs).map(([level, ms]) => [level, perAnswer(level, ms)])),
  stepMs: Object.fromEntries(
    Object.entries(stepTotalMs).map(([level, steps]) => [level, Object.fromEntries(Object.entries(steps).map(([step, ms]) => [step, perAnswer(level, ms)]))]),
  ),
};
process.stdout.write(JSON.stringify(output));
