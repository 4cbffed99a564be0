import { describe, expect, it } from "vitest";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, freshCategories, listingInput } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { uniqueSuffix } from "../support/db.ts";
import { json } from "../support/json.ts";
import { page } from "../support/pages.ts";

/** The listing form's fields for a complete listing with two packages, as a phone would post them. */
function listingForm(category: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    currency: "USD",
    title: `I will letter a shop sign for you ${uniqueSuffix()}`,
    category,
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
    expect(blank).toMatch(new RegExp(`<optgroup label="${root.name}"><option value="${leaf.slug}">${leaf.name}</option>`));
    expect(blank).toMatch(/<input type="hidden" name="currency" value="USD"\/?>/);

    // A price with three decimals comes back next to its field, with what was typed kept.
    const bad = await seller.form("/seller/listings", listingForm(leaf.slug, { "packages.standard.price": "12.345" }));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, "packages.standard.price")).toContain("at most 2 decimals");
    expect(fieldError(badHtml, "packages.premium.price")).toBe("");
    expect(badHtml).toContain('value="12.345"');
    expect(badHtml).toContain('href="#field-packages.standard.price"');

    // Schema issues land by tier, not by position: the second offered package here is the premium one.
    const byTier = await seller.form("/seller/listings", listingForm(leaf.slug, { "packages.standard.offered": "", "packages.premium.offered": "on", "packages.premium.price": "90", "packages.premium.deliveryDays": "0" }));
    expect(byTier.status).toBe(400);
    expect(fieldError(await byTier.text(), "packages.premium.deliveryDays")).toContain("at least a day");

    // A draft may be incomplete; publishing it lists what is missing.
    const created = await seller.form("/seller/listings", listingForm(leaf.slug, { description: "Too short.", tags: "" }));
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

    const saved = await seller.form(`/seller/listings/${id}`, listingForm(leaf.slug));
    expect(saved.headers.get("Location")).toBe(`${editPath}?done=listing-saved`);
    const { listing } = await json<ListingResponse>(await seller.request(`/api/seller/listings/${id}`));
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

    const edited = await seller.form(`/seller/listings/${id}`, listingForm(leaf.slug, { title: "I will letter a bigger shop sign" }));
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

  it("edits a listing in its own currency: the form shows it, keeps it, and shows the category by slug", async () => {
    const { client: seller } = await signedIn("seller");
    const { leaf, otherLeaf } = await createCategories();
    const eur = (amount: number) => ({ amount, currency: "EUR" });
    const input = listingInput(leaf.slug, { packages: [{ tier: "basic", title: "Starter", price: eur(2500), deliveryDays: 3 }], extras: [] });
    const { listing } = await json<ListingResponse>(await seller.post("/api/listings", input));

    const editPage = await (await page(seller, `/seller/listings/${listing.id}/edit`)).text();
    expect(editPage).toMatch(/<input type="hidden" name="currency" value="EUR"\/?>/);
    expect(editPage).toContain("Price (EUR)");
    expect(editPage).toContain(`<option value="${leaf.slug}" selected="">`);

    const saved = await seller.form(`/seller/listings/${listing.id}`, listingForm(otherLeaf.slug, { currency: "EUR" }));
    expect(saved.status).toBe(303);
    const after = (await json<ListingResponse>(await seller.request(`/api/seller/listings/${listing.id}`))).listing;
    expect(after.category.slug).toBe(otherLeaf.slug);
    expect(after.packages.map((p) => p.price)).toEqual([eur(2500), eur(6050)]);

    // A form posted in another currency comes back with the message next to the first price.
    const mixed = await seller.form(`/seller/listings/${listing.id}`, listingForm(otherLeaf.slug, { currency: "USD" }));
    expect(mixed.status).toBe(422);
    const mixedHtml = await mixed.text();
    expect(fieldError(mixedHtml, "packages.basic.price")).toContain("priced in EUR");
  });

  it("answers 404 to a seller who opens someone else's listing", async () => {
    const { client: owner } = await signedIn("seller");
    const { leaf } = await createCategories();
    const created = await owner.form("/seller/listings", listingForm(leaf.slug));
    const editPath = created.headers.get("Location")!.split("?")[0]!;
    const { client: other } = await signedIn("seller");
    expect((await page(other, editPath)).status).toBe(404);
    expect((await other.form(editPath.replace(/\/edit$/, ""), listingForm(leaf.slug))).status).toBe(404);
    expect((await other.form(editPath.replace(/\/edit$/, "/delete"), {})).status).toBe(404);
    expect((await page(owner, editPath)).status).toBe(200);
  });

  it("pages the seller's own listings, most recently changed first", async () => {
    const { client: seller } = await signedIn("seller");
    const { leaf } = await createCategories();
    for (let i = 0; i < 21; i++) expect((await seller.form("/seller/listings", listingForm(leaf.slug, { title: `Numbered listing ${i} ${uniqueSuffix()}` }))).status).toBe(303);
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
