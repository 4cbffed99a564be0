import { describe, expect, it } from "vitest";
import { behindRetryMs } from "../../workers/domain/chat-behind.ts";
import { parseClientFrame } from "../../workers/domain/chat-protocol.ts";
import { FloodLimit } from "../../workers/domain/chat-room.ts";
import { looksOffPlatform } from "../../workers/domain/chat-safety.ts";

describe("off-platform payment attempts", () => {
  it.each(["mail me at jo.smith+work@gmail.com", "call +1 (415) 555-0134", "just paypal me", "venmo works", "my $cashtag is $jo-smith", "send BTC"])("flags %s", (body) =>
    expect(looksOffPlatform(body)).toBe(true),
  );
  it.each(["Can you deliver by Friday?", "I need 3 concepts, 2 revisions", "Budget is $50", "Order #12345 is late"])("leaves %s alone", (body) =>
    expect(looksOffPlatform(body)).toBe(false),
  );
});

describe("the flood limit", () => {
  it("allows `limit` sends per user in any window, and forgets them as the window moves", () => {
    const limit = new FloodLimit(3, 1000);
    expect([0, 10, 20, 30].map((at) => limit.allow("a", at))).toEqual([true, true, true, false]);
    expect(limit.allow("b", 30)).toBe(true);
    expect(limit.allow("a", 1001)).toBe(true);
  });
});

describe("write-behind retries", () => {
  it("back off from about a second to at most a minute, jittered", () => {
    expect(behindRetryMs(1, 1)).toBe(1000);
    expect(behindRetryMs(1, 0)).toBe(500);
    expect(behindRetryMs(3, 1)).toBe(4000);
    expect(behindRetryMs(30, 1)).toBe(60_000);
  });
});

describe("incoming frames", () => {
  it("measures frames in bytes, not characters", () => {
    expect(parseClientFrame(JSON.stringify({ type: "send", clientId: "c", body: "é".repeat(3000) }))).toMatchObject({ ok: true });
    expect(parseClientFrame(JSON.stringify({ type: "send", clientId: "c", body: "€".repeat(5500) }))).toMatchObject({ ok: false, error: { code: "frame_too_large" } });
  });
});
