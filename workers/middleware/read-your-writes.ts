import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { isWriteMethod } from "../lib/methods.ts";

/** Marks a client that just wrote, so its reads go to the primary until the replica has caught up. */
export const READ_YOUR_WRITES_COOKIE = "rw";

/** Whether this caller wrote within the read-your-writes window (they skip the replica and both caches). */
export const justWrote = (c: Context) => getCookie(c, READ_YOUR_WRITES_COOKIE) !== undefined;

/** After a successful write, marks the caller for READ_YOUR_WRITES_SECONDS. */
export const markRecentWriter = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const seconds = c.var.config.READ_YOUR_WRITES_SECONDS;
  if (!isWriteMethod(c.req.method) || c.res.status >= 400 || seconds === 0) return;
  setCookie(c, READ_YOUR_WRITES_COOKIE, "1", {
    path: "/",
    httpOnly: true,
    secure: new URL(c.req.url).protocol === "https:",
    sameSite: "Lax",
    maxAge: seconds,
  });
});
