import { describe, expect, it } from "vitest";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn, verifyEmail } from "../support/accounts.ts";
import { Client, STRONG_PASSWORD } from "../support/client.ts";
import { json } from "../support/json.ts";
import { latestEmailTo } from "../support/mail.ts";
import { html, me, page } from "../support/pages.ts";

describe("seller onboarding page", () => {
  const fields = () => ({
    username: `p${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`,
    displayName: "Page Seller",
    bio: "Logos and icons.",
    skills: "Logo design, Illustration ,",
    languages: "English, Spanish",
    country: "de",
  });

  it("sends visitors to sign in first", async () => {
    const res = await page(new Client(), "/seller/onboard");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?next=/seller/onboard");
  });

  it("tells an unverified buyer why, with a resend button that works", async () => {
    const { client, email } = await signedIn("buyer");
    const body = await html(await page(client, "/seller/onboard"));
    expect(body).toContain("Confirm your email first");
    expect(body).toContain('action="/account/verify-email/resend"');
    const refused = await client.form("/seller/onboard", fields());
    expect(refused.status).toBe(403);

    const resent = await client.form("/account/verify-email/resend", { back: "/seller/onboard" });
    expect(resent.status).toBe(303);
    expect(resent.headers.get("Location")).toBe("/seller/onboard?done=verification-sent");
    expect((await latestEmailTo(email))?.subject).toMatch(/verify|confirm/i);
  });

  it("makes a verified buyer a seller from comma-separated fields", async () => {
    const { client, email } = await signedIn("buyer");
    await verifyEmail(client, email);
    const bad = await client.form("/seller/onboard", { ...fields(), username: "x", country: "Germany" });
    expect(bad.status).toBe(400);
    const badBody = await html(bad);
    expect(badBody).toContain("Usernames are 3–30 characters");
    expect(badBody).toContain("Use the two-letter country code");
    expect(badBody).toContain('value="Logo design, Illustration ,"');

    const input = fields();
    const res = await client.form("/seller/onboard", input);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account?done=seller");
    const seller = await json<UserResponse>(await client.request("/api/me"));
    expect(seller.user.roles).toContain("seller");
    expect(seller.user.seller).toMatchObject({ skills: ["Logo design", "Illustration"], languages: ["English", "Spanish"], country: "DE" });
    const account = await html(await page(client, "/account?done=seller"));
    expect(account).toContain("Buyer, Seller");
    expect(account).toContain(`@${input.username}`);

    const taken = await (await signedIn("seller")).client.form("/seller/onboard", input);
    expect(taken.status).toBe(409);
  });
});

describe("account settings page", () => {
  it("sends visitors to sign in first, for the page and its forms", async () => {
    expect((await page(new Client(), "/account")).headers.get("Location")).toBe("/login?next=/account");
    const post = await new Client().form("/account/name", { name: "Nobody" });
    expect(post.status).toBe(303);
    expect(post.headers.get("Location")).toBe("/login?next=/account");
  });

  it("renames, with a fixed flash message that never reflects the query", async () => {
    const { client } = await signedIn("buyer");
    const res = await client.form("/account/name", { name: "Renamed Person" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account?done=renamed");
    expect((await me(client)).name).toBe("Renamed Person");
    expect(await html(await page(client, "/account?done=renamed"))).toContain("Your name is updated.");
    const odd = await html(await page(client, "/account?done=<b>hacked</b>"));
    expect(odd).not.toContain("hacked");
    expect(await html(await page(client, "/account?done=constructor"))).not.toContain('class="flash"');
  });

  it("changes the password, refusing a wrong current one with 422 next to its field", async () => {
    const { client, email } = await signedIn("buyer");
    const wrong = await client.form("/account/password", { currentPassword: "not my password", newPassword: "another good passphrase 9" });
    expect(wrong.status).toBe(422);
    expect(await html(wrong)).toMatch(/id="field-currentPassword-error"/);

    const newPassword = "another good passphrase 9";
    const res = await client.form("/account/password", { currentPassword: STRONG_PASSWORD, newPassword });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account?done=password-changed");
    expect((await client.request("/api/me")).status).toBe(200);
    expect((await new Client().form("/login", { email, password: newPassword })).status).toBe(303);
  });

  it("signs out everywhere: other devices lose their session too", async () => {
    const { client, email, password } = await signedIn("buyer");
    const other = new Client();
    await other.form("/login", { email, password });
    const res = await client.form("/account/logout-all", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/?done=signed-out-everywhere");
    expect((await client.request("/api/me")).status).toBe(401);
    other.cookies.delete("__Host-session"); // the access token lives on briefly; renewal must fail
    expect((await other.request("/api/me")).status).toBe(401);
  });

  it("refuses a settings form posted from another site", async () => {
    const { client } = await signedIn("buyer");
    const res = await client.form("/account/name", { name: "Pwned" }, { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await me(client)).name).not.toBe("Pwned");
  });
});
