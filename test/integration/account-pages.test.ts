import { describe, expect, it } from "vitest";
import { signedIn } from "../support/accounts.ts";
import { Client, STRONG_PASSWORD, uniqueEmail } from "../support/client.ts";
import { latestEmailTo } from "../support/mail.ts";
import { formSignUp, html, me, page } from "../support/pages.ts";

describe("account pages render their forms", () => {
  it("answers each page with its form, no-store", async () => {
    const anonymous = new Client();
    const pages: [string, string][] = [
      ["/signup", 'action="/signup"'],
      ["/login", 'action="/login"'],
      ["/forgot-password", 'action="/forgot-password"'],
      ["/verify-email?token=abcdefghijklmnopqrstuvwxyz", 'action="/verify-email"'],
      ["/reset-password?token=abcdefghijklmnopqrstuvwxyz", 'action="/reset-password"'],
    ];
    const { client } = await signedIn("buyer");
    for (const [path, form] of pages) {
      const res = await page(anonymous, path);
      expect(res.status, path).toBe(200);
      expect(await html(res), path).toContain(form);
      expect(res.headers.get("Cache-Control"), path).toBe("no-store");
    }
    for (const [path, form] of [["/account", 'action="/account/password"'], ["/seller/onboard", "Confirm your email first"]]) {
      const res = await page(client, path!);
      expect(res.status, path).toBe(200);
      expect(await html(res), path).toContain(form);
      expect(res.headers.get("Cache-Control"), path).toContain("no-store");
    }
  });

  it("labels every input and gives them the right types and autocomplete", async () => {
    const body = await html(await page(new Client(), "/signup"));
    for (const id of ["field-name", "field-email", "field-password"]) expect(body).toContain(`<label for="${id}">`);
    expect(body).toMatch(/<input[^>]*type="email"[^>]*autocomplete="email"[^>]*inputmode="email"/);
    expect(body).toMatch(/<input[^>]*type="password"[^>]*autocomplete="new-password"/);
    expect(body).toMatch(/<form class="form" method="post" action="\/signup">/);
  });

  it("shows Sign in and Join to visitors, Account and Sign out to members", async () => {
    const anonymous = await html(await page(new Client(), "/forgot-password"));
    expect(anonymous).toContain('href="/login"');
    expect(anonymous).toContain('href="/signup"');
    const { client } = await signedIn("buyer");
    const member = await html(await page(client, "/account"));
    expect(member).toContain('href="/account"');
    expect(member).toContain('action="/logout"');
    expect(member).not.toContain('href="/signup"');
  });
});

describe("sign-up form", () => {
  it("creates the account, sets the session cookies and redirects to the account page", async () => {
    const { client, res, email } = await formSignUp();
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account?done=welcome");
    const cookies = res.headers.getSetCookie().join("\n");
    expect(cookies).toMatch(/__Host-session=.+HttpOnly/);
    expect(cookies).toMatch(/__Host-refresh=.+HttpOnly/);
    const account = await html(await page(client, res.headers.get("Location")!));
    expect(account).toContain(email);
    expect(account).toContain("We sent you an email to confirm your address.");
    expect((await latestEmailTo(email))?.token).toBeTruthy();
  });

  it("re-renders bad input with 400 and the field's message, keeping the email but never the password", async () => {
    const secret = "a secret that must not come back";
    const res = await new Client().form("/signup", { name: "", email: "Someone@Example", password: secret });
    expect(res.status).toBe(400);
    const body = await html(res);
    expect(body).toContain('role="alert"');
    expect(body).toContain("Enter your name.");
    expect(body).toContain("Enter a valid email address.");
    expect(body).toMatch(/aria-describedby="field-email-error"/);
    expect(body).toContain('value="Someone@Example"');
    expect(body).not.toContain(secret);
  });

  it("answers a weak password with 422 and a taken email with 409, next to the field", async () => {
    const weak = await new Client().form("/signup", { name: "Weak", email: uniqueEmail(), password: "password123" });
    expect(weak.status).toBe(422);
    expect(await html(weak)).toMatch(/id="field-password-error"/);

    const { email } = await new Client().signUp();
    const taken = await new Client().form("/signup", { name: "Twin", email, password: STRONG_PASSWORD });
    expect(taken.status).toBe(409);
    expect(await html(taken)).toMatch(/id="field-email-error">[\s\S]*already exists/);
  });

  it("refuses a form posted from another site, and one over the size cap", async () => {
    const evil = await new Client().form("/signup", { name: "X", email: uniqueEmail(), password: STRONG_PASSWORD }, { headers: { Origin: "https://evil.example" } });
    expect(evil.status).toBe(403);
    expect(evil.headers.getSetCookie()).toEqual([]);
    const huge = await new Client().form("/signup", { name: "x".repeat(70 * 1024), email: uniqueEmail(), password: STRONG_PASSWORD });
    expect(huge.status).toBe(413);
  });
});

