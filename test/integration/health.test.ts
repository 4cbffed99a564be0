import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEAD_ENDPOINT, fetchWith } from "../support/app.ts";
import type { Readiness } from "../../workers/domain/readiness.ts";
import { json } from "../support/json.ts";


describe("GET /healthz", () => {
  it("answers ok without touching dependencies", async () => {
    const res = await exports.default.fetch("http://example.com/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("X-Request-Id")).toMatch(/.+/);
  });

  it("stays up when the configuration is broken, unlike every other route", async () => {
    const broken = { SESSION_SECRET: "short" };
    expect((await fetchWith(broken, "/healthz")).status).toBe(200);
    expect((await fetchWith(broken, "/readyz")).status).toBe(503);
  });
});

describe("GET /readyz", () => {
  it("reports every dependency up with its latency", async () => {
    const res = await exports.default.fetch("http://example.com/readyz");
    const body = await json<Readiness>(res);
    expect(res.status).toBe(200);
    expect(body.status).toBe("ok");
    for (const name of ["postgres", "redis", "r2", "queue"] as const) expect(body.checks[name].status).toBe("ok");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("is degraded when Redis is not configured at all", async () => {
    const res = await fetchWith({ UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "" }, "/readyz");
    const body = await json<Readiness>(res);
    expect(res.status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.checks.redis.status).toBe("not_configured");
  });

  it("answers 503 when Postgres is unreachable", async () => {
    const res = await fetchWith({ NEON_LOCAL_PROXY: DEAD_ENDPOINT }, "/readyz");
    const body = await json<Readiness>(res);
    expect(res.status).toBe(503);
    expect(body.status).toBe("unavailable");
    expect(body.checks.postgres.status).toBe("down");
    // The endpoint is public: the reason goes to the log, never into the answer.
    expect(Object.keys(body.checks.postgres)).toEqual(["status", "latencyMs"]);
  });
});
