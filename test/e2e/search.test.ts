import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { Tx } from "../../workers/data/db.ts";
import { rebuildVocabulary } from "../../workers/data/search-vocabulary.ts";
import { expectFits, phone, useSiteAndBrowser } from "./site.ts";

/** What the cron job does every minute, done now: the seeded words become the typo vocabulary. */
async function buildVocabulary(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await drizzle({ client, casing: "snake_case" }).transaction((tx) => rebuildVocabulary(tx as unknown as Tx));
  } finally {
    await client.end();
  }
}

const e2e = useSiteAndBrowser({ listings: 200, prepare: (site) => buildVocabulary(site.databaseUrl) });

describe("search on a phone", () => {
  it("suggests while typing, recovers a typo, and narrows with a filter from the bottom sheet", async () => {
    const page = await e2e.browser.newPage(phone);
    await page.goto(e2e.site.url);
    // A search input with a suggestion list is a combobox to assistive technology.
    const box = page.getByRole("combobox", { name: "Search services" });
    await box.pressSequentially("logo des");
    await expect.poll(() => page.locator("#site-search-suggestions option").count(), { timeout: 5000 }).toBeGreaterThan(0);

    await box.fill("logo desgin");
    await box.press("Enter");
    await page.waitForURL(/\/search\?q=logo\+desgin/);
    expect(await page.getByRole("status").innerText()).toContain("Showing results for logo design");
    const before = await page.locator(".card").count();
    expect(before).toBeGreaterThan(0);
    await expectFits(page);

    await page.getByText("Filters and sort").click();
    await page.getByLabel(/Within 3 days/).check();
    await page.getByRole("button", { name: "Show results" }).click();
    await page.waitForURL(/maxDeliveryDays=3/);
    const status = await page.getByRole("status").innerText();
    const shown = Number(/^([\d,]+)/.exec(status)?.[1]?.replaceAll(",", ""));
    expect(shown).toBeGreaterThan(0);
    expect(await page.locator(".card").count()).toBe(Math.min(shown, 24));
    await expectFits(page);
    await page.screenshot({ path: "test-results/search-phone.png", fullPage: true });
    await page.close();
  });
});
