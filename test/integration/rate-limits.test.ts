import { describe, expect, it } from "vitest";
import { LIMITS } from "../../workers/middleware/rate-limit.ts";
import { signedIn } from "../support/accounts.ts";
import { Client, randomIp, uniqueEmail } from "../support/client.ts";
import { json, type ErrorBody } from "../support/json.ts";

async function attemptsUntilRefused(attempt: () => Promise<Response>, max: number) {
  for (let i = 1; i <= max; i++) {
    const res = await attempt();
    if (res.status === 429) return { count: i, res };
    expect(res.status).not.toBe(500);
  }
  return { count: max + 1, res: undefined };
}

describe("brute force", () => {
  it("stops guessing one account's password from many addresses", async () => {
    const { email } = await signedIn("buyer");
    const { count, res } = await attemptsUntilRefused(
      () => new Client().post("/api/auth/login", { email, password: "guess guess guess" }),
      LIMITS.signInPerAccount.limit + 1,
    );
    expect(count).toBe(LIMITS.signInPerAccount.limit + 1);
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(res!.headers.get("RateLimit-Limit")).toBe(String(LIMITS.signInPerAccount.limit));
    expect(res!.headers.get("RateLimit-Remaining")).toBe("0");
    expect((await json<ErrorBody>(res!)).error.code).toBe("rate_limited");
  });

  it("stops one address from trying many accounts", async () => {
    const ip = randomIp();
    const { count } = await attemptsUntilRefused(
      () => new Client(ip).post("/api/auth/login", { email: uniqueEmail("spray"), password: "guess guess guess" }),
      LIMITS.signInPerIp.limit + 1,
    );
    expect(count).toBe(LIMITS.signInPerIp.limit + 1);
  });

  it("limits sign-ups and reset requests per address, and counts down in RateLimit headers", async () => {
    const ip = randomIp();
    const first = await new Client(ip).post("/api/auth/password-reset", { email: uniqueEmail() });
    expect(first.headers.get("RateLimit-Remaining")).toBe(String(LIMITS.passwordResetPerIp.limit - 1));
    const { count } = await attemptsUntilRefused(
      () => new Client(ip).post("/api/auth/password-reset", { email: uniqueEmail() }),
      LIMITS.passwordResetPerIp.limit,
    );
    expect(count).toBe(LIMITS.passwordResetPerIp.limit);

    const signupIp = randomIp();
    const signups = await attemptsUntilRefused(
      () => new Client(signupIp).post("/api/auth/signup", { email: uniqueEmail(), password: "a strong passphrase 1", name: "S" }),
      LIMITS.signUpPerIp.limit + 1,
    );
    expect(signups.count).toBe(LIMITS.signUpPerIp.limit + 1);
  });

  it("stops guessing the current password on the change-password form", async () => {
    const { client } = await signedIn("buyer");
    const { count, res } = await attemptsUntilRefused(
      () => client.post("/api/me/password", { currentPassword: "guess guess guess", newPassword: "fresh passphrase 99" }),
      LIMITS.passwordCheckPerUser.limit + 1,
    );
    expect(count).toBe(LIMITS.passwordCheckPerUser.limit + 1);
    expect(res!.status).toBe(429);
  });

  it("stops one address from guessing reset links", async () => {
    const ip = randomIp();
    const { count } = await attemptsUntilRefused(
      () => new Client(ip).post("/api/auth/password-reset/confirm", { token: crypto.randomUUID(), password: "a brand new passphrase 7" }),
      LIMITS.resetConfirmPerIp.limit + 1,
    );
    expect(count).toBe(LIMITS.resetConfirmPerIp.limit + 1);
  });

  it("stops one address from guessing verification links, through the API and the form alike", async () => {
    const ip = randomIp();
    const half = Math.ceil(LIMITS.verifyEmailPerIp.limit / 2);
    for (let i = 0; i < half; i++) expect((await new Client(ip).form("/verify-email", { token: crypto.randomUUID() })).status).toBe(400);
    const { count } = await attemptsUntilRefused(
      () => new Client(ip).post("/api/auth/verify-email", { token: crypto.randomUUID() }),
      LIMITS.verifyEmailPerIp.limit + 1,
    );
    expect(count).toBe(LIMITS.verifyEmailPerIp.limit - half + 1);
    expect((await new Client().post("/api/auth/verify-email", { token: crypto.randomUUID() })).status, "another address is not limited").toBe(400);
  });

  it("puts a general limit on writes per user", async () => {
    const { client } = await signedIn("buyer");
    const res = await client.request("/api/me", { method: "PATCH", json: { name: "Counted" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("RateLimit-Limit")).toBe(String(LIMITS.writes.limit));
    expect(Number(res.headers.get("RateLimit-Remaining"))).toBeLessThan(LIMITS.writes.limit);
  });
});
