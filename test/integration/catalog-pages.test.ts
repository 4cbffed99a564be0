import { describe, expect, it } from "vitest";
import { signedIn } from "../support/accounts.ts";
import { cacheLevel, freshCategories, publishedListing, usd } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { createImage } from "../support/db.ts";
import { page } from "../support/pages.ts";

/** The listing slugs of the cards on a page, in order. */
const cardSlugs = (html: string) => [...html.matchAll(/class="card__link" href="\/listings\/([^"]+)"/g)].map((match) => match[1]!);

/** A seller with a live listing in a fresh category tree. */
async function catalogWithListing(overrides: Record<string, unknown> = {}) {
  const seller = await signedIn("seller");
  const categories = await freshCategories();
  const listing = await publishedListing(seller.client, categories.leaf.slug, overrides);
  return { seller, ...categories, listing };
}

describe("public catalog pages", () => {
  it("render for anonymous visitors, are served again from the edge, to members too (their copy private)", async () => {
    const { listing, root, leaf } = await catalogWithListing();
    const { client: buyer } = await signedIn("buyer");
    buyer.cookies.delete("rw"); // past its sign-up's read-your-writes window
    // The home page is shared for a while, so it may predate this listing; every other page shows it.
    const pages: [string, string][] = [
      ["/", "Browse categories"],
      ...[`/categories/${root.slug}`, `/categories/${leaf.slug}`, `/listings/${listing.slug}`, `/listings/${listing.slug}/reviews`, `/sellers/${listing.seller.username}`].map(
        (path): [string, string] => [path, listing.title],
      ),
    ];
    for (const [path, text] of pages) {
      const anonymous = new Client();
      const first = await page(anonymous, path);
      expect(first.status, path).toBe(200);
      expect(first.headers.get("Content-Type"), path).toContain("text/html");
      expect(first.headers.get("Cache-Control"), path).toContain("public");
      const second = await page(anonymous, path);
      expect(second.headers.get("Server-Timing"), path).toContain('cache;desc="edge"');
      expect(await second.text(), path).toContain(text);

      const member = await page(buyer, path);
      expect(member.status, path).toBe(200);
      expect(member.headers.get("Cache-Control"), path).toBe("private, no-store");
      expect(member.headers.get("ETag"), path).toBeNull();
      expect(cacheLevel(member), path).toBe("edge");
      expect(await member.text(), path).toContain("Sign out");
    }
  });

  it("never shares a member's header: the shared copy is the anonymous page, personalised at the edge for members", async () => {
    const { listing } = await catalogWithListing();
    const path = `/listings/${listing.slug}`;
    const { client: buyer } = await signedIn("buyer");
    buyer.cookies.delete("rw");

    // A member's visit first: it fills the edge with the anonymous rendering, and gets its own copy.
    const member = await page(buyer, path);
    expect(member.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await member.text()).toContain("Sign out");
    const cached = await page(new Client(), path);
    expect(cacheLevel(cached)).toBe("edge");
    const html = await cached.text();
    expect(html).toContain('href="/login"');
    expect(html).toContain("Sign in");
    expect(html).not.toContain("Sign out");

    const again = await page(buyer, path);
    expect(again.headers.get("Cache-Control")).toBe("private, no-store");
    expect(cacheLevel(again)).toBe("edge");
    const personal = await again.text();
    expect(personal).toContain("Sign out");
    expect(personal).not.toContain('href="/login"');
  });

  it("shows the listing: seller card, package tabs with prices, extras, questions, pictures and the two buttons", async () => {
    const { seller, listing } = await catalogWithListing({
      packages: [
        { tier: "basic", title: "Starter", price: usd(2500), deliveryDays: 3, revisions: 1, features: ["1 concept"] },
        { tier: "standard", title: "Business", price: usd(6050), deliveryDays: 5, revisions: null, features: ["3 concepts", "Source files"] },
      ],
    });
    const image = await createImage(seller.id, { listingId: listing.id, status: "ready", variantWidths: [400, 800], variantVersion: "0123456789abcdef" });
    const html = await (await page(new Client(), `/listings/${listing.slug}`)).text();

    expect(html).toMatch(/<input[^>]*type="radio"[^>]*id="tab-basic"[^>]*checked/);
    expect(html).toContain('for="tab-standard"');
    expect(html).not.toContain('id="tab-premium"');
    for (const text of ["$25", "$60.50", "3 days delivery", "1 revision", "Unlimited revisions", "Source files", "Express delivery", "+$15"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain(`href="/listings/${listing.slug}/order?tier=standard"`);
    expect(html).toContain(`href="/listings/${listing.slug}/contact"`);
    expect(html).toContain(`href="/sellers/${listing.seller.username}"`);
    expect(html).toContain("Completed orders");
    expect(html).toContain("Member since");
    expect(html).toMatch(/<details class="faq"><summary>Do I get the source files\?<\/summary>/);
    expect(html).toContain(`src="/images/${image.id}/0123456789abcdef/800.webp"`);
    expect(html).toContain(`/images/${image.id}/0123456789abcdef/400.webp 400w`);
  });

  it("escapes what sellers write and renders their Markdown", async () => {
    const { listing } = await catalogWithListing({
      title: "<script>alert(1)</script> logo design",
      description: "I design **memorable** logos for small businesses <img src=x onerror=alert(2)> with vector files and a palette.",
    });
    const html = await (await page(new Client(), `/listings/${listing.slug}`)).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; logo design");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("<strong>memorable</strong>");
  });

  it("pages a category with a keyset link, never repeating a listing", async () => {
    const seller = await signedIn("seller");
    const { root, leaf } = await freshCategories();
    const created: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const listings = await Promise.all(Array.from({ length: 5 }, () => publishedListing(seller.client, leaf.slug)));
      created.push(...listings.map((listing) => listing.slug));
    }
    const client = new Client();
    const first = await (await page(client, `/categories/${leaf.slug}`)).text();
    expect(first).toContain(`href="/categories/${root.slug}"`); // the breadcrumb up to the parent
    const firstSlugs = cardSlugs(first);
    expect(firstSlugs).toHaveLength(24);
    const next = /href="(\/categories\/[^"?]+\?cursor=[^"]+)"[^>]*>Next page/.exec(first)?.[1];
    expect(next).toBeDefined();

    const second = await (await page(client, next!)).text();
    const secondSlugs = cardSlugs(second);
    expect(secondSlugs).toHaveLength(1);
    expect(second).not.toContain("Next page");
    expect(second).toContain("Back to the first page");
    expect(new Set([...firstSlugs, ...secondSlugs])).toEqual(new Set(created));

    const parent = await (await page(client, `/categories/${root.slug}`)).text();
    expect(parent).toMatch(new RegExp(`class="chip" href="/categories/${leaf.slug}"`));
  });

  it("answers unknown addresses with the 404 page", async () => {
    for (const path of ["/categories/no-such-category", "/listings/no-such-listing", "/listings/no-such-listing/reviews", "/sellers/nosuchseller"]) {
      const res = await page(new Client(), path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type"), path).toContain("text/html");
      expect(res.headers.get("Cache-Control"), path).toBe("private, no-store");
      expect(await res.text(), path).toContain("Page not found");
    }
  });
});

describe("contact and order pages", () => {
  it("send visitors to sign in first, then offer the conversation or show what was chosen", async () => {
    const { listing } = await catalogWithListing();
    const contact = await page(new Client(), `/listings/${listing.slug}/contact`);
    expect(contact.status).toBe(303);
    expect(contact.headers.get("Location")).toBe(`/login?next=/listings/${listing.slug}/contact`);
    const order = await page(new Client(), `/listings/${listing.slug}/order?tier=standard`);
    expect(order.headers.get("Location")).toBe(`/login?next=/listings/${listing.slug}/order%3Ftier%3Dstandard`);

    const { client } = await signedIn("buyer");
    const message = await page(client, `/listings/${listing.slug}/contact`);
    expect(message.headers.get("Cache-Control")).toBe("no-store");
    const messageHtml = await message.text();
    expect(messageHtml).toContain("Open the conversation");
    expect(messageHtml).toContain("Test Seller");

    const ordering = await (await page(client, `/listings/${listing.slug}/order?tier=standard`)).text();
    expect(ordering).toContain("Ordering opens soon");
    expect(ordering).toContain("Standard: Business");
    expect(ordering).toContain("$60");
    expect((await page(client, `/listings/${listing.slug}/order?tier=premium`)).status).toBe(404);
  });
});
