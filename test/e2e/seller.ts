import type { Page } from "playwright-core";

export interface NewSeller {
  name: string;
  email: string;
  password: string;
  username: string;
  country: string;
}

/** What a new seller does first, through the pages: sign up, confirm the email from the dev mailbox, set up the seller profile. */
export async function becomeSeller(page: Page, siteUrl: string, seller: NewSeller) {
  await page.goto(`${siteUrl}/signup`);
  await page.getByLabel("Your name").fill(seller.name);
  await page.getByLabel("Email address").fill(seller.email);
  await page.getByLabel("Password").fill(seller.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/account\?done=welcome$/);

  await page.goto(`${siteUrl}/dev/mailbox`);
  await page.locator(".mail", { hasText: seller.email }).first().locator('a[href*="/verify-email?token="]').click();
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.waitForURL(/\/account\?done=email-verified$/);

  await page.goto(`${siteUrl}/seller/onboard`);
  await page.getByLabel("Username").fill(seller.username);
  await page.getByLabel("Display name").fill(seller.name);
  await page.getByLabel("Country").fill(seller.country);
  await page.getByRole("button", { name: "Create seller profile" }).click();
  await page.waitForURL(/\/account\?done=seller$/);
}
