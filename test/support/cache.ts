import type { Redis } from "@upstash/redis/cloudflare";
import type { CacheContext } from "../../workers/data/cache.ts";

/** A read-through cache context on this client whose deferred work (the Redis fill) the test can wait for. */
export function cacheContext(redis: Redis, options: Partial<CacheContext> = {}) {
  const deferred: Promise<unknown>[] = [];
  const ctx: CacheContext = { enabled: true, redis, bypass: false, defer: (work) => deferred.push(work), ...options };
  return { ctx, settled: () => Promise.all(deferred) };
}
