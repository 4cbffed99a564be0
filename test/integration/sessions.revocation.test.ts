import { and, eq, isNotNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../workers/data/schema/index.ts";
import { signedIn } from "../support/accounts.ts";
import { Client, STRONG_PASSWORD } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type ErrorBody } from "../support/json.ts";
import { latestEmailTo } from "../support/mail.ts";


const rename = (client: Client) => client.request("/api/me", { method: "PATCH", json: { name: "Still here?" } });

describe("writes confirm the sign-in is live", () => {
  it("refuse a suspended user at once", async () => {
    const { client: admin } = await signedIn("admin");
    const user = await signedIn("buyer");
    expect((await admin.post(`/api/admin/users/${user.id}/suspend`)).status).toBe(204);

    const copy = new Client(user.client.ip);
    for (const [name, value] of user.client.cookies) copy.cookies.set(name, value);
    expect((await rename(user.client)).status).toBe(401);
    expect(user.client.cookies.has("__Host-session")).toBe(false);
    // Nor can the still-signed token be traded for a fresh session by changing the password.
    expect((await copy.post("/api/me/password", { currentPassword: user.password, newPassword: "fresh passphrase 99" })).status).toBe(401);
    expect((await new Client().post("/api/auth/login", { email: user.email, password: user.password })).status).toBe(403);
  });

  it("refuse a copy of the cookies after that device signed out", async () => {
    const { client } = await signedIn("buyer");
    const copy = new Client(client.ip);
    for (const [name, value] of client.cookies) copy.cookies.set(name, value);
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    expect((await rename(copy)).status).toBe(401);
  });

  it("use the roles in the database, not the ones in the token", async () => {
    const { client: admin, id } = await signedIn("admin");
    const target = await signedIn("buyer");
    await admin.request("/api/me"); // holds a token that still says admin
    await testDb().primary.update(users).set({ roles: sql`'{buyer}'` }).where(eq(users.id, id));
    const res = await admin.post(`/api/admin/users/${target.id}/suspend`);
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error.code).toBe("forbidden");
  });
});

describe("private reads confirm the sign-in is live", () => {
  /** A seller signed in on two devices, the second a copy of the first's cookies with a live access token. */
  async function sellerOnTwoDevices() {
    const seller = await signedIn("seller");
    await seller.client.request("/api/me"); // a fresh access token, good for 60 s
    const other = new Client(seller.client.ip);
    for (const [name, value] of seller.client.cookies) other.cookies.set(name, value);
    return { seller, other };
  }
  const privateReads = [
    ["/api/me", 401],
    ["/api/seller/listings", 401],
  ] as const;
  const privatePages = ["/account", "/seller/listings", "/seller/listings/new", "/seller/onboard"];

  it("refuse a session signed out everywhere at once, not when its access token expires", async () => {
    const { seller, other } = await sellerOnTwoDevices();
    for (const [path] of privateReads) expect((await other.request(path)).status, path).toBe(200);
    expect((await seller.client.post("/api/auth/logout-all")).status).toBe(204);
    for (const [path, status] of privateReads) expect((await other.request(path)).status, path).toBe(status);
  });

  it("send a suspended user's private pages to sign in at once", async () => {
    const { client: admin } = await signedIn("admin");
    const { seller, other } = await sellerOnTwoDevices();
    expect((await admin.post(`/api/admin/users/${seller.id}/suspend`)).status).toBe(204);
    for (const path of privatePages) {
      const copy = new Client(other.ip);
      for (const [name, value] of other.cookies) copy.cookies.set(name, value);
      const res = await copy.request(path, { headers: { Accept: "text/html" } });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location"), path).toMatch(/^\/login\?next=/);
      expect(copy.cookies.has("__Host-session"), path).toBe(false);
    }
  });
});

describe("reset links", () => {
  it("die when the password is changed another way", async () => {
    const client = new Client();
    const { email } = await client.signUp();
    await new Client().post("/api/auth/password-reset", { email });
    const { token } = (await latestEmailTo(email))!;
    expect((await client.post("/api/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "fresh passphrase 99" })).status).toBe(204);

    const late = await new Client().post("/api/auth/password-reset/confirm", { token, password: "attacker passphrase 1" });
    expect((await json<ErrorBody>(late)).error.code).toBe("invalid_token");
    expect((await new Client().post("/api/auth/login", { email, password: "fresh passphrase 99" })).status).toBe(200);
  });
});

describe("a sign-out racing a refresh", () => {
  it("leaves the token the refresh minted unable to renew", async () => {
    const { client, id } = await signedIn("buyer");
    client.cookies.delete("__Host-session");
    expect((await client.request("/api/me")).status).toBe(200); // rotated: the first token is spent
    // The race's outcome: the sign-out revoked the spent token but never saw the one the refresh inserted.
    await testDb().primary.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.userId, id), isNotNull(sessions.rotatedAt)));
    client.cookies.delete("__Host-session");
    expect((await client.request("/api/me")).status).toBe(401);
  });
});
