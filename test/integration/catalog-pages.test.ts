import { Redis } from "@upstash/redis/cloudflare";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cacheKeys } from "../../workers/domain/cache-keys.ts";
import type { ListingJson } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { cacheLevel, createCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { createImage, uniqueSuffix } from "../support/db.ts";

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });

/** Fresh categories in a fresh tree: the cached tree lives a minute, and anonymous pages read through it. */
async function freshCategories() {
  const categories = await createCategories();
  await redis.del(cacheKeys.categories());
  return categories;
}

const page = (client: Client, path: string) => client.request(path, { headers: { Accept: "text/html" } });

/** The listing slugs of the cards on a page, in order. */
const cardSlugs = (html: string) => [...html.matchAll(/class="card__link" href="\/listings\/([^"]+)"/g)].map((match) => match[1]!);

/** A seller with a live listing in a fresh category tree. */
async function catalogWithListing(overrides: Record<string, unknown> = {}) {
  const seller = await signedIn("seller");
  const categories = await freshCategories();
  const listing = await publishedListing(seller.client, categories.leaf.id, overrides);
  return { seller, ...categories, listing };
}

/** The listing form's fields for a complete listing with two packages, as a phone would post them. */
function listingForm(categoryId: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: `I will letter a shop sign for you ${uniqueSuffix()}`,
    categoryId: String(categoryId),
    description: "Hand-lettered signs for **small shops**: sketches first, then a print-ready vector file you own.",
    tags: "lettering, Signs",
    "packages.basic.offered": "on",
    "packages.basic.title": "Sketch",
    "packages.basic.price": "25",
    "packages.basic.deliveryDays": "3",
    "packages.basic.revisions": "1",
    "packages.basic.features": "1 concept\r\nVector file",
    "packages.standard.offered": "on",
    "packages.standard.title": "Full sign",
    "packages.standard.price": "60.50",
    "packages.standard.deliveryDays": "5",
    "packages.standard.revisions": "",
    "packages.standard.features": "3 concepts",
    "packages.premium.title": "Ignored while not offered",
    "packages.premium.price": "not a price",
    "extras.0.title": "Express delivery",
    "extras.0.price": "15",
    "extras.0.addedDays": "",
    "extras.1.title": "",
    "faq.2.question": "Do I get the source file?",
    "faq.2.answer": "Yes, always.",
    ...overrides,
  };
}

const fieldError = (html: string, name: string) => new RegExp(`id="field-${name.replaceAll(".", "\\.")}-error">[\\s\\S]*?</p>`).exec(html)?.[0] ?? "";

describe("public catalog pages", () => {
  it("render for anonymous visitors, are served again from the edge, and stay private for members", async () => {
    const { listing, root, leaf } = await catalogWithListing();
    const { client: buyer } = await signedIn("buyer");
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
      expect(cacheLevel(member), path).not.toMatch(/^edge/);
    }
  });

  it("never shares a member's header: the cached anonymous page says Sign in, a member's copy says Sign out", async () => {
    const { listing } = await catalogWithListing();
    const path = `/listings/${listing.slug}`;
    const { client: buyer } = await signedIn("buyer");

    // A member's visit first: it must not fill the edge cache.
    const member = await page(buyer, path);
    expect(member.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await member.text()).toContain("Sign out");
    const first = await page(new Client(), path);
    expect(cacheLevel(first)).not.toMatch(/^edge/);
    expect(await first.text()).not.toContain("Sign out");

    const cached = await page(new Client(), path);
    expect(cacheLevel(cached)).toBe("edge");
    const html = await cached.text();
    expect(html).toContain('href="/login"');
    expect(html).toContain("Sign in");
    expect(html).not.toContain("Sign out");

    const again = await page(buyer, path);
    expect(again.headers.get("Cache-Control")).toBe("private, no-store");
    expect(cacheLevel(again)).not.toMatch(/^edge/);
    expect(await again.text()).toContain("Sign out");
  });

  it("shows the listing: seller card, package tabs with prices, extras, questions, pictures and the two buttons", async () => {
    const { seller, listing } = await catalogWithListing({
      packages: [
        { tier: "basic", title: "Starter", price: 2500, deliveryDays: 3, revisions: 1, features: ["1 concept"] },
        { tier: "standard", title: "Business", price: 6050, deliveryDays: 5, revisions: null, features: ["3 concepts", "Source files"] },
      ],
    });
    const image = await createImage(seller.id, { listingId: listing.id, status: "ready", variantWidths: [400, 800] });
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
    expect(html).toContain(`src="/images/${image.id}/800.webp"`);
    expect(html).toContain(`/images/${image.id}/400.webp 400w`);
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
      const listings = await Promise.all(Array.from({ length: 5 }, () => publishedListing(seller.client, leaf.id)));
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
      expect(res.headers.get("Cache-Control"), path).toBe("no-store");
      expect(await res.text(), path).toContain("Page not found");
    }
  });
});

