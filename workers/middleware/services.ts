import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { setMetric } from "hono/timing";
import type { AppEnv } from "../context.ts";
import { readConfig } from "../lib/config.ts";
import { errorFields, log } from "../lib/log.ts";
import { openStores } from "../services.ts";
import { justWrote } from "./read-your-writes.ts";

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
  const { db, redis } = openStores(config, { preferPrimary: justWrote(c) });
  c.set("config", config);
  c.set("db", db);
  c.set("redis", redis);
  c.set("afterResponse", []);
  // Hono turns a handler's error into a response before this resumes, so this always runs.
  await next();
  c.executionCtx.waitUntil(Promise.allSettled(c.var.afterResponse).then(() => db.close()));
  const { queries, ms } = db.stats;
  if (queries > 0) setMetric(c, "db", ms, `${queries} ${queries === 1 ? "query" : "queries"}`);
});
