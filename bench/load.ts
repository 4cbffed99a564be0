// One load run in its own process, so the load generator never shares an event loop with the stand-ins.
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  ...(spec.headers ? { headers: spec.headers } : {}),
});
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  }),
);