describe("sign-in form", () => {
  it("answers wrong credentials with 401 and the generic message", async () => {
    const { email } = await new Client().signUp();
    const res = await new Client().form("/login", { email, password: "not the password at all" });
    expect(res.status).toBe(401);
    const body = await html(res);
    expect(body).toContain("That email and password do not match an account.");
    expect(body).toContain(`value="${email}"`);
    expect(body).not.toContain("not the password at all");
  });

  it("signs in and honours a same-site next, ignoring absolute and protocol-relative ones", async () => {
    const { email } = await new Client().signUp();
    const cases: [string, string][] = [
      ["/seller/onboard", "/seller/onboard"],
      ["https://evil.example/", "/"],
      ["//evil.example/x", "/"],
      ["/\\evil.example", "/"],
      ["/\t/evil.example", "/"],
    ];
    for (const [next, expected] of cases) {
      const client = new Client();
      const res = await client.form("/login", { email, password: STRONG_PASSWORD, next });
      expect(res.status, next).toBe(303);
      expect(res.headers.get("Location"), next).toBe(expected);
      expect((await client.request("/api/me")).status).toBe(200);
    }
    const form = await html(await page(new Client(), "/login?next=//evil.example"));
    expect(form).toContain('name="next" value="/"');
  });

  it("limits attempts per account like the API: 429 with Retry-After on the form", async () => {
    const email = uniqueEmail("brute");
    let res: Response | undefined;
    for (let attempt = 0; attempt < 11; attempt++) res = await new Client().form("/login", { email, password: `guess number ${attempt}` });
    expect(res?.status).toBe(429);
    expect(Number(res?.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await res?.text()).toContain("Too many attempts");
  });

  it("signs out with a form post and lands home", async () => {
    const { client } = await formSignUp();
    const res = await client.form("/logout", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/?done=signed-out");
    expect((await client.request("/api/me")).status).toBe(401);
    expect(await html(await page(client, "/login?done=signed-out"))).toContain("You are signed out.");
  });
});

describe("email verification page", () => {
  it("does not verify on GET (link scanners), verifies on POST, and refuses the used link", async () => {
    const { client, email } = await formSignUp();
    const { token } = (await latestEmailTo(email))!;
    const shown = await page(new Client(), `/verify-email?token=${token}`);
    expect(await html(shown)).toContain("Confirm my email");
    expect((await me(client)).emailVerified).toBe(false);

    const confirmed = await client.form("/verify-email", { token: token! });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("Location")).toBe("/account?done=email-verified");
    expect((await me(client)).emailVerified).toBe(true);

    const again = await new Client().form("/verify-email", { token: token! });
    expect(again.status).toBe(400);
    expect(await html(again)).toContain("This link is invalid, used or expired.");
  });
});

describe("password reset pages", () => {
  it("answers the same for unknown and known addresses", async () => {
    const { email } = await new Client().signUp();
    const known = await new Client().form("/forgot-password", { email });
    const unknown = await new Client().form("/forgot-password", { email: uniqueEmail("nobody") });
    for (const res of [known, unknown]) {
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/forgot-password?done=reset-sent");
    }
    expect(await html(await page(new Client(), "/forgot-password?done=reset-sent"))).toContain("Check your inbox.");
    expect((await latestEmailTo(email))?.subject).toMatch(/reset/i);
  });

  it("sets a new password from the emailed link, then signs in with it", async () => {
    const { email } = await new Client().signUp();
    await new Client().form("/forgot-password", { email });
    const { token } = (await latestEmailTo(email))!;
    expect(await html(await page(new Client(), `/reset-password?token=${token}`))).toContain(`value="${token}"`);

    const weak = await new Client().form("/reset-password", { token: token!, password: "short" });
    expect(weak.status).toBe(422);
    const newPassword = "a brand new passphrase 77";
    const res = await new Client().form("/reset-password", { token: token!, password: newPassword });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?done=password-reset");
    expect((await new Client().form("/login", { email, password: newPassword })).status).toBe(303);
  });
});
