import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_SECONDS, signAccessToken, verifyAccessToken, type AccessClaims } from "../../workers/domain/tokens.ts";

const SECRET = "a-test-secret-that-is-long-enough-0001";
const claims = (): AccessClaims => ({ userId: crypto.randomUUID(), sessionId: crypto.randomUUID(), roles: ["buyer"] });

// Verified tokens are kept per isolate (docs/caching.md): what the cache answers must be what a full check would.
describe("verifyAccessToken, for a token this isolate has verified before", () => {
  it("refuses it from the second it expires", async () => {
    const now = Date.now();
    const who = claims();
    const token = await signAccessToken(SECRET, who, now);
    expect(await verifyAccessToken(SECRET, token, now)).toEqual(who);
    expect(await verifyAccessToken(SECRET, token, now + (ACCESS_TOKEN_SECONDS - 1) * 1000)).toEqual(who);
    expect(await verifyAccessToken(SECRET, token, now + ACCESS_TOKEN_SECONDS * 1000)).toBeNull();
  });

  it("refuses it under another secret, and refuses any altered copy of it", async () => {
    const token = await signAccessToken(SECRET, claims());
    expect(await verifyAccessToken(SECRET, token)).not.toBeNull();
    expect(await verifyAccessToken(`${SECRET}-rotated`, token)).toBeNull();
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    expect(await verifyAccessToken(SECRET, forged)).toBeNull();
  });

  it("hands out a copy: changing what it returned changes nothing for the next caller", async () => {
    const who = claims();
    const token = await signAccessToken(SECRET, who);
    (await verifyAccessToken(SECRET, token))!.roles.push("admin");
    expect((await verifyAccessToken(SECRET, token))!.roles).toEqual(["buyer"]);
  });
});
