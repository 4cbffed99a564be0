import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import type { AccountContext } from "../domain/accounts.ts";
import { confirmSession, refreshSession, type IssuedSession } from "../domain/sessions.ts";
import { ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS, verifyAccessToken, type AccessClaims, type Role } from "../domain/tokens.ts";
import { AppError } from "../lib/errors.ts";
import { isWriteMethod } from "../lib/methods.ts";
import { PRIVATE_CACHE_CONTROL } from "../lib/cache-control.ts";

// __Host- cookies are Secure, host-only and Path=/: no subdomain can set or read them.
const ACCESS_COOKIE = "session";
const REFRESH_COOKIE = "refresh";

export function sessionMeta(c: Context<AppEnv>) {
  return { userAgent: c.req.header("User-Agent")?.slice(0, 300) ?? null, ip: clientIp(c) };
}

/** What the account actions need from this request. */
export function accountContext(c: Context<AppEnv>): AccountContext {
  return {
    db: c.var.db,
    secret: c.var.config.SESSION_SECRET,
    origin: c.var.config.PUBLIC_ORIGIN ?? new URL(c.req.url).origin,
    outbox: c.env.OUTBOX_QUEUE,
    meta: sessionMeta(c),
  };
}

/** Cloudflare sets CF-Connecting-IP on every request (a client cannot forge it in production). */
export function clientIp(c: Context): string {
  return c.req.header("CF-Connecting-IP") ?? "unknown";
}

export function setSessionCookies(c: Context<AppEnv>, session: IssuedSession): void {
  const base = { prefix: "host", httpOnly: true, secure: true, sameSite: "Lax", path: "/" } as const;
  // The access cookie outlives its token a little so an expired token still triggers a refresh.
  setCookie(c, ACCESS_COOKIE, session.accessToken, { ...base, maxAge: ACCESS_TOKEN_SECONDS * 5 });
  if (session.refreshToken) setCookie(c, REFRESH_COOKIE, session.refreshToken, { ...base, maxAge: REFRESH_TOKEN_SECONDS });
  c.set("auth", session.claims);
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  for (const name of [ACCESS_COOKIE, REFRESH_COOKIE]) deleteCookie(c, name, { prefix: "host", secure: true, path: "/" });
  c.set("auth", null);
}

/** Whether the request carries any session cookie (what it is answered is theirs alone, unless it came from the edge). */
export function hasSessionCookie(c: Context): boolean {
  return getCookie(c, ACCESS_COOKIE, "host") !== undefined || getCookie(c, REFRESH_COOKIE, "host") !== undefined;
}

/**
 * Who is calling, as far as the access token alone can tell (no round trip): their claims; "anonymous"
 * when there is no valid token and nothing to renew it with (so a garbage cookie costs what no cookie
 * costs); "renew" when only the refresh cookie can say, which takes the app and the database.
 */
export async function callerByToken(c: Context, secret: string): Promise<AccessClaims | "anonymous" | "renew"> {
  const access = getCookie(c, ACCESS_COOKIE, "host");
  const claims = access ? await verifyAccessToken(secret, access) : null;
  if (claims) return claims;
  return getCookie(c, REFRESH_COOKIE, "host") === undefined ? "anonymous" : "renew";
}

/**
 * Who is calling: on reads a valid access token costs no database round trip; an expired one is renewed
 * from the refresh cookie (one round trip, rotating the refresh token). Writes also confirm the sign-in is
 * still live and take the user's current roles (one indexed read), so sign-out, suspension and role
 * changes stop writes at once rather than when the token expires. Anything invalid means anonymous.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.var.config.SESSION_SECRET;
  const access = getCookie(c, ACCESS_COOKIE, "host");
  const claims = access ? await verifyAccessToken(secret, access) : null;
  c.set("auth", claims);
  if (claims && isWriteMethod(c.req.method)) {
    await confirm(c, claims);
  } else if (!claims) {
    const refresh = getCookie(c, REFRESH_COOKIE, "host");
    if (refresh) {
      const renewed = await refreshSession(c.var.db, secret, refresh, sessionMeta(c));
      if (renewed) setSessionCookies(c, renewed);
      else clearSessionCookies(c);
    }
  }
  await next();
  // Anything answered to a signed-in caller is theirs alone.
  if (hasSessionCookie(c) && !c.res.headers.has("Cache-Control")) c.header("Cache-Control", PRIVATE_CACHE_CONTROL);
});

/** Checks in the database that the sign-in is still live, with the user's current roles; a dead one's cookies are cleared and the caller is anonymous. */
async function confirm(c: Context<AppEnv>, claims: AccessClaims): Promise<void> {
  const confirmed = await confirmSession(c.var.db, claims);
  if (confirmed) c.set("auth", confirmed);
  else clearSessionCookies(c);
}

/**
 * Private reads (the caller's own account, dashboard and settings) confirm the sign-in as writes do, so
 * a revoked or suspended session is refused at once instead of riding its access token for up to
 * ACCESS_TOKEN_SECONDS. Public reads skip this: they show nothing that is the caller's own.
 */
export async function confirmPrivateRead(c: Context<AppEnv>): Promise<void> {
  const claims = c.var.auth;
  if (claims && !isWriteMethod(c.req.method)) await confirm(c, claims);
}

/** requireUser for private reads and writes: the sign-in is confirmed live first. */
export const requireLiveUser = createMiddleware<AppEnv>(async (c, next) => {
  await confirmPrivateRead(c);
  requireAuth(c);
  await next();
});

export function requireAuth(c: Context<AppEnv>): AccessClaims {
  const auth = c.get("auth");
  if (!auth) throw new AppError("unauthenticated", "Sign in to continue.");
  return auth;
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  requireAuth(c);
  await next();
});

export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!requireAuth(c).roles.includes(role)) throw new AppError("forbidden", `This needs the ${role} role.`);
    await next();
  });
}
