import { pingPrimary, type Db } from "../data/db.ts";
import { errorFields, log } from "../lib/log.ts";

type CheckStatus = "ok" | "down" | "not_configured";
export interface CheckResult {
  status: CheckStatus;
  latencyMs: number;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * Runs one dependency probe with a deadline, so a hung dependency shows as down instead of hanging
 * readiness. Why a probe failed goes to the log, not the answer (the endpoint is public).
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

/** The probes of the other dependencies; Postgres is always checked, through the db. */
export interface ReadinessProbes {
  redis: (() => Promise<unknown>) | undefined;
  r2: () => Promise<unknown>;
  /** Queues have no read or ping operation: a configured producer binding is all that can be checked. */
  queueConfigured: boolean;
}

/** Each dependency's status and latency: unavailable without Postgres, degraded without any other. */
export async function checkReadiness(db: Db, requestId: string, probes: ReadinessProbes) {
  const [postgres, redis, r2] = await Promise.all([
    probe("postgres", requestId, () => pingPrimary(db)),
    probe("redis", requestId, probes.redis),
    probe("r2", requestId, probes.r2),
  ]);
  const queue: CheckResult = { status: probes.queueConfigured ? "ok" : "not_configured", latencyMs: 0 };
  const checks = { postgres, redis, r2, queue };
  const status = postgres.status !== "ok" ? "unavailable" : Object.values(checks).every((check) => check.status === "ok") ? "ok" : "degraded";
  return { status, checks } as const;
}

/** The `/readyz` body. */
export type Readiness = Awaited<ReturnType<typeof checkReadiness>>;
