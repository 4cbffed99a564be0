// The local Upstash stand-in (scripts/local/upstash-proxy.ts): the wire format the @upstash/redis and
// @upstash/ratelimit clients rely on, through raw requests, and its bearer-token authentication.
// The clients themselves are in upstash-standin-clients.test.ts.
import { Redis, errors } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import { b64, BASE64, errorText, keys, post, reply, request, url, WRONGTYPE } from "../support/upstash.ts";

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

  it("refuses commands that would change the connection every request shares", async () => {
    for (const command of [["CLIENT", "REPLY", "OFF"], ["CLIENT", "TRACKING", "ON"], ["READONLY"], ["SELECT", "1"]]) {
      expect(errorText(await post("/", command), 400)).toMatch(/not supported/i);
    }
    expect(reply(await post("/", ["PING"]))).toEqual({ status: 200, body: { result: "PONG" } });
  });
});

describe("authentication", () => {
  it("makes the client throw on a wrong token", async () => {
    const wrong = new Redis({ url, token: "not-the-token" });
    await expect(wrong.get("anything")).rejects.toThrow(errors.UpstashError);
  });
});
