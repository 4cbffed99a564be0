// The local Upstash stand-in (scripts/local/upstash-proxy.ts), driven from workerd by the unchanged
// @upstash/redis and @upstash/ratelimit clients. The raw wire format is in upstash-standin-wire.test.ts.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis, errors } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import { keys, sha1, token, url, WRONGTYPE } from "../support/upstash.ts";
import { eventually } from "../support/wait.ts";

describe.each([
  { name: "defaults (base64, auto-pipelining)", options: {} },
  { name: "plain JSON, no auto-pipelining", options: { responseEncoding: false, enableAutoPipelining: false } as const },
])("@upstash/redis with $name", ({ options }) => {
  const redis = new Redis({ url, token, ...options });

  it("reads back strings, numbers, JSON values and non-ASCII text exactly", async () => {
    const k = keys();
    const text = "ü 😀 tab\t newline\n nul\u0000 end";
    expect(await redis.set(k("text"), text)).toBe("OK");
    expect(await redis.set(k("json"), { a: [1, 2], b: { c: "d" } })).toBe("OK");
    expect(await redis.set(k("zeros"), "007")).toBe("OK");
    expect(await redis.get(k("text"))).toBe(text);
    expect(await redis.get(k("json"))).toEqual({ a: [1, 2], b: { c: "d" } });
    expect(await redis.get(k("zeros"))).toBe("007");
    expect(await redis.mget(k("json"), k("missing"))).toEqual([{ a: [1, 2], b: { c: "d" } }, null]);
  });

  it("counts and expires", async () => {
    const k = keys();
    expect(await redis.incr(k("n"))).toBe(1);
    expect(await redis.incrby(k("n"), 41)).toBe(42);
    expect(await redis.get(k("n"))).toBe(42);
    expect(await redis.ttl(k("n"))).toBe(-1);
    expect(await redis.expire(k("n"), 60)).toBe(1);
    expect(await redis.ttl(k("n"))).toBe(60);
    expect(await redis.set(k("gone"), "x", { px: 1 })).toBe("OK");
    await eventually(async () => (await redis.exists(k("gone"))) === 0);
  });

  it("works with hashes, sets, sorted sets and lists", async () => {
    const k = keys();
    expect(await redis.hset(k("h"), { name: "lamp", price: 12, tags: ["a", "b"] })).toBe(3);
    expect(await redis.hgetall(k("h"))).toEqual({ name: "lamp", price: 12, tags: ["a", "b"] });
    expect(await redis.hget(k("h"), "name")).toBe("lamp");
    expect(await redis.hmget(k("h"), "price", "nope")).toEqual({ price: 12, nope: null });

    expect(await redis.sadd(k("s"), "a", "b", "c")).toBe(3);
    expect((await redis.smembers(k("s"))).sort()).toEqual(["a", "b", "c"]);
    expect(await redis.sismember(k("s"), "b")).toBe(1);

    expect(await redis.zadd(k("z"), { score: 2.5, member: "two" }, { score: 1, member: "one" })).toBe(2);
    expect(await redis.zrange(k("z"), 0, -1, { withScores: true })).toEqual(["one", 1, "two", 2.5]);
    expect(await redis.zscore(k("z"), "two")).toBe(2.5);
    expect(await redis.zrank(k("z"), "two")).toBe(1);

    expect(await redis.rpush(k("l"), "a", "b", "c")).toBe(3);
    expect(await redis.lrange(k("l"), 0, -1)).toEqual(["a", "b", "c"]);
    expect(await redis.lpop(k("l"))).toBe("a");
    expect(await redis.llen(k("l"))).toBe(2);
    expect(await redis.type(k("z"))).toBe("zset");
  });

  it("runs pipelines and transactions", async () => {
    const k = keys();
    const pipeline = redis.pipeline().set(k("p"), 1).incr(k("p")).get(k("p")).hgetall(k("missing"));
    expect(await pipeline.exec()).toEqual(["OK", 2, 2, null]);
    expect(await redis.multi().set(k("m"), "v").get(k("m")).del(k("m")).exec()).toEqual(["OK", "v", 1]);
    const kept = await redis.multi().set(k("w"), "v").hget(k("w"), "f").get(k("w")).exec({ keepErrors: true });
    expect(kept.map((entry) => entry.error)).toEqual([undefined, WRONGTYPE, undefined]);
    expect(kept[2]?.result).toBe("v");
    await expect(redis.pipeline().get(k("w")).hget(k("w"), "f").exec()).rejects.toThrow(/Command 2 \[ hget \] failed: WRONGTYPE/);
  });

  it("throws Redis's error as an UpstashError", async () => {
    const k = keys();
    await redis.set(k("s"), "v");
    const error = await redis.hget(k("s"), "f").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.UpstashError);
    expect((error as Error).message).toContain(WRONGTYPE);
  });

  it("scans", async () => {
    const k = keys();
    await Promise.all(["a", "b", "c"].map((name) => redis.set(k(name), name)));
    const found: string[] = [];
    let cursor: string | number = 0;
    do {
      const [next, page]: [string, string[]] = await redis.scan(cursor, { match: k("*"), count: 1000 });
      found.push(...page);
      cursor = next;
    } while (cursor !== "0");
    expect(found.sort()).toEqual([k("a"), k("b"), k("c")]);
  });

  it("evaluates scripts: EVAL, SCRIPT LOAD + EVALSHA, EVAL_RO, and NOSCRIPT as an error", async () => {
    const k = keys();
    await redis.set(k("s"), "stored");
    expect(await redis.eval("return {KEYS[1], ARGV[1], 42}", [k("x")], ["arg"])).toEqual([k("x"), "arg", 42]);
    const script = "return redis.call('GET', KEYS[1])";
    const sha = await redis.scriptLoad(script);
    expect(sha).toBe(await sha1(script));
    expect(await redis.scriptExists(sha)).toEqual([1]);
    expect(await redis.evalsha(sha, [k("s")], [])).toBe("stored");
    expect(await redis.evalRo(script, [k("s")], [])).toBe("stored");
    await expect(redis.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it("accepts Upstash's allow-key-locking shebang flag and keeps the script's own SHA1", async () => {
    const script = "#!lua flags=allow-key-locking\nreturn ARGV[1]";
    const sha = await sha1(script);
    expect(await redis.scriptLoad(script)).toBe(sha);
    expect(await redis.scriptExists(sha)).toEqual([1]);
    expect(await redis.evalsha(sha, [], ["hi"])).toBe("hi");
    expect(await redis.eval(script, [], ["again"])).toBe("again");
  });

  it("publishes to channel and pattern subscribers, and drops the subscription when they leave", async () => {
    const k = keys();
    const channel = k("chan/with/slashes 100%"); // the client puts it into the path as it is
    const messages: unknown[] = [];
    const subscriber = redis.subscribe<unknown>(channel);
    subscriber.on("message", ({ channel: from, message }) => messages.push({ from, message }));
    const subscribed = await new Promise<number>((resolve) => subscriber.on("subscribe", resolve));
    expect(subscribed).toBe(1);

    const patternMessages: unknown[] = [];
    const patternSubscriber = redis.psubscribe<unknown>(k("room:*"));
    patternSubscriber.on("pmessage", (event) => patternMessages.push(event));
    await new Promise((resolve) => patternSubscriber.on("psubscribe", resolve));

    expect(await redis.publish(channel, { id: 1, text: "ü 😀" })).toBe(1);
    expect(await redis.publish(channel, "plain, with commas")).toBe(1);
    expect(await redis.publish(k("room:7"), { hello: "room" })).toBe(1);
    await eventually(() => messages.length === 2 && patternMessages.length === 1);
    expect(messages).toEqual([
      { from: channel, message: { id: 1, text: "ü 😀" } },
      { from: channel, message: "plain, with commas" },
    ]);
    expect(patternMessages).toEqual([{ pattern: k("room:*"), channel: k("room:7"), message: { hello: "room" } }]);

    await subscriber.unsubscribe();
    await patternSubscriber.unsubscribe();
    await eventually(async () => (await redis.publish(channel, "anyone?")) === 0);
    await eventually(async () => (await redis.publish(k("room:7"), "anyone?")) === 0);
  });
});

describe("blocking commands", () => {
  it("do not hold up other requests", async () => {
    const k = keys();
    const blocker = new Redis({ url, token, enableAutoPipelining: false });
    const other = new Redis({ url, token, enableAutoPipelining: false });
    const popped = blocker.exec<[string, string] | null>(["BLPOP", k("queue"), "5"]);
    let poppedYet = false;
    void popped.finally(() => (poppedYet = true));
    expect(await other.set(k("s"), "v")).toBe("OK");
    expect(await other.get(k("s"))).toBe("v");
    // Had the GET waited behind the BLPOP, it would have answered only after the BLPOP timed out.
    expect(poppedYet).toBe(false);
    await other.rpush(k("queue"), "job");
    expect(await popped).toEqual([k("queue"), "job"]);
  });
});

describe.each([
  // Windows start on multiples of their length since the epoch; an hour-long one is next to never crossed mid-test.
  { name: "slidingWindow", limiter: Ratelimit.slidingWindow(3, "1 h") },
  { name: "fixedWindow", limiter: Ratelimit.fixedWindow(3, "1 h") },
  { name: "tokenBucket", limiter: Ratelimit.tokenBucket(1, "30 s", 3) },
])("@upstash/ratelimit $name", ({ limiter }) => {
  const redis = new Redis({ url, token });

  it("allows the limit, then refuses, reports what is left and resets", async () => {
    const ratelimit = new Ratelimit({ redis, limiter, prefix: keys()("ratelimit"), ephemeralCache: false });
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const { success, remaining, limit } = await ratelimit.limit("user-1");
      outcomes.push({ success, remaining, limit });
    }
    expect(outcomes).toEqual([
      { success: true, remaining: 2, limit: 3 },
      { success: true, remaining: 1, limit: 3 },
      { success: true, remaining: 0, limit: 3 },
      { success: false, remaining: 0, limit: 3 },
    ]);
    expect(await ratelimit.getRemaining("user-1")).toMatchObject({ remaining: 0, limit: 3 });
    expect(await ratelimit.getRemaining("user-2")).toMatchObject({ remaining: 3, limit: 3 });

    await ratelimit.resetUsedTokens("user-1");
    expect(await ratelimit.getRemaining("user-1")).toMatchObject({ remaining: 3, limit: 3 });
    expect(await ratelimit.limit("user-1")).toMatchObject({ success: true, remaining: 2 });
  });
});
