import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { setMetric } from "hono/timing";
import type { AppEnv } from "../context.ts";
import { createDb } from "../data/db.ts";
import { getRedis } from "../data/redis.ts";
import { readConfig } from "../lib/config.ts";
import { errorFields, log } from "../lib/log.ts";
import { isWriteMethod } from "../lib/methods.ts";

/** Marks a client that just wrote, so its reads go to the primary until the replica has caught up. */
export const READ_YOUR_WRITES_COOKIE = "rw";

/**
 * Runs work after the response is sent (so neither its outcome nor its duration shows in the answer),
 * keeping the request's database connections open until it is done. Failures are logged.
 */
export function afterResponse(c: Context<AppEnv>, name: string, work: Promise<unknown>): void {
  c.var.afterResponse.push(work.catch((error: unknown) => log("error", `${name} failed`, errorFields(error, { stack: true }))));
}

/**
 * Builds the per-request services (config, database, Redis) and, once the handler is done, reports the
 * database cost in Server-Timing and closes the request's Pool after the response.
 */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  const db = createDb(config, { preferPrimary: getCookie(c, READ_YOUR_WRITES_COOKIE) !== undefined });
  c.set("config", config);
  c.set("db", db);
  c.set("redis", getRedis(config));
  c.set("afterResponse", []);
  // Hono turns a handler's error into a response before this resumes, so this always runs.
  await next();
  c.executionCtx.waitUntil(Promise.allSettled(c.var.afterResponse).then(() => db.close()));
  const { queries, ms } = db.stats;
  if (queries > 0) setMetric(c, "db", ms, `${queries} ${queries === 1 ? "query" : "queries"}`);
  if (isWriteMethod(c.req.method) && c.res.status < 400 && config.READ_YOUR_WRITES_SECONDS > 0) {
    setCookie(c, READ_YOUR_WRITES_COOKIE, "1", {
      path: "/",
      httpOnly: true,
      secure: new URL(c.req.url).protocol === "https:",
      sameSite: "Lax",
      maxAge: config.READ_YOUR_WRITES_SECONDS,
    });
  }
});
