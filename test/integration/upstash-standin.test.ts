// The local Upstash stand-in (scripts/local/upstash-proxy.ts), driven from workerd by the unchanged
// @upstash/redis and @upstash/ratelimit clients, plus raw requests for the wire format they rely on.
import { env } from "cloudflare:workers";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis, errors } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import { eventually } from "../support/wait.ts";

const url = env.UPSTASH_REDIS_REST_URL;
const token = env.UPSTASH_REDIS_REST_TOKEN;

/** Key names under a prefix no other test uses. */
function keys(): (name: string) => string {
  const id = crypto.randomUUID();
  return (name) => `standin:${id}:${name}`;
}

interface Answer {
  status: number;
  body: unknown;
  syncToken: string | null;
}

/** One raw request to the stand-in, as the clients make them, with this bearer token (or none). */
async function request(auth: string | undefined, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { ...(auth === undefined ? {} : { Authorization: `Bearer ${auth}` }), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json<unknown>(), syncToken: response.headers.get("upstash-sync-token") };
}

const post = (path: string, body: unknown, headers?: Record<string, string>) => request(token, path, body, headers);

/** The status and body alone, for exact comparison. */
const reply = ({ status, body }: Answer) => ({ status, body });

/** The text of an answer that must be exactly `{ "error": "<text>" }` with this status. */
function errorText(answer: Answer, status: number): string {
  expect(answer.status).toBe(status);
  const { error, ...rest } = answer.body as { error?: unknown };
  expect(rest).toEqual({});
  expect(error).toBeTypeOf("string");
  return error as string;
}

const BASE64 = { "Upstash-Encoding": "base64" };
const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}


describe("wire format", () => {
  it("answers one command as {result}, strings base64 only when asked, with a new sync token each time", async () => {
    const k = keys();
    const answers = [
      await post("/", ["SET", k("s"), "bar", "EX", 60], BASE64),
      await post("/", ["GET", k("s")], BASE64),
      await post("/", ["GET", k("s")]),
      await post("/", ["INCRBY", k("n"), 41], BASE64),
      await post("/", ["GET", k("missing")], BASE64),
    ];
    expect(answers.map(reply)).toEqual([
      { status: 200, body: { result: "OK" } },
      { status: 200, body: { result: "YmFy" } },
      { status: 200, body: { result: "bar" } },
      { status: 200, body: { result: 41 } },
      { status: 200, body: { result: null } },
    ]);
    const tokens = answers.map((answer) => answer.syncToken);
    expect(tokens.every(Boolean)).toBe(true);
    expect(new Set(tokens).size).toBe(answers.length);
  });

  it("encodes nested arrays element by element and keeps integers and nils", async () => {
    const k = keys();
    const script = "return {1, 'two', {3, 'x', {4}}, redis.call('GET', KEYS[1])}";
    const nested = await post("/", ["EVAL", script, 1, k("nothing")], BASE64);
    expect(reply(nested)).toEqual({ status: 200, body: { result: [1, b64("two"), [3, b64("x"), [4]], null] } });
    await post("/", ["HSET", k("h"), "f", "ü 😀", "n", 7]);
    const hash = await post("/", ["HGETALL", k("h")], BASE64);
    expect(reply(hash)).toEqual({ status: 200, body: { result: [b64("f"), b64("ü 😀"), b64("n"), b64("7")] } });
    expect(reply(await post("/", ["MGET", k("h"), k("nothing")]))).toEqual({ status: 200, body: { result: [null, null] } });
  });

  it("base64-encodes Redis's raw bytes, even when they are not UTF-8", async () => {
    const k = keys();
    await post("/", ["SETBIT", k("bits"), 0, 1]);
    expect(reply(await post("/", ["GET", k("bits")], BASE64))).toEqual({ status: 200, body: { result: "gA==" } });
    expect(reply(await post("/", ["GET", k("bits")]))).toEqual({ status: 200, body: { result: "\uFFFD" } });
  });

  it("answers a failing command with 400 and Redis's own error text, never encoded", async () => {
    const k = keys();
    await post("/", ["SET", k("s"), "v"]);
    expect(errorText(await post("/", ["HGET", k("s"), "f"], BASE64), 400)).toBe(WRONGTYPE);
    expect(errorText(await post("/", ["NOPE", "x"], BASE64), 400)).toMatch(/^ERR unknown command 'NOPE'/);
    expect(errorText(await post("/", ["EVALSHA", "0".repeat(40), 0]), 400)).toMatch(/^NOSCRIPT /);
  });

  it("answers /pipeline with one entry per command, errors in place and without a result", async () => {
    const k = keys();
    const answer = await post("/pipeline", [["SET", k("p"), 1], ["INCR", k("p")], ["HGET", k("p"), "f"], ["GET", k("p")]], BASE64);
    expect(reply(answer)).toEqual({
      status: 200,
      body: [{ result: "OK" }, { result: 2 }, { error: WRONGTYPE }, { result: b64("2") }],
    });
  });

  it("runs /multi-exec atomically: runtime errors stay in place, a command Redis refuses to queue discards it all", async () => {
    const k = keys();
    const ran = await post("/multi-exec", [["SET", k("m"), "v"], ["INCR", k("m")], ["GET", k("m")]]);
    expect(reply(ran)).toEqual({
      status: 200,
      body: [{ result: "OK" }, { error: "ERR value is not an integer or out of range" }, { result: "v" }],
    });
    const discarded = await post("/multi-exec", [["SET", k("d"), "v"], ["NOPE"]]);
    expect(errorText(discarded, 400)).toMatch(/^ERR unknown command 'NOPE'/);
    expect(reply(await post("/", ["EXISTS", k("d")]))).toEqual({ status: 200, body: { result: 0 } });
  });

  it("refuses a wrong or missing token with 401, unknown paths with 404 and malformed bodies with 400", async () => {
    errorText(await request("wrong", "/", ["PING"]), 401);
    errorText(await request(undefined, "/", ["PING"]), 401);
    errorText(await post("/set/a/b", []), 404);
    errorText(await post("/", "not json"), 400);
    errorText(await post("/", { command: "PING" }), 400);
    errorText(await post("/", [["PING"]]), 400);
    errorText(await post("/pipeline", []), 400);
    errorText(await post("/pipeline", ["PING"]), 400);
  });
});

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
    const channel = k("chan");
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

describe("authentication", () => {
  it("makes the client throw on a wrong token", async () => {
    const wrong = new Redis({ url, token: "not-the-token" });
    await expect(wrong.get("anything")).rejects.toThrow(errors.UpstashError);
  });
});
