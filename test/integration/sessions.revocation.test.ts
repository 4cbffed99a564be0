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
  it("refuse a suspended user at once, though reads ride the token until it expires", async () => {
    const { client: admin } = await signedIn("admin");
    const user = await signedIn("buyer");
    expect((await admin.post(`/api/admin/users/${user.id}/suspend`)).status).toBe(204);

    expect((await user.client.request("/api/me")).status).toBe(200); // at most 60 s more of reading
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
