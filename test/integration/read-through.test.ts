import { Redis } from "@upstash/redis/cloudflare";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/lib/errors.ts";
import { generationKey, invalidate, readThrough, type CacheContext, type Lifetime } from "../../workers/data/cache.ts";
import { cacheContext } from "../support/cache.ts";

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });

const context = (options: Partial<CacheContext> = {}) => cacheContext(redis, options);

/** A load the test finishes by hand, to place a write in the middle of it. */
function manualLoad<T>() {
  let finish!: (value: T) => void;
  const loaded = new Promise<T>((resolve) => (finish = resolve));
  return { load: () => loaded, finish };
}

const uniqueKey = () => `test:read-through:${crypto.randomUUID()}`;
const LIFETIME: Lifetime = { fresh: 60, stale: 600, miss: 5 };

describe("read-through cache", () => {
  it("fills Redis after a miss, and serves the next read from it", async () => {
    const key = uniqueKey();
    const { ctx, settled } = context();
    expect(await readThrough(ctx, key, LIFETIME, () => Promise.resolve({ title: "v1" }))).toEqual({ value: { title: "v1" }, source: "db" });
    await settled();
    expect(await readThrough(ctx, key, LIFETIME, () => Promise.resolve({ title: "never loaded" }))).toEqual({ value: { title: "v1" }, source: "redis" });
  });

  it("does not put back a value loaded before a write invalidated the key", async () => {
    const key = uniqueKey();
    const { ctx, settled } = context();
    const slow = manualLoad<{ title: string }>();
    const reading = readThrough(ctx, key, LIFETIME, slow.load);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the reader has asked Redis and is loading
    await invalidate(redis, [key]); // a write commits and invalidates meanwhile
    slow.finish({ title: "before the write" });
    expect((await reading).value.title).toBe("before the write"); // this reader's answer, never stored
    await settled();
    expect(await redis.get(key)).toBeNull();
    const next = await readThrough(ctx, key, LIFETIME, () => Promise.resolve({ title: "after the write" }));
    expect(next).toEqual({ value: { title: "after the write" }, source: "db" });
  });

  it("lets concurrent misses each load on their own: no reader waits on another's load", async () => {
    const key = uniqueKey();
    const { ctx } = context();
    const stuck = manualLoad<string>(); // a load that never finishes, like one whose request was cancelled
    void readThrough(ctx, key, LIFETIME, stuck.load);
    await new Promise((resolve) => setTimeout(resolve, 50)); // that reader is mid-load
    expect(await readThrough(ctx, key, LIFETIME, () => Promise.resolve("own load"))).toEqual({ value: "own load", source: "db" });
    const writer = readThrough(context({ bypass: true }).ctx, key, LIFETIME, () => Promise.resolve("fresh"));
    expect(await writer).toEqual({ value: "fresh", source: "db" });
  });

  it("keeps a miss only briefly, and a found value for its fresh and stale time", async () => {
    const [missing, found] = [uniqueKey(), uniqueKey()];
    const { ctx, settled } = context();
    await readThrough(ctx, missing, LIFETIME, () => Promise.resolve(null));
    await readThrough(ctx, found, LIFETIME, () => Promise.resolve("here"));
    await settled();
    const missTtl = await redis.ttl(missing);
    expect(missTtl).toBeGreaterThan(0);
    expect(missTtl).toBeLessThanOrEqual(LIFETIME.miss);
    expect(await redis.ttl(found)).toBeGreaterThan(LIFETIME.fresh);
  });

  it("keeps reading Redis after a fill fails: only a failed read sends misses past it", async () => {
    // A client of its own, so this isolate's breaker state for the shared client is untouched.
    const own = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });
    const { ctx, settled } = context({ redis: own });
    const [cached, unfillable] = [uniqueKey(), uniqueKey()];
    await readThrough(ctx, cached, LIFETIME, () => Promise.resolve("in redis"));
    await settled();
    // A generation that is not a string: the read (MGET) still answers, the fill script fails on it.
    await redis.lpush(generationKey(unfillable), "not a number");
    expect(await readThrough(ctx, unfillable, LIFETIME, () => Promise.resolve("loaded"))).toEqual({ value: "loaded", source: "db" });
    await settled();
    expect(await redis.get(unfillable)).toBeNull(); // the fill did fail
    expect(await readThrough(ctx, cached, LIFETIME, () => Promise.resolve("not asked"))).toEqual({ value: "in redis", source: "redis" });
  });

  it("answers from a stale copy when the load fails, but not when the load refuses", async () => {
    const key = uniqueKey();
    await redis.set(key, { value: "yesterday's", freshUntil: Date.now() - 1000 }, { ex: 600 });
    const { ctx } = context();
    const down = () => Promise.reject(new Error("Error connecting to database: the database did not answer in time"));
    expect(await readThrough(ctx, key, LIFETIME, down)).toEqual({ value: "yesterday's", source: "stale-if-error" });
    const refused = readThrough(ctx, key, LIFETIME, () => Promise.reject(new AppError("not_found", "gone")));
    await expect(refused).rejects.toThrow("gone");
    await expect(readThrough(ctx, uniqueKey(), LIFETIME, down)).rejects.toThrow("did not answer");
  });
});
