import { describe, expect, it } from "vitest";
import { PHONE, useSiteAndBrowser } from "./site.ts";

const e2e = useSiteAndBrowser();

describe("home page on a phone", () => {
  it("lists categories and listings from the database, fits the screen, and is saved as a screenshot", async () => {
    const page = await e2e.browser.newPage({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const response = await page.goto(e2e.site.url);
    expect(response?.status()).toBe(200);

    const categories = page.locator(".category");
    expect(await categories.count()).toBeGreaterThanOrEqual(8);
    await expect.poll(() => categories.first().innerText()).toMatch(/\d+ services/);
    expect(await page.locator(".card").count()).toBeGreaterThan(0);

    // Nothing wider than the phone: no sideways scrolling.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
    // The stylesheet is served by Workers Static Assets.
    const fontFamily = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(fontFamily).toContain("system-ui");

    await page.screenshot({ path: "test-results/home-phone.png", fullPage: true });
    await page.close();
  });
});
