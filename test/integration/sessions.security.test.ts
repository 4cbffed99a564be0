import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions } from "../../workers/data/schema/index.ts";
import { signAccessToken, verifyAccessToken } from "../../workers/domain/tokens.ts";
import { signedIn } from "../support/accounts.ts";
import { Client } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type ErrorBody } from "../support/json.ts";

const b64url = (value: object) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("access tokens", () => {
  it("ignores a token whose payload was altered", async () => {
    const { client } = await signedIn("buyer");
    const [header, payload, signature] = client.cookies.get("__Host-session")!.split(".");
    const claims = JSON.parse(atob(payload!.replaceAll("-", "+").replaceAll("_", "/"))) as { roles: string[] };
    const forged = `${header}.${b64url({ ...claims, roles: ["buyer", "admin"] })}.${signature}`;
    const attacker = new Client();
    attacker.cookies.set("__Host-session", forged);
    expect((await attacker.request("/api/me")).status).toBe(401);
  });

  it("refuses unsigned (alg none) tokens and tokens signed with another key", async () => {
    const { id } = await signedIn("buyer");
    const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: id, sid: crypto.randomUUID(), roles: ["admin"], iss: "gigmarket", aud: "gigmarket", exp: 9999999999 })}.`;
    const otherKey = await signAccessToken("another-secret-that-is-long-enough-0123456789", { userId: id, sessionId: crypto.randomUUID(), roles: ["admin"] });
    for (const token of [unsigned, otherKey]) {
      const attacker = new Client();
      attacker.cookies.set("__Host-session", token);
      expect((await attacker.request("/api/me")).status).toBe(401);
    }
  });

  it("treats an expired token as absent and renews it from the refresh token", async () => {
    const { client, id } = await signedIn("buyer");
    const current = (await verifyAccessToken(env.SESSION_SECRET, client.cookies.get("__Host-session")!))!;
    const expired = await signAccessToken(env.SESSION_SECRET, current, Date.now() - 10 * 60 * 1000);
    expect(await verifyAccessToken(env.SESSION_SECRET, expired)).toBeNull();

    client.cookies.set("__Host-session", expired);
    const res = await client.request("/api/me");
    expect(res.status).toBe(200);
    expect(client.cookies.get("__Host-session")).not.toBe(expired);
    expect((await verifyAccessToken(env.SESSION_SECRET, client.cookies.get("__Host-session")!))?.userId).toBe(id);
  });
});

describe("refresh tokens", () => {
  it("rotate on every renewal", async () => {
    const { client } = await signedIn("buyer");
    const first = client.cookies.get("__Host-refresh");
    client.cookies.delete("__Host-session");
    await client.request("/api/me");
    expect(client.cookies.get("__Host-refresh")).not.toBe(first);
  });

  it("revoke the whole sign-in when a rotated token is replayed later (theft)", async () => {
    const { client, id } = await signedIn("buyer");
    const stolen = client.cookies.get("__Host-refresh")!;
    client.cookies.delete("__Host-session");
    expect((await client.request("/api/me")).status).toBe(200); // the owner renews: stolen is now rotated
    // The thief comes back a minute later.
    await testDb().primary.update(sessions).set({ rotatedAt: sql`now() - interval '1 minute'` }).where(eq(sessions.userId, id));
    const thief = new Client();
    thief.cookies.set("__Host-refresh", stolen);
    expect((await thief.request("/api/me")).status).toBe(401);

    client.cookies.delete("__Host-session");
    expect((await client.request("/api/me")).status).toBe(401); // the owner's newer token died with the family
  });

  it("let a browser's parallel requests renew with the same token without being taken for theft", async () => {
    const { client } = await signedIn("buyer");
    client.cookies.delete("__Host-session");
    const twin = new Client(client.ip);
    for (const [name, value] of client.cookies) twin.cookies.set(name, value);
    const [a, b] = await Promise.all([client.request("/api/me"), twin.request("/api/me")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    client.cookies.delete("__Host-session");
    expect((await client.request("/api/me")).status).toBe(200);
  });

  it("are stored only as hashes", async () => {
    const { client, id } = await signedIn("buyer");
    const token = client.cookies.get("__Host-refresh")!;
    const rows = await testDb().primary.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.tokenHash)).not.toContain(token);
  });
});

describe("suspension", () => {
  it("signs the user out and blocks sign-in, while admins can lift it", async () => {
    const { client: admin } = await signedIn("admin");
    const user = await signedIn("buyer");
    expect((await admin.post(`/api/admin/users/${user.id}/suspend`)).status).toBe(204);

    user.client.cookies.delete("__Host-session");
    expect((await user.client.request("/api/me")).status).toBe(401);
    const login = await new Client().post("/api/auth/login", { email: user.email, password: user.password });
    expect(login.status).toBe(403);
    expect((await json<ErrorBody>(login)).error.code).toBe("account_suspended");

    expect((await admin.post(`/api/admin/users/${user.id}/unsuspend`)).status).toBe(204);
    expect((await new Client().post("/api/auth/login", { email: user.email, password: user.password })).status).toBe(200);
    expect((await admin.post(`/api/admin/users/${crypto.randomUUID()}/suspend`)).status).toBe(404);
  });
});