describe("contact and order pages", () => {
  it("send visitors to sign in first, then show what was chosen and that it opens soon", async () => {
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
    expect(messageHtml).toContain("Messaging opens soon");
    expect(messageHtml).toContain("Test Seller");

    const ordering = await (await page(client, `/listings/${listing.slug}/order?tier=standard`)).text();
    expect(ordering).toContain("Ordering opens soon");
    expect(ordering).toContain("Standard: Business");
    expect(ordering).toContain("$60");
    expect((await page(client, `/listings/${listing.slug}/order?tier=premium`)).status).toBe(404);
  });
});

describe("seller dashboard", () => {
  it("sends visitors to sign in, points members without a seller profile to onboarding, and links sellers to it", async () => {
    for (const path of ["/seller/listings", "/seller/listings/new"]) {
      const res = await page(new Client(), path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location"), path).toBe(`/login?next=${path}`);
    }
    const { client: buyer } = await signedIn("buyer");
    const refused = await page(buyer, "/seller/listings/new");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('href="/seller/onboard"');
    expect(await (await page(buyer, "/")).text()).not.toContain('href="/seller/listings"');

    const { client: seller } = await signedIn("seller");
    expect(await (await page(seller, "/")).text()).toContain('href="/seller/listings">Dashboard');
  });

  it("creates, publishes, pauses, edits and deletes a listing through the forms", async () => {
    const { client: seller } = await signedIn("seller");
    const { root, leaf } = await freshCategories();

    const blank = await (await page(seller, "/seller/listings/new")).text();
    expect(blank).toMatch(new RegExp(`<optgroup label="${root.name}"><option value="${leaf.id}">${leaf.name}</option>`));

    // A price with three decimals comes back next to its field, with what was typed kept.
    const bad = await seller.form("/seller/listings", listingForm(leaf.id, { "packages.standard.price": "12.345" }));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, "packages.standard.price")).toContain("at most 2 decimals");
    expect(fieldError(badHtml, "packages.premium.price")).toBe("");
    expect(badHtml).toContain('value="12.345"');
    expect(badHtml).toContain('href="#field-packages.standard.price"');

    // Schema issues land by tier, not by position: the second offered package here is the premium one.
    const byTier = await seller.form("/seller/listings", listingForm(leaf.id, { "packages.standard.offered": "", "packages.premium.offered": "on", "packages.premium.price": "90", "packages.premium.deliveryDays": "0" }));
    expect(byTier.status).toBe(400);
    expect(fieldError(await byTier.text(), "packages.premium.deliveryDays")).toContain("at least a day");

    // A draft may be incomplete; publishing it lists what is missing.
    const created = await seller.form("/seller/listings", listingForm(leaf.id, { description: "Too short.", tags: "" }));
    expect(created.status).toBe(303);
    const editPath = /^\/seller\/listings\/([\w-]+)\/edit/.exec(created.headers.get("Location") ?? "")?.[0];
    expect(created.headers.get("Location")).toBe(`${editPath}?done=listing-created`);
    const id = editPath!.split("/")[3]!;
    const draft = await (await page(seller, created.headers.get("Location")!)).text();
    expect(draft).toContain("Your draft is saved.");
    expect(draft).toContain(">Draft</span>");

    const refused = await seller.form(`/seller/listings/${id}/publish`, {});
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain("This listing cannot be live yet");
    expect(fieldError(refusedHtml, "description")).toContain("at least 50 characters");
    expect(fieldError(refusedHtml, "tags")).toContain("Add at least one tag");

    const saved = await seller.form(`/seller/listings/${id}`, listingForm(leaf.id));
    expect(saved.headers.get("Location")).toBe(`${editPath}?done=listing-saved`);
    const { listing } = await (await seller.request(`/api/seller/listings/${id}`)).json<{ listing: ListingJson }>();
    expect(listing.packages.map((p) => [p.tier, p.price.amount, p.revisions, p.features])).toEqual([
      ["basic", 2500, 1, ["1 concept", "Vector file"]],
      ["standard", 6050, null, ["3 concepts"]],
    ]);
    expect(listing.extras.map((e) => [e.title, e.price.amount, e.addedDays])).toEqual([["Express delivery", 1500, 0]]);
    expect(listing.faq).toEqual([{ question: "Do I get the source file?", answer: "Yes, always." }]);
    expect(listing.tags).toEqual(["lettering", "signs"]);

    const published = await seller.form(`/seller/listings/${id}/publish`, {});
    expect(published.headers.get("Location")).toBe(`${editPath}?done=listing-published`);
    const live = await (await page(seller, published.headers.get("Location")!)).text();
    expect(live).toContain(">Live</span>");
    expect(live).toContain(`action="/seller/listings/${id}/pause"`);
    expect((await page(new Client(), `/listings/${listing.slug}`)).status).toBe(200);

    const paused = await seller.form(`/seller/listings/${id}/pause`, {});
    expect(paused.headers.get("Location")).toBe(`${editPath}?done=listing-paused`);
    expect((await page(new Client(), `/listings/${listing.slug}`)).status).toBe(404);

    const edited = await seller.form(`/seller/listings/${id}`, listingForm(leaf.id, { title: "I will letter a bigger shop sign" }));
    expect(edited.status).toBe(303);
    const dashboard = await (await page(seller, "/seller/listings")).text();
    expect(dashboard).toMatch(/I will letter a bigger shop sign<\/a><span class="badge badge--warn">Paused/);

    const confirm = await page(seller, `/seller/listings/${id}/delete`);
    expect(await confirm.text()).toContain(`action="/seller/listings/${id}/delete"`);
    const deleted = await seller.form(`/seller/listings/${id}/delete`, {});
    expect(deleted.headers.get("Location")).toBe("/seller/listings?done=listing-deleted");
    const after = await (await page(seller, deleted.headers.get("Location")!)).text();
    expect(after).toContain("The listing is deleted.");
    expect(after).not.toContain(`/seller/listings/${id}/edit`);
    expect((await page(seller, editPath!)).status).toBe(404);
  });

  it("answers 404 to a seller who opens someone else's listing", async () => {
    const { client: owner } = await signedIn("seller");
    const { leaf } = await createCategories();
    const created = await owner.form("/seller/listings", listingForm(leaf.id));
    const editPath = created.headers.get("Location")!.split("?")[0]!;
    const { client: other } = await signedIn("seller");
    expect((await page(other, editPath)).status).toBe(404);
    expect((await other.form(editPath.replace(/\/edit$/, ""), listingForm(leaf.id))).status).toBe(404);
    expect((await other.form(editPath.replace(/\/edit$/, "/delete"), {})).status).toBe(404);
    expect((await page(owner, editPath)).status).toBe(200);
  });

  it("pages the seller's own listings, most recently changed first", async () => {
    const { client: seller } = await signedIn("seller");
    const { leaf } = await createCategories();
    for (let i = 0; i < 21; i++) expect((await seller.form("/seller/listings", listingForm(leaf.id, { title: `Numbered listing ${i} ${uniqueSuffix()}` }))).status).toBe(303);
    const first = await (await page(seller, "/seller/listings")).text();
    const titles = (html: string) => [...html.matchAll(/class="own-listing__title"[^>]*>([^<]+)</g)].map((match) => match[1]!);
    expect(titles(first)).toHaveLength(20);
    expect(titles(first)[0]).toMatch(/^Numbered listing 20 /);
    const next = /href="(\/seller\/listings\?cursor=[^"]+)"/.exec(first)?.[1];
    const second = titles(await (await page(seller, next!)).text());
    expect(second).toHaveLength(1);
    expect(second[0]).toMatch(/^Numbered listing 0 /);
  });
});
