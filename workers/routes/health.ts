import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { errorFields, log } from "../lib/log.ts";

type CheckStatus = "ok" | "down" | "not_configured";
interface CheckResult {
  status: CheckStatus;
  latencyMs: number;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * Runs one dependency probe with a deadline, so a hung dependency shows as down instead of hanging
 * readiness. The endpoint is public: why a probe failed goes to the log, not the answer.
 */
async function probe(name: string, requestId: string, run: (() => Promise<unknown>) | undefined): Promise<CheckResult> {
  if (!run) return { status: "not_configured", latencyMs: 0 };
  const started = performance.now();
  let timer: number | null = null;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    log("warn", "readiness probe failed", { check: name, requestId, ...errorFields(error) });
    return { status: "down", latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** `/readyz` needs the per-request services; `/healthz` is mounted before them (see app.ts). */
export const liveness = new Hono<AppEnv>().get("/healthz", (c) => {
  c.header("Cache-Control", "no-store");
  return c.json({ status: "ok" });
});

export const readiness = new Hono<AppEnv>().get("/readyz", async (c) => {
  const { db, redis, requestId } = c.var;
  const [postgres, redisCheck, r2] = await Promise.all([
    probe("postgres", requestId, () => db.primary.execute(sql`select 1`)),
    probe("redis", requestId, redis && (() => redis.ping())),
    probe("r2", requestId, () => c.env.IMAGES_BUCKET.head("readyz-probe")),
  ]);
  // Queues have no read or ping operation: a configured producer binding is all that can be checked.
  const queue: CheckResult = { status: c.env.IMAGES_QUEUE ? "ok" : "not_configured", latencyMs: 0 };
  const checks = { postgres, redis: redisCheck, r2, queue };
  const status = postgres.status !== "ok" ? "unavailable" : Object.values(checks).every((check) => check.status === "ok") ? "ok" : "degraded";
  c.header("Cache-Control", "no-store");
  return c.json({ status, checks }, status === "unavailable" ? 503 : 200);
});
