// Strangers cannot lock an owner out: OWASP device cookies (docs/security.md, "Sign-in lockout design").
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../workers/middleware/rate-limit.ts";
import { signedIn } from "../support/accounts.ts";
import { Client, STRONG_PASSWORD } from "../support/client.ts";

const DEVICE = "__Host-device";
const login = (client: Client, email: string, password: string) => client.post("/api/auth/login", { email, password });

/** An attacker from many addresses spends the account's shared budget, and more, with wrong passwords. */
async function attack(email: string) {
  for (let i = 0; i <= LIMITS.signInPerAccount.limit; i++) await login(new Client(), email, "guess guess guess");
  expect((await login(new Client(), email, "guess guess guess")).status).toBe(429);
}

describe("sign-in lockout", () => {
  it("lets the owner sign in from a browser that signed in before, during an attack on the account", async () => {
    const { client: owner, email } = await signedIn("buyer");
    expect(owner.cookies.get(DEVICE)).toBeTruthy();
    expect((await owner.post("/api/auth/logout")).status).toBe(204);
    expect(owner.cookies.get(DEVICE), "sign-out keeps the device cookie").toBeTruthy();

    await attack(email);
    expect((await login(owner, email, STRONG_PASSWORD)).status).toBe(200);
    // An untrusted browser shares the budget the attack used up, even with the right password.
    expect((await login(new Client(), email, STRONG_PASSWORD)).status).toBe(429);
  });

  it("does the same for the sign-in form", async () => {
    const { client: owner, email } = await signedIn("buyer");
    await owner.post("/api/auth/logout");
    await attack(email);
    const res = await owner.form("/login", { email, password: STRONG_PASSWORD });
    expect(res.status).toBe(303);
    expect(owner.cookies.has("__Host-session")).toBe(true);
  });

  it("trusts a device cookie only for the account it was made for, and only as the server made it", async () => {
    const [victim, other] = await Promise.all([signedIn("buyer"), signedIn("buyer")]);
    await attack(victim.email);
    const token = other.client.cookies.get(DEVICE)!;
    const [nonce, mac] = token.split(".");
    for (const forged of [token, `${nonce}.${mac!.slice(0, -2)}AA`, `${"A".repeat(22)}.${mac}`, "garbage"]) {
      const stranger = new Client();
      stranger.cookies.set(DEVICE, forged);
      expect((await login(stranger, victim.email, victim.password)).status, forged).toBe(429);
    }
  });

  it("gives each known device its own budget against guessing", async () => {
    const { client: owner, email } = await signedIn("buyer");
    await owner.post("/api/auth/logout");
    for (let i = 0; i < LIMITS.signInPerDevice.limit; i++) expect((await login(owner, email, "guess guess guess")).status).toBe(401);
    expect((await login(owner, email, STRONG_PASSWORD)).status).toBe(429);
    // The shared budget is untouched: the device's guesses were its own.
    expect((await login(new Client(), email, STRONG_PASSWORD)).status).toBe(200);
  });

  it("renews the device cookie at each sign-in", async () => {
    const { client: owner, email } = await signedIn("buyer");
    const first = owner.cookies.get(DEVICE);
    await owner.post("/api/auth/logout");
    expect((await login(owner, email, STRONG_PASSWORD)).status).toBe(200);
    expect(owner.cookies.get(DEVICE)).not.toBe(first);
  });
});
