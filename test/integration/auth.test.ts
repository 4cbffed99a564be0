import { describe, expect, it } from "vitest";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn } from "../support/accounts.ts";
import { Client, STRONG_PASSWORD, uniqueEmail } from "../support/client.ts";
import { json, type ErrorBody, type RefusalBody } from "../support/json.ts";
import { latestEmailTo } from "../support/mail.ts";


describe("sign-up", () => {
  it("creates a buyer, signs them in with hardened cookies and sends a verification email", async () => {
    const client = new Client();
    const email = uniqueEmail("signup");
    const res = await client.post("/api/auth/signup", { email: email.toUpperCase(), password: STRONG_PASSWORD, name: "Ada" });
    expect(res.status).toBe(201);
    const { user } = await json<UserResponse>(res);
    expect(user).toMatchObject({ email, name: "Ada", roles: ["buyer"], emailVerified: false, seller: null });
    expect(JSON.stringify(user)).not.toMatch(/hash|password/i);

    const cookies = res.headers.getSetCookie();
    for (const name of ["__Host-session", "__Host-refresh"]) {
      const cookie = cookies.find((line) => line.startsWith(`${name}=`));
      expect(cookie, name).toMatch(/HttpOnly/);
      expect(cookie, name).toMatch(/Secure/);
      expect(cookie, name).toMatch(/SameSite=Lax/);
      expect(cookie, name).toMatch(/Path=\//);
      expect(cookie, name).not.toMatch(/Domain=/);
    }
    const me = await client.request("/api/me");
    expect(me.status).toBe(200);
    expect((await json<UserResponse>(me)).user.id).toBe(user.id);
    expect(me.headers.get("Cache-Control")).toBe("private, no-store");

    const mail = await latestEmailTo(email);
    expect(mail?.subject).toMatch(/verify/i);
    expect(mail?.token).toBeTruthy();
  });

  it("refuses a taken email (any case), a short password and a common one", async () => {
    const client = new Client();
    const { email } = await client.signUp();
    const taken = await new Client().post("/api/auth/signup", { email: email.toUpperCase(), password: STRONG_PASSWORD, name: "X" });
    expect(taken.status).toBe(409);
    expect((await json<ErrorBody>(taken)).error.code).toBe("email_taken");

    const short = await new Client().post("/api/auth/signup", { email: uniqueEmail(), password: "short1", name: "X" });
    expect(short.status).toBe(422);
    expect((await json<ErrorBody>(short)).error.code).toBe("weak_password");

    const common = await new Client().post("/api/auth/signup", { email: uniqueEmail(), password: "password123", name: "X" });
    expect(common.status).toBe(422);
    expect((await json<ErrorBody>(common)).error.code).toBe("weak_password");
  });

  it("validates the body with a schema and names the field", async () => {
    const res = await new Client().post("/api/auth/signup", { email: "not-an-email", password: STRONG_PASSWORD, name: "X" });
    expect(res.status).toBe(400);
    const body = await json<RefusalBody>(res);
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.details?.issues?.[0]?.path).toBe("email");
  });
});

