import { createMiddleware } from "hono/factory";
import type { EarlyAppEnv } from "../context.ts";
import { log } from "../lib/log.ts";

/**
 * One structured line per request, outermost so that requests refused early (413, CORS preflight,
 * misconfiguration) are logged too; database cost is included once the services existed.
 */
export const requestLog = createMiddleware<EarlyAppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  // c.get, not c.var: each read of c.var copies every variable into a new object.
  const stats = c.get("db")?.stats;
  log(c.res.status >= 500 ? "warn" : "info", "request", {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round(performance.now() - started),
    userId: c.get("auth")?.userId,
    dbQueries: stats?.queries ?? 0,
    dbMs: Math.round(stats?.ms ?? 0),
  });
});
