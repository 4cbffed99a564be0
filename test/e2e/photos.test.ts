import pg from "pg";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed/people.ts";
import { expectFits, phone, useSiteAndBrowser } from "./site.ts";

const e2e = useSiteAndBrowser({ listings: 5 });

/** A noisy JPEG (so it has real bytes), width x height. */
async function photo(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 13 + ((i / width) | 0) * 5) & 0xff;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2e.site.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("the dashboard's photo picker on a phone", () => {
  it("uploads two photos with a progress bar each, downsizes the large one, shows them ready without a reload, and a refusal on its own row", async () => {
    const seller = DEMO_ACCOUNTS[1];
    const [listing] = await query<{ id: string }>(
      "select l.id from listings l join users u on u.id = l.seller_id where u.email = $1 order by l.created_at limit 1",
      [seller.email],
    );
    await query("delete from images where listing_id = $1", [listing!.id]);

    const context = await e2e.browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${e2e.site.url}/login`);
    await page.getByLabel("Email address").fill(seller.email);
    await page.getByLabel("Password").fill(seller.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");

    await page.goto(`${e2e.site.url}/seller/listings/${listing!.id}/edit`);
    await page.setInputFiles("#photo-file", [
      { name: "big.jpg", mimeType: "image/jpeg", buffer: await photo(4000, 3000) },
      { name: "small.jpg", mimeType: "image/jpeg", buffer: await photo(900, 600) },
      { name: "notes.jpg", mimeType: "image/jpeg", buffer: Buffer.from("a note saved as a photo, not a picture\n".repeat(8)) },
    ]);
    const url = page.url();
    await page.getByRole("button", { name: "Upload photo" }).click();

    const items = page.locator(".picker__item");
    await expect.poll(() => items.count()).toBe(3);
    for (const name of ["big.jpg", "small.jpg"]) {
      const item = items.filter({ hasText: name });
      await item.locator(".picker__status", { hasText: "Ready" }).waitFor({ timeout: 60_000 });
      expect(await item.locator("progress").evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(1);
    }
    // A refusal shows on that file's row only, in the API's words.
    await items.filter({ hasText: "notes.jpg" }).locator(".picker__status", { hasText: /^Failed: This file is .*JPEG, PNG, WEBP/ }).waitFor();
    expect(page.url()).toBe(url); // no reload, no navigation
    await expectFits(page);

    // The large photo left the phone at a 2560 px long edge; the small one as it was.
    const rows = await query<{ width: number; height: number; status: string }>(
      "select width, height, status from images where listing_id = $1 order by width desc",
      [listing!.id],
    );
    expect(rows).toEqual([
      { width: 2560, height: 1920, status: "ready" },
      { width: 900, height: 600, status: "ready" },
    ]);
    await context.close();
  });
});
