// A real Redis outage: the harness stops the outage Redis (never the shared one) behind its Upstash
// stand-in. Every test that stops it lives in this file, so they run one after another.
import { Redis, errors } from "@upstash/redis/cloudflare";
import { afterEach, describe, expect, inject, it } from "vitest";
import { signedIn } from "../support/accounts.ts";
import { cacheLevel, createCategories, publishedListing } from "../support/catalog.ts";
import { fetchWith } from "../support/app.ts";
import { Client, SITE_ORIGIN, STRONG_PASSWORD, uniqueEmail } from "../support/client.ts";
import { json } from "../support/json.ts";
import { eventually } from "../support/wait.ts";
import type { Readiness } from "../../workers/domain/readiness.ts";
import { edgeCacheKey, edgeMemory } from "../../workers/middleware/edge-cache.ts";
import { readThrough, type Lifetime } from "../../workers/data/cache.ts";
import { getRedis } from "../../workers/data/redis.ts";
import { cacheContext } from "../support/cache.ts";

const outage = inject("outageRedis");
const control = (action: "stop" | "start" | "pause" | "resume") => fetch(`${inject("harnessUrl")}/outage-redis/${action}`, { method: "POST" });
const useOutageRedis = { UPSTASH_REDIS_REST_URL: outage.url, UPSTASH_REDIS_REST_TOKEN: outage.token };
const key = (name: string) => `outage:${crypto.randomUUID()}:${name}`;

afterEach(async () => {
  expect((await control("resume")).status).toBe(204);
  expect((await control("start")).status).toBe(204);
});

describe("the Upstash stand-in while Redis is down", () => {
  it("answers every kind of request with an error at once, then serves again once Redis is back", async () => {
    const redis = new Redis({ url: outage.url, token: outage.token, enableAutoPipelining: false });
    const before = key("before");
    expect(await redis.set(before, "v")).toBe("OK");

    expect((await control("stop")).status).toBe(204);
    await expect(redis.get(before)).rejects.toThrow(errors.UpstashError);
    await expect(redis.pipeline().get(key("a")).get(key("b")).exec()).rejects.toThrow(errors.UpstashError);
    await expect(redis.multi().incr(key("a")).exec()).rejects.toThrow(errors.UpstashError);
    const raw = await fetch(outage.url, { method: "POST", headers: { Authorization: `Bearer ${outage.token}` }, body: '["PING"]' });
    expect(raw.status).toBe(503);
    expect(await raw.json()).toEqual({ error: expect.stringMatching(/^ERR Redis is unavailable/) as string });
    const subscriber = redis.subscribe(key("chan"));
    await expect(new Promise((_, reject) => subscriber.on("error", reject))).rejects.toThrow(errors.UpstashError);

    expect((await control("start")).status).toBe(204);
    const after = key("after");
    await eventually(async () => (await redis.set(after, "v").catch(() => null)) === "OK");
    expect(await redis.get(after)).toBe("v");
  });
});

describe("GET /readyz while Redis is down", () => {
  it("is degraded, not down, and recovers when Redis is back", async () => {
    expect((await control("stop")).status).toBe(204);
    const down = await fetchWith(useOutageRedis, "/readyz");
    const downBody = await json<Readiness>(down);
    expect(down.status).toBe(200);
    expect(downBody.status).toBe("degraded");
    expect(downBody.checks.redis.status).toBe("down");
    expect(downBody.checks.postgres.status).toBe("ok");

    expect((await control("start")).status).toBe(204);
    await expect.poll(async () => (await json<Readiness>(await fetchWith(useOutageRedis, "/readyz"))).status, { timeout: 5000 }).toBe("ok");
  });

  it("still serves pages", async () => {
    expect((await control("stop")).status).toBe(204);
    const res = await fetchWith(useOutageRedis, "/", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
  });
});

describe("accounts while Redis is down", () => {
  it("keeps sign-in rate limited through the fallback limiter", async () => {
    const { email } = await signedIn("buyer");
    expect((await control("stop")).status).toBe(204);
    const statuses: number[] = [];
    // The fallback counts per minute-long window: if one ends mid-test the count restarts once, hence 2 × 10 + 1.
    const fallbackLimit = 10;
    for (let i = 0; i < 2 * fallbackLimit + 1; i++) {
      const res = await new Client().post("/api/auth/login", { email, password: "guess guess guess" }, { env: useOutageRedis });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.length).toBeLessThanOrEqual(2 * fallbackLimit + 1);
  });

  it("lets everything else work: sign-up, sign-in and writes", async () => {
    expect((await control("stop")).status).toBe(204);
    const client = new Client();
    const email = uniqueEmail("outage");
    const signup = await client.post("/api/auth/signup", { email, password: STRONG_PASSWORD, name: "Outage" }, { env: useOutageRedis });
    expect(signup.status).toBe(201);
    const write = await client.request("/api/me", { method: "PATCH", json: { name: "Still works" }, env: useOutageRedis });
    expect(write.status).toBe(200);
    const login = await new Client().post("/api/auth/login", { email, password: STRONG_PASSWORD }, { env: useOutageRedis });
    expect(login.status).toBe(200);
  });
});

describe("the catalog while Redis is down", () => {
  it("still serves listings, straight from the database", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, (await createCategories()).leaf.slug);
    expect((await control("stop")).status).toBe(204);
    const reader = await signedIn("buyer");
    reader.client.cookies.delete("rw");
    const path = `/api/listings/${listing.slug}`;
    for (let i = 0; i < 3; i++) {
      // The edge would answer repeats for signed-in readers too: forget its copy, so each read tests Redis's absence.
      edgeMemory.delete(edgeCacheKey(new URL(path, SITE_ORIGIN).toString()).url);
      const res = await reader.client.request(path, { env: useOutageRedis });
      expect(res.status).toBe(200);
      expect(cacheLevel(res)).toBe("db");
    }
    expect((await reader.client.request("/api/categories", { env: useOutageRedis })).status).toBe(200);
  });
});

