import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv, EarlyAppEnv } from "../context.ts";
import { signWriteMarker, verifyWriteMarker } from "../domain/tokens.ts";
import { readConfig } from "../lib/config.ts";
import { isWriteMethod } from "../lib/methods.ts";

/** Marks a client that just wrote, so its reads go to the primary until the replica has caught up. */
export const READ_YOUR_WRITES_COOKIE = "rw";

/** Whether this caller wrote within the read-your-writes window (they skip the replica and both caches). */
export const justWrote = (c: Context) => c.get("justWrote") === true;

/**
 * Reads the caller's read-your-writes marker once, before the edge cache: only a marker this app signed
 * and that has not expired counts, so a forged `rw` cookie costs what an anonymous read costs.
 */
export const recentWriter = createMiddleware<EarlyAppEnv>(async (c, next) => {
  const marker = getCookie(c, READ_YOUR_WRITES_COOKIE);
  c.set("justWrote", marker !== undefined && (await verifyWriteMarker(readConfig(c.env).SESSION_SECRET, marker)));
  await next();
});

/** After a successful write, marks the caller for READ_YOUR_WRITES_SECONDS. */
export const markRecentWriter = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const { READ_YOUR_WRITES_SECONDS: seconds, SESSION_SECRET: secret } = c.var.config;
  if (!isWriteMethod(c.req.method) || c.res.status >= 400 || seconds === 0 || c.get("wroteNothing")) return;
  setCookie(c, READ_YOUR_WRITES_COOKIE, await signWriteMarker(secret, seconds), {
    path: "/",
    httpOnly: true,
    secure: new URL(c.req.url).protocol === "https:",
    sameSite: "Lax",
    maxAge: seconds,
  });
});
