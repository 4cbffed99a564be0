import { createMiddleware } from "hono/factory";
import type { EarlyAppEnv } from "../context.ts";
import { readConfig } from "../lib/config.ts";

const ALLOW_METHODS = "GET,HEAD,POST,PUT,PATCH,DELETE";
const ALLOW_HEADERS = "Content-Type,Idempotency-Key,X-Request-Id";
const EXPOSE_HEADERS = "X-Request-Id,Server-Timing,Retry-After,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset";
const MAX_AGE_SECONDS = "600";

/**
 * CORS for the API: the site itself is same-origin; other origins must be listed in CORS_ORIGINS, and
 * may send credentials. What hono/cors answers, but written onto the final response after the handler
 * instead of onto a placeholder before it: Hono copies the whole response (body and every header) when a
 * handler's response replaces one a middleware already touched, and again when a header is added to a
 * finished one, which cost an edge hit two copies (docs/caching.md, "What an edge hit costs").
 */
export const cors = createMiddleware<EarlyAppEnv>(async (c, next) => {
  const origin = c.req.header("Origin");
  const allowed = origin !== undefined && readConfig(c.env).CORS_ORIGINS.includes(origin) ? origin : undefined;
  if (c.req.method === "OPTIONS") {
    // A preflight is rare: it may build on the placeholder (which holds the request id).
    const headers = c.res.headers;
    if (allowed) headers.set("Access-Control-Allow-Origin", allowed);
    headers.set("Access-Control-Allow-Credentials", "true");
    headers.set("Access-Control-Max-Age", MAX_AGE_SECONDS);
    headers.set("Access-Control-Allow-Methods", ALLOW_METHODS);
    headers.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
    headers.set("Vary", "Origin, Access-Control-Request-Headers");
    return new Response(null, { status: 204, headers });
  }
  await next();
  const headers = c.res.headers;
  if (allowed) headers.set("Access-Control-Allow-Origin", allowed);
  headers.set("Access-Control-Allow-Credentials", "true");
  headers.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
  headers.append("Vary", "Origin");
});
