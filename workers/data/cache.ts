import type { Redis } from "@upstash/redis/cloudflare";
import { AppError } from "../lib/errors.ts";
import { errorFields, logThrottled } from "../lib/log.ts";
import { forDeferredWrites } from "./redis.ts";

/** Where a value came from: the shared Redis cache, the database, or Redis's stale copy while the database failed. */
export type CacheSource = "redis" | "db" | "stale-if-error";

export interface CacheContext {
  /** Off: every read goes to the database on its own (the CATALOG_CACHE switch). */
  enabled: boolean;
  redis: Redis | undefined;
  /** The caller just wrote: it reads the database itself and fills nothing. */
  bypass: boolean;
  /** Runs work after the response (filling Redis must not delay the reader). */
  defer(work: Promise<unknown>): void;
  /** Reports how long a step of a read waited (the Redis read), for Server-Timing. */
  timed?(step: "redis", ms: number): void;
}

/**
 * After a few Redis failures in a row this isolate leaves Redis alone for a while, so an outage costs a
 * few timeouts, not one per request. One failure is not enough: on a saturated isolate a read can pass
 * its deadline while Redis is fine, and opening on it sent every miss to the database for 10 s.
 */
const BREAKER_MS = 10_000;
const FAILURES_TO_OPEN = 3;
const health = new WeakMap<Redis, { failures: number; downUntil: number }>();

function usable(redis: Redis | undefined): redis is Redis {
  return redis !== undefined && Date.now() >= (health.get(redis)?.downUntil ?? 0);
}

function succeeded(redis: Redis) {
  health.delete(redis);
}

function failed(redis: Redis, operation: string, error: unknown) {
  const failures = (health.get(redis)?.failures ?? 0) + 1;
  // The count runs on while open, so the first read after those 10 s that fails too reopens it at once.
  health.set(redis, { failures, downUntil: failures >= FAILURES_TO_OPEN ? Date.now() + BREAKER_MS : 0 });
  logThrottled(`cache:${operation}`, "warn", "redis cache unavailable; reading through to the database", errorFields(error));
}

/** Each cached key has a generation, bumped by every invalidation; it outlives any load by far. */
const GENERATIONS = "gen:";
export const generationKey = (key: string) => `${GENERATIONS}${key}`;
const GENERATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * How long an entry is served as it is (`fresh`), then kept to answer while the database is unreachable
 * (`stale`, stale-if-error), all in seconds. A miss (the load found nothing: null) lives `miss` seconds
 * and is never kept stale, so names that do not exist cost Redis only a short window.
 */
export interface Lifetime {
  fresh: number;
  stale: number;
  miss: number;
}

/** What Redis holds: the value and until when (ms since epoch) it is fresh. */
interface Entry<T> {
  value: T;
  freshUntil: number;
}

// A fill carries the generation its reader saw before loading: if a write bumped it meanwhile, the
// loaded value may predate that write and must not go back into Redis.
const FILL_IF_UNCHANGED = `if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return 0`;

// KEYS holds value, generation, value, generation...: each value goes and its generation moves on.
const INVALIDATE = `for i = 1, #KEYS, 2 do
  redis.call('DEL', KEYS[i])
  redis.call('INCR', KEYS[i + 1])
  redis.call('EXPIRE', KEYS[i + 1], ARGV[1])
end
return #KEYS / 2`;

/** A refusal (404, 400…) is an answer, not a failure: only failures fall back to a stale copy. */
const isFailure = (error: unknown) => !(error instanceof AppError && error.status < 500);

/**
 * Read-through cache over Redis: a fresh hit costs one Redis round trip; otherwise the value loads from
 * the database and fills Redis after the response, unless a write invalidated the key while it loaded.
 * When the load fails (the database is unreachable or past its deadline) and Redis still holds a stale
 * copy, that copy answers (`stale-if-error`). Redis being slow or down only makes every read a miss.
 *
 * Each request loads on its own: a load's promise is never shared with another request. The runtime
 * cancels a request's I/O when that request ends (its client hangs up, a sibling query fails), and a
 * promise shared with other requests would then never settle, stranding every later reader of the key.
 */
export async function readThrough<T>(ctx: CacheContext, key: string, lifetime: Lifetime, load: () => Promise<T>): Promise<{ value: T; source: CacheSource }> {
  if (!ctx.enabled || ctx.bypass) return { value: await load(), source: "db" };
  const { redis } = ctx;
  let generation: string | undefined;
  let stored: Entry<T> | null = null;
  if (usable(redis)) {
    try {
      const started = performance.now();
      const [cached, seen] = await redis.mget<[Entry<T> | null, number | string | null]>(key, generationKey(key));
      ctx.timed?.("redis", performance.now() - started);
      succeeded(redis);
      stored = cached;
      if (stored && stored.freshUntil > Date.now()) return { value: stored.value, source: "redis" };
      generation = String(seen ?? 0);
    } catch (error) {
      failed(redis, "get", error);
    }
  }
  let value: T;
  try {
    value = await load();
  } catch (error) {
    if (!stored || !isFailure(error)) throw error;
    logThrottled("cache:stale", "warn", "database unavailable; serving a stale cached copy", { key, ...errorFields(error) });
    return { value: stored.value, source: "stale-if-error" };
  }
  if (generation !== undefined && usable(redis)) {
    const entry: Entry<T> = { value, freshUntil: Date.now() + lifetime.fresh * 1000 };
    const seconds = value === null ? lifetime.miss : lifetime.fresh + lifetime.stale;
    const fill = forDeferredWrites(redis).eval(FILL_IF_UNCHANGED, [key, generationKey(key)], [generation, JSON.stringify(entry), String(seconds)]);
    // A fill runs after the response, so it has a longer deadline than a read; if it fails all the same,
    // that says nothing about the next read, so it never counts towards the breaker.
    ctx.defer(fill.catch((error: unknown) => logThrottled("cache:set", "warn", "redis cache fill failed", errorFields(error))));
  }
  return { value, source: "db" };
}

/** Drops cached entries after a write has committed; failures are logged, the entries' TTL bounds them anyway. */
export async function invalidate(redis: Redis | undefined, keys: string[]): Promise<void> {
  if (!redis || keys.length === 0) return;
  try {
    await redis.eval(INVALIDATE, keys.flatMap((key) => [key, generationKey(key)]), [String(GENERATION_TTL_SECONDS)]);
    succeeded(redis);
  } catch (error) {
    failed(redis, "del", error);
  }
}