describe("sign-in", () => {
  it("signs in with the right password, case-insensitively by email", async () => {
    const { email, id } = await new Client().signUp();
    const client = new Client();
    const res = await client.post("/api/auth/login", { email: email.toUpperCase(), password: STRONG_PASSWORD });
    expect(res.status).toBe(200);
    expect((await json<UserResponse>(res)).user.id).toBe(id);
    expect((await client.request("/api/me")).status).toBe(200);
  });

  it("answers a seller's sign-in with the same user view as /api/me, seller profile included", async () => {
    const seller = await signedIn("seller");
    const client = new Client();
    const res = await client.post("/api/auth/login", { email: seller.email, password: STRONG_PASSWORD });
    expect(res.status).toBe(200);
    const { user } = await json<UserResponse>(res);
    expect(user.seller).not.toBeNull();
    expect(user).toEqual((await json<UserResponse>(await client.request("/api/me"))).user);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const { email } = await new Client().signUp();
    const wrong = await new Client().post("/api/auth/login", { email, password: "not the password at all" });
    const unknown = await new Client().post("/api/auth/login", { email: uniqueEmail("nobody"), password: "not the password at all" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await json<ErrorBody>(wrong), await json<ErrorBody>(unknown)];
    expect(a.error.code).toBe("invalid_credentials");
    expect({ ...a.error, requestId: undefined }).toEqual({ ...b.error, requestId: undefined });
  });
});

describe("sign-out", () => {
  it("ends this device's session: the old refresh token no longer renews", async () => {
    const client = new Client();
    await client.signUp();
    const stolen = new Map(client.cookies);
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    // Only the device cookie stays: it names no session, and lets this browser past a lockout (sign-in-lockout.test.ts).
    expect([...client.cookies.keys()].filter((name) => name.startsWith("__Host-"))).toEqual(["__Host-device"]);
    expect((await client.request("/api/me")).status).toBe(401);

    const thief = new Client();
    thief.cookies.set("__Host-refresh", stolen.get("__Host-refresh")!);
    expect((await thief.request("/api/me")).status).toBe(401);
  });

  it("marks a caller as a recent writer only when a session ended, so an anonymous sign-out keeps the caches", async () => {
    const rwSet = (res: Response) => res.headers.getSetCookie().some((line) => line.startsWith("rw="));
    const anonymous = new Client();
    expect(rwSet(await anonymous.post("/api/auth/logout"))).toBe(false);
    expect(rwSet(await anonymous.form("/logout", {}))).toBe(false);
    const member = new Client();
    await member.signUp();
    expect(rwSet(await member.post("/api/auth/logout"))).toBe(true);
  });

  it("signs out everywhere: other devices cannot renew", async () => {
    const laptop = new Client();
    const credentials = await laptop.signUp();
    const phone = new Client();
    await phone.post("/api/auth/login", credentials);
    expect((await laptop.post("/api/auth/logout-all")).status).toBe(204);

    phone.cookies.delete("__Host-session"); // the short-lived token ran out
    expect((await phone.request("/api/me")).status).toBe(401);
    expect(phone.cookies.has("__Host-refresh")).toBe(false);
  });
});

describe("email verification", () => {
  it("verifies with the emailed token once, and refuses it again", async () => {
    const client = new Client();
    const { email } = await client.signUp();
    const { token } = (await latestEmailTo(email))!;
    expect((await client.post("/api/auth/verify-email", { token })).status).toBe(200);
    expect((await json<UserResponse>(await client.request("/api/me"))).user.emailVerified).toBe(true);
    const again = await client.post("/api/auth/verify-email", { token });
    expect(again.status).toBe(400);
    expect((await json<ErrorBody>(again)).error.code).toBe("invalid_token");
  });
});

describe("password reset", () => {
  it("answers the same for known and unknown addresses", async () => {
    const { email } = await new Client().signUp();
    const known = await new Client().post("/api/auth/password-reset", { email });
    const unknown = await new Client().post("/api/auth/password-reset", { email: uniqueEmail("ghost") });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
    expect((await latestEmailTo(email))?.subject).toMatch(/reset/i);
  });

  it("sets a new password with the emailed token, signs out every device, and works once", async () => {
    const device = new Client();
    const { email } = await device.signUp();
    await new Client().post("/api/auth/password-reset", { email });
    const { token } = (await latestEmailTo(email))!;

    const weak = await new Client().post("/api/auth/password-reset/confirm", { token, password: "short" });
    expect(weak.status).toBe(422);
    const done = await new Client().post("/api/auth/password-reset/confirm", { token, password: "a brand new passphrase 7" });
    expect(done.status).toBe(200);
    const reused = await new Client().post("/api/auth/password-reset/confirm", { token, password: "another new passphrase 8" });
    expect((await json<ErrorBody>(reused)).error.code).toBe("invalid_token");

    device.cookies.delete("__Host-session");
    expect((await device.request("/api/me")).status).toBe(401);
    expect((await new Client().post("/api/auth/login", { email, password: STRONG_PASSWORD })).status).toBe(401);
    expect((await new Client().post("/api/auth/login", { email, password: "a brand new passphrase 7" })).status).toBe(200);
  });
});

describe("account settings", () => {
  it("renames the account and changes the password, keeping this device signed in", async () => {
    const client = new Client();
    const { email } = await client.signUp();
    const renamed = await client.request("/api/me", { method: "PATCH", json: { name: "Grace Hopper" } });
    expect((await json<UserResponse>(renamed)).user.name).toBe("Grace Hopper");

    const other = new Client();
    await other.post("/api/auth/login", { email, password: STRONG_PASSWORD });
    const wrong = await client.post("/api/me/password", { currentPassword: "nope nope nope", newPassword: "fresh passphrase 99" });
    expect((await json<ErrorBody>(wrong)).error.code).toBe("wrong_password");
    expect((await client.post("/api/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "fresh passphrase 99" })).status).toBe(204);

    client.cookies.delete("__Host-session");
    expect((await client.request("/api/me")).status).toBe(200); // renewed from its new refresh token
    other.cookies.delete("__Host-session");
    expect((await other.request("/api/me")).status).toBe(401);
  });
});
