import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis/cloudflare";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { AppError } from "../lib/errors.ts";
import { errorFields, logThrottled } from "../lib/log.ts";
import { clientIp } from "./auth.ts";
import { isWriteMethod } from "../lib/methods.ts";

type Window = `${number} ${"s" | "m" | "h"}`;

export interface LimitPolicy {
  name: string;
  limit: number;
  window: Window;
  /**
   * Without Redis: "fallback" keeps limiting through the Workers rate-limiting binding (per location,
   * 10 per minute), for limits that stop brute force; "open" lets the request through.
   */
  withoutRedis: "fallback" | "open";
}

export const LIMITS = {
  signInPerIp: { name: "signin-ip", limit: 30, window: "10 m", withoutRedis: "fallback" },
  // Shared by every client without this account's device cookie (device-cookie.ts).
  signInPerAccount: { name: "signin-account", limit: 10, window: "15 m", withoutRedis: "fallback" },
  // A browser that signed in to the account before: its own budget, keyed by its device cookie's nonce.
  signInPerDevice: { name: "signin-device", limit: 10, window: "15 m", withoutRedis: "fallback" },
  signUpPerIp: { name: "signup-ip", limit: 10, window: "1 h", withoutRedis: "open" },
  passwordResetPerIp: { name: "reset-ip", limit: 5, window: "1 h", withoutRedis: "open" },
  // Reset links are unguessable, but each try with a live-looking token is a database transaction.
  resetConfirmPerIp: { name: "reset-confirm-ip", limit: 20, window: "1 h", withoutRedis: "fallback" },
  // Verification links are unguessable too, but each try is a database transaction; the API and the form share it.
  verifyEmailPerIp: { name: "verify-email-ip", limit: 20, window: "1 h", withoutRedis: "fallback" },
  // Changing the password checks the current one: a borrowed signed-in browser must not brute-force it.
  passwordCheckPerUser: { name: "password-check-user", limit: 10, window: "15 m", withoutRedis: "fallback" },
  emailPerUser: { name: "email-user", limit: 5, window: "1 h", withoutRedis: "open" },
  writes: { name: "writes", limit: 120, window: "1 m", withoutRedis: "open" },
  // Search and suggest (one call per keystroke) reach Postgres on every cache miss: generous, but bounded.
  searchPerIp: { name: "search-ip", limit: 1200, window: "1 m", withoutRedis: "open" },
} satisfies Record<string, LimitPolicy>;

const FALLBACK = { limit: 10, seconds: 60 };

interface Verdict {
  success: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

const limiters = new WeakMap<Redis, Map<string, Ratelimit>>();

function limiterFor(redis: Redis, policy: LimitPolicy, timeout: number): Ratelimit {
  let byName = limiters.get(redis);
  if (!byName) limiters.set(redis, (byName = new Map<string, Ratelimit>()));
  let limiter = byName.get(policy.name);
  if (!limiter) {
    limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(policy.limit, policy.window),
      prefix: `rl:${policy.name}`,
      timeout,
      analytics: false,
      // Keys already over the limit are refused from memory until their window resets.
      ephemeralCache: new Map(),
    });
    byName.set(policy.name, limiter);
  }
  return limiter;
}

async function askRedis(c: Context<AppEnv>, policy: LimitPolicy, key: string): Promise<Verdict | undefined> {
  const redis = c.var.redis;
  if (!redis) return undefined;
  try {
    const result = await limiterFor(redis, policy, c.var.config.REDIS_TIMEOUT_MS).limit(key);
    c.executionCtx.waitUntil(result.pending);
    // @upstash/ratelimit answers "success" when Redis is too slow: that is an outage, not a verdict.
    if (result.reason === "timeout") return undefined;
    const resetSeconds = Math.max(1, Math.ceil((result.reset - Date.now()) / 1000));
    return { success: result.success, limit: result.limit, remaining: result.remaining, resetSeconds };
  } catch (error) {
    logThrottled(`rate-limit:${policy.name}`, "warn", "rate limiter unavailable", { policy: policy.name, ...errorFields(error) });
    return undefined;
  }
}

/** Counts one attempt against the policy for this key; throws 429 with Retry-After when over the limit. */
export async function enforceLimit(c: Context<AppEnv>, policy: LimitPolicy, key: string): Promise<void> {
  let verdict = await askRedis(c, policy, key);
  if (!verdict) {
    if (policy.withoutRedis === "open") return;
    const { success } = await c.env.CREDENTIAL_CHECK_LIMITER.limit({ key: `${policy.name}:${key}` });
    verdict = { success, limit: FALLBACK.limit, remaining: success ? 1 : 0, resetSeconds: FALLBACK.seconds };
  }
  const headers = {
    "RateLimit-Limit": String(verdict.limit),
    "RateLimit-Remaining": String(Math.max(0, verdict.remaining)),
    "RateLimit-Reset": String(verdict.resetSeconds),
  };
  if (!verdict.success) {
    throw new AppError("rate_limited", `Too many attempts. Try again in ${verdict.resetSeconds} seconds.`, {
      headers: { ...headers, "Retry-After": String(verdict.resetSeconds) },
    });
  }
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}

/** The general limit on writes: per signed-in user, or per IP for anonymous callers. */
export const limitWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (isWriteMethod(c.req.method)) {
    await enforceLimit(c, LIMITS.writes, c.var.auth?.userId ?? `ip:${clientIp(c)}`);
  }
  await next();
});

/** The limit on searches and suggestions, per IP (edge-cache hits are answered before it). */
export const limitSearches = createMiddleware<AppEnv>(async (c, next) => {
  await enforceLimit(c, LIMITS.searchPerIp, `ip:${clientIp(c)}`);
  await next();
});
