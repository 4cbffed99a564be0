import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { AppError } from "../lib/errors.ts";
import { isWriteMethod } from "../lib/methods.ts";

/**
 * Cookie-authenticated writes must come from our own pages (or an allowed CORS origin). Browsers say
 * where a request comes from in Sec-Fetch-Site and Origin; a request with neither is not from a
 * browser, so it cannot carry a victim's cookies by accident. Unlike Hono's csrf(), this covers JSON.
 */
export const csrf = createMiddleware<AppEnv>(async (c, next) => {
  if (isWriteMethod(c.req.method)) requireOwnOrigin(c);
  await next();
});

/** The check itself; WebSocket upgrades (GETs that act with the caller's cookies) call it too. */
export function requireOwnOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("Origin");
  const site = c.req.header("Sec-Fetch-Site");
  const trusted =
    origin !== undefined
      ? origin === new URL(c.req.url).origin || c.var.config.CORS_ORIGINS.includes(origin)
      : site === undefined || site === "same-origin" || site === "none";
  if (!trusted) throw new AppError("csrf_rejected", "This request did not come from this site, so it was refused.");
}
