import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { setMetric } from "hono/timing";
import type { AppEnv } from "../context.ts";
import { createDb } from "../data/db.ts";
import { getRedis } from "../data/redis.ts";
import { readConfig } from "../lib/config.ts";
import { log } from "../lib/log.ts";

/** Marks a client that just wrote, so its reads go to the primary until the replica has caught up. */
export const READ_YOUR_WRITES_COOKIE = "rw";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Builds the per-request services (config, database, Redis) and, once the handler is done, reports
 * what the request cost: Server-Timing, one structured log line, and the Pool closed after the response.
 */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  const config = readConfig(c.env);
  const db = createDb(config, { preferPrimary: getCookie(c, READ_YOUR_WRITES_COOKIE) !== undefined });
  c.set("config", config);
  c.set("db", db);
  c.set("redis", getRedis(config));
  // Hono turns a handler's error into a response before this resumes, so this always runs.
  await next();
  c.executionCtx.waitUntil(db.close());
  const { queries, ms } = db.stats;
  if (queries > 0) setMetric(c, "db", ms, `${queries} ${queries === 1 ? "query" : "queries"}`);
  if (!SAFE_METHODS.has(c.req.method) && c.res.status < 400 && config.READ_YOUR_WRITES_SECONDS > 0) {
    setCookie(c, READ_YOUR_WRITES_COOKIE, "1", {
      path: "/",
      httpOnly: true,
      secure: new URL(c.req.url).protocol === "https:",
      sameSite: "Lax",
      maxAge: config.READ_YOUR_WRITES_SECONDS,
    });
  }
  log("info", "request", {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round(performance.now() - started),
    dbQueries: queries,
    dbMs: Math.round(ms),
  });
});