describe("the read-through cache when Redis stalls or fails", () => {
  const LIFETIME: Lifetime = { fresh: 60, stale: 600, miss: 5 };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** A client of its own, so no other test's failures count towards its breaker. */
  const ownClient = () => new Redis({ url: outage.url, token: outage.token, enableAutoPipelining: false });
  /** Starts Redis again and, once it answers, stores a fresh entry under the key. */
  const restartHolding = async (redis: Redis, at: string) => {
    expect((await control("start")).status).toBe(204);
    const entry = { value: "from redis", freshUntil: Date.now() + 60_000 };
    await eventually(async () => (await redis.set(at, entry).catch(() => null)) === "OK");
  };

  it("gives a fill longer than a read's deadline: a fill Redis answers late still lands", async () => {
    // Not the default deadline, so this client is not the one other tests' outages may have tripped.
    const readDeadline = 400;
    const redis = getRedis({ ...useOutageRedis, REDIS_TIMEOUT_MS: readDeadline })!;
    const { ctx, settled } = cacheContext(redis);
    const at = key("late-fill");
    await eventually(async () => (await redis.ping().catch(() => null)) === "PONG"); // back from the last test's outage
    const loadThenStall = async () => {
      expect((await control("pause")).status).toBe(204); // Redis has answered the read; the fill meets a stall
      return "loaded";
    };
    expect(await readThrough(ctx, at, LIFETIME, loadThenStall)).toEqual({ value: "loaded", source: "db" });
    let fillSettled = false;
    void settled().then(() => (fillSettled = true));
    await sleep(3 * readDeadline);
    expect(fillSettled).toBe(false); // past a read's deadline, the fill still waits for Redis
    expect((await control("resume")).status).toBe(204);
    await settled();
    expect(await ownClient().get(at)).toMatchObject({ value: "loaded" });
  });

  it("keeps reading Redis after a failed read or two; a success starts the count again", async () => {
    const redis = ownClient();
    const { ctx } = cacheContext(redis);
    const at = key("blip");
    const failedReads = async (count: number) => {
      expect((await control("stop")).status).toBe(204);
      for (let i = 0; i < count; i++) expect(await readThrough(ctx, at, LIFETIME, () => Promise.resolve("from db"))).toEqual({ value: "from db", source: "db" });
      await restartHolding(redis, at);
    };
    await failedReads(2);
    expect(await readThrough(ctx, at, LIFETIME, () => Promise.resolve("not asked"))).toEqual({ value: "from redis", source: "redis" });
    await failedReads(2);
    expect(await readThrough(ctx, at, LIFETIME, () => Promise.resolve("not asked"))).toEqual({ value: "from redis", source: "redis" });
  });

  it("leaves Redis alone after three failed reads in a row, so an outage costs only those", async () => {
    const redis = ownClient();
    const { ctx } = cacheContext(redis);
    const at = key("outage");
    expect((await control("stop")).status).toBe(204);
    for (let i = 0; i < 3; i++) expect((await readThrough(ctx, at, LIFETIME, () => Promise.resolve("from db"))).source).toBe("db");
    await restartHolding(redis, at);
    // Redis holds a fresh entry again, but the breaker is open: the read goes straight to the database.
    expect(await readThrough(ctx, at, LIFETIME, () => Promise.resolve("from db"))).toEqual({ value: "from db", source: "db" });
  });
});
