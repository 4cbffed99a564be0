import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectFits, phone, useSiteAndBrowser } from "./site.ts";

const email = `phone-${crypto.randomUUID().slice(0, 8)}@example.com`;
const password = "a long phone passphrase 2024";

const e2e = useSiteAndBrowser();

const path = (page: Page) => new URL(page.url()).pathname;

describe("accounts on a phone", () => {
  it("signs up, confirms the email from the dev mailbox, signs out and signs back in", async () => {
    const page = await e2e.browser.newPage(phone);
    await page.goto(`${e2e.site.url}/signup`);
    await expectFits(page);

    // A weak password comes back with the message next to the field, the typed email kept.
    await page.getByLabel("Your name").fill("Phone Person");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("password123");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator(".field__error").count()).toBe(1);
    expect(await page.getByLabel("Email address").inputValue()).toBe(email);
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    await expectFits(page);
    await page.screenshot({ path: "test-results/signup-phone.png", fullPage: true });

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/account\?done=welcome$/);
    expect(await page.locator(".flash").innerText()).toContain("We sent you an email");
    expect(await page.locator(".badge").innerText()).toBe("Not confirmed");

    await page.goto(`${e2e.site.url}/dev/mailbox`);
    const mail = page.locator(".mail", { hasText: email }).first();
    await mail.locator('a[href*="/verify-email?token="]').click();
    await page.waitForURL(/\/verify-email\?token=/);
    await expectFits(page);
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page.waitForURL(/\/account\?done=email-verified$/);
    expect(await page.locator(".badge").innerText()).toBe("Confirmed");
    await expectFits(page);
    await page.screenshot({ path: "test-results/account-phone.png", fullPage: true });

    await page.locator(".site-header").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/\?done=signed-out$/);
    await page.locator(".site-header").getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(/\/login$/);
    await expectFits(page);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    expect(await page.locator(".site-header").getByRole("link", { name: "Account" }).isVisible()).toBe(true);
    await page.close();
  });

  it("works with JavaScript turned off: sign in, then start selling", async () => {
    const context = await e2e.browser.newContext({ ...phone, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${e2e.site.url}/seller/onboard`);
    expect(path(page)).toBe("/login");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/seller\/onboard$/);
    await expectFits(page);

    await page.getByLabel("Username").fill(`phone${crypto.randomUUID().slice(0, 6)}`);
    await page.getByLabel("Display name").fill("Phone Studio");
    await page.getByLabel("Skills (optional)").fill("Logo design, Icons");
    await page.getByLabel("Country").fill("PT");
    await page.evaluate(() => window.scrollTo(0, 0)); // else the sticky header lands mid-page in a full-page shot
    await page.screenshot({ path: "test-results/onboard-phone.png", fullPage: true });
    await page.getByRole("button", { name: "Create seller profile" }).click();
    await page.waitForURL(/\/account\?done=seller$/);
    expect(await page.locator(".details").innerText()).toContain("Buyer, Seller");
    await context.close();
  });
});
