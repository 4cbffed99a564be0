import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { orders } from "../../workers/data/schema/index.ts";
import type { SellerPage } from "../../workers/domain/catalog-reads.ts";
import type { CategoriesResponse, ListingResponse, ListingsPage, OwnListingsPage, ReviewsPage } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, listingInput, publishedListing, usd } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type RefusalBody } from "../support/json.ts";

type Categories = Awaited<ReturnType<typeof createCategories>>;
let cats: Categories;
beforeAll(async () => {
  cats = await createCategories();
});

const listingOf = async (res: Response) => (await json<ListingResponse>(res)).listing;

describe("a seller's listing from draft to live", () => {
  it("creates a private draft with a slug, a starting price and its packages", async () => {
    const { client } = await signedIn("seller");
    const input = listingInput(cats.leaf.slug);
    const res = await client.post("/api/listings", input);
    expect(res.status).toBe(201);
    const listing = await listingOf(res);
    expect(listing.status).toBe("draft");
    expect(listing.slug).toMatch(/^i-will-design-a-clean-logo-for-your-brand-[a-z0-9-]+$/);
    expect(listing.startingPrice).toEqual({ amount: 2500, currency: "USD" });
    expect(listing.packages.map((p) => [p.tier, p.price.amount])).toEqual([["basic", 2500], ["standard", 6000]]);
    expect(listing.category).toMatchObject({ slug: cats.leaf.slug, parent: { slug: cats.root.slug } });

    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(404);
    expect((await client.request(`/api/seller/listings/${listing.id}`)).status).toBe(200);
  });

  it("publishes only a complete listing, saying what is missing", async () => {
    const { client } = await signedIn("seller");
    const bare = await listingOf(await client.post("/api/listings", listingInput(cats.leaf.slug, { packages: [], tags: [], description: "short" })));
    const refused = await client.post(`/api/listings/${bare.id}/publish`);
    expect(refused.status).toBe(422);
    const body = await json<RefusalBody>(refused);
    expect(body.error.code).toBe("rule_violation");
    expect(body.error.details?.problems?.map((p) => p.path).sort()).toEqual(["description", "packages", "tags"]);

    const inRoot = await listingOf(await client.post("/api/listings", listingInput(cats.root.slug)));
    const rootRefused = await client.post(`/api/listings/${inRoot.id}/publish`);
    expect((await json<RefusalBody>(rootRefused)).error.details?.problems?.map((p) => p.path)).toEqual(["category"]);

    const priced = await listingOf(
      await client.post("/api/listings", listingInput(cats.leaf.slug, { packages: [{ tier: "basic", title: "Basic", price: usd(9000), deliveryDays: 2 }, { tier: "premium", title: "Premium", price: usd(5000), deliveryDays: 2 }] })),
    );
    expect((await client.post(`/api/listings/${priced.id}/publish`)).status).toBe(422);
  });

  it("goes live with sanitised formatting, and the public read shows seller and packages", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, cats.leaf.slug, {
      description: "**Bold** claim. <script>alert(1)</script> [a link](https://elsewhere.example) and ![img](https://x.example/p.png)\n\n- fast\n- friendly",
    });
    expect(listing.status).toBe("active");
    const res = await new Client().request(`/api/listings/${listing.slug}`);
    expect(res.status).toBe(200);
    const pub = await listingOf(res);
    expect(pub.descriptionHtml).toContain("<strong>Bold</strong>");
    expect(pub.descriptionHtml).toContain("<li>fast</li>");
    expect(pub.descriptionHtml).not.toMatch(/<script|<a |<img/);
    expect(pub.descriptionHtml).toContain("&lt;script&gt;");
    expect(pub.seller.username).toBeTruthy();
    expect(pub.seller.displayName).toBe("Test Seller");
    expect(pub.publishedAt).not.toBeNull();
  });

  it("keeps denormalised prices right on edit, and never changes an order already placed", async () => {
    const { client, id: sellerId } = await signedIn("seller");
    const buyer = await signedIn("buyer");
    const listing = await publishedListing(client, cats.leaf.slug);
    const snapshot = {
      listingTitle: listing.title,
      listingSlug: listing.slug,
      packageTitle: "Starter",
      packageDescription: "",
      features: ["1 concept"],
      deliveryDays: 3,
      revisions: 1,
      extras: [],
    };
    const [order] = await testDb()
      .primary.insert(orders)
      .values({ listingId: listing.id, buyerId: buyer.id, sellerId, packageTier: "basic", status: "in_progress", snapshot, currency: "USD", subtotal: 2500, buyerFee: 200, total: 2700, sellerFee: 500 })
      .returning();

    const edited = await client.request(`/api/listings/${listing.id}`, {
      method: "PATCH",
      json: { title: "I will design an even better logo for you", packages: [{ tier: "basic", title: "Starter plus", price: usd(1900), deliveryDays: 2 }] },
    });
    expect(edited.status).toBe(200);
    const after = await listingOf(edited);
    expect(after.startingPrice?.amount).toBe(1900);
    expect(after.version).toBeGreaterThan(listing.version);
    const [stored] = await testDb().primary.select().from(orders).where(eq(orders.id, order!.id));
    expect(stored?.snapshot).toEqual(snapshot);
    expect(stored?.subtotal).toBe(2500);
  });

  it("refuses an edit that would leave a live listing unpublishable", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, cats.leaf.slug);
    const res = await client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { packages: [] } });
    expect(res.status).toBe(422);
    expect((await listingOf(await client.request(`/api/seller/listings/${listing.id}`))).packages).toHaveLength(2);
  });

  it("pauses, republishes without jumping the queue, and deletes", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, cats.leaf.slug);
    expect((await listingOf(await client.post(`/api/listings/${listing.id}/pause`))).status).toBe("paused");
    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(404);
    const again = await listingOf(await client.post(`/api/listings/${listing.id}/publish`));
    expect(again.publishedAt).toBe(listing.publishedAt);

    expect((await client.request(`/api/listings/${listing.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(404);
    expect((await client.request(`/api/seller/listings/${listing.id}`)).status).toBe(404);
    const own = await json<OwnListingsPage>(await client.request("/api/seller/listings"));
    expect(own.items.map((item) => item.id)).not.toContain(listing.id);
  });

  it("lets an admin suspend a listing, which its owner then cannot publish", async () => {
    const { client } = await signedIn("seller");
    const { client: admin } = await signedIn("admin");
    const listing = await publishedListing(client, cats.leaf.slug);
    expect((await admin.post(`/api/admin/listings/${listing.id}/suspend`)).status).toBe(200);
    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(404);
    const publish = await client.post(`/api/listings/${listing.id}/publish`);
    expect(publish.status).toBe(409);
    expect((await admin.post(`/api/admin/listings/${listing.id}/unsuspend`)).status).toBe(200);
    expect((await client.post(`/api/listings/${listing.id}/publish`)).status).toBe(200);
  });

  it("validates every field with a schema and names it", async () => {
    const { client } = await signedIn("seller");
    const res = await client.post("/api/listings", listingInput(cats.leaf.slug, { packages: [{ tier: "basic", title: "Cheap", price: usd(12.5), deliveryDays: 3 }] }));
    expect(res.status).toBe(400);
    expect((await json<RefusalBody>(res)).error.details?.issues?.[0]?.path).toBe("packages.0.price.amount");
    const bare = await client.post("/api/listings", listingInput(cats.leaf.slug, { extras: [{ title: "Express delivery", price: 1500 }] }));
    expect((await json<RefusalBody>(bare)).error.details?.issues?.[0]?.path).toBe("extras.0.price");
  });

  it("names the category by its slug, as the catalog does, and refuses an unknown one with 422 unknown_category", async () => {
    const { client } = await signedIn("seller");
    const created = await listingOf(await client.post("/api/listings", listingInput(cats.leaf.slug)));
    expect(created.category.slug).toBe(cats.leaf.slug);
    const moved = await client.request(`/api/listings/${created.id}`, { method: "PATCH", json: { category: cats.otherLeaf.slug } });
    expect((await listingOf(moved)).category.slug).toBe(cats.otherLeaf.slug);
    for (const refused of [
      await client.post("/api/listings", listingInput("no-such-category")),
      await client.request(`/api/listings/${created.id}`, { method: "PATCH", json: { category: "no-such-category" } }),
    ]) {
      expect(refused.status).toBe(422);
      const body = await json<RefusalBody>(refused);
      expect(body.error.code).toBe("unknown_category");
      expect(body.error.details?.issues?.[0]?.path).toBe("category");
    }
    const byId = await client.post("/api/listings", { ...listingInput(cats.leaf.slug), category: undefined, categoryId: cats.leaf.id });
    expect(byId.status).toBe(400);
  });

  it("takes prices as money objects in one currency per listing, and answers in the same shape", async () => {
    const { client } = await signedIn("seller");
    const eur = (amount: number) => ({ amount, currency: "EUR" });
    const input = listingInput(cats.leaf.slug, {
      packages: [{ tier: "basic", title: "Starter", price: eur(2500), deliveryDays: 3 }],
      extras: [{ title: "Express delivery", price: eur(1500), addedDays: 0 }],
    });
    const listing = await listingOf(await client.post("/api/listings", input));
    expect(listing.packages.map((p) => p.price)).toEqual([eur(2500)]);
    expect(listing.extras.map((e) => e.price)).toEqual([eur(1500)]);
    expect(listing.startingPrice).toEqual(eur(2500));
    // What a read returns can be written back as it is.
    const roundTrip = await client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { packages: listing.packages, extras: listing.extras } });
    expect(roundTrip.status).toBe(200);

    const mixed = await client.post("/api/listings", listingInput(cats.leaf.slug, { extras: [{ title: "Express delivery", price: eur(1500), addedDays: 0 }] }));
    expect(mixed.status).toBe(422);
    const mixedBody = await json<RefusalBody>(mixed);
    expect(mixedBody.error.code).toBe("currency_mismatch");
    expect(mixedBody.error.details?.issues?.[0]?.path).toBe("extras.0.price.currency");
    const otherCurrency = await client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { extras: [{ title: "Express delivery", price: usd(1500) }] } });
    expect(otherCurrency.status).toBe(422);
    expect((await json<RefusalBody>(otherCurrency)).error.code).toBe("currency_mismatch");
    const unknown = await client.post("/api/listings", listingInput(cats.leaf.slug, { extras: [{ title: "Express delivery", price: { amount: 1500, currency: "XYZ" } }] }));
    expect(unknown.status).toBe(400);
  });
});

describe("reading the catalog", () => {
  it("lists categories with active counts rolled up to their parents", async () => {
    const { client } = await signedIn("seller");
    const local = await createCategories();
    await publishedListing(client, local.leaf.slug);
    await publishedListing(client, local.otherLeaf.slug);
    // The seller just wrote, so their read skips both caches (anyone else's may be up to a minute old).
    const { items } = await json<CategoriesResponse>(await client.request("/api/categories"));
    const root = items.find((item) => item.slug === local.root.slug);
    expect(root?.activeListings).toBe(2);
    expect(root?.children.map((child) => [child.slug, child.activeListings])).toEqual([
      [local.leaf.slug, 1],
      [local.otherLeaf.slug, 1],
    ]);
  });

  it("pages through a category with keyset cursors that stay stable while listings are added", async () => {
    const { client } = await signedIn("seller");
    const local = await createCategories();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await publishedListing(client, i % 2 ? local.otherLeaf.slug : local.leaf.slug)).slug);
    const reader = await signedIn("buyer"); // signed in: reads skip the shared caches, so each page is current
    const page1 = await json<ListingsPage>(await reader.client.request(`/api/listings?category=${local.root.slug}&limit=2`));
    expect(page1.items.map((i) => i.slug)).toEqual([made[4], made[3]]);
    await publishedListing(client, local.leaf.slug); // newer than everything: must not shift later pages
    const page2 = await json<ListingsPage>(await reader.client.request(`/api/listings?category=${local.root.slug}&limit=2&cursor=${page1.nextCursor}`));
    expect(page2.items.map((i) => i.slug)).toEqual([made[2], made[1]]);
    const page3 = await json<ListingsPage>(await reader.client.request(`/api/listings?category=${local.root.slug}&limit=2&cursor=${page2.nextCursor}`));
    expect(page3.items.map((i) => i.slug)).toEqual([made[0]]);
    expect(page3.nextCursor).toBeNull();

    const leafOnly = await json<ListingsPage>(await reader.client.request(`/api/listings?category=${local.otherLeaf.slug}&limit=10`));
    expect(leafOnly.items).toHaveLength(2);
    const upperCase = await reader.client.request(`/api/listings?category=${local.otherLeaf.slug.toUpperCase()}&limit=10`);
    expect(upperCase.status).toBe(200); // slugs are matched case-insensitively, as docs/api.md says
    expect((await json<ListingsPage>(upperCase)).items).toEqual(leafOnly.items);
    expect((await reader.client.request("/api/listings?cursor=garbage")).status).toBe(400);
    expect((await reader.client.request("/api/listings?category=no-such-category")).status).toBe(404);
  });

  it("shows a seller's profile with listings, and a rename reaches their listings", async () => {
    const seller = await signedIn("seller");
    const listing = await publishedListing(seller.client, cats.leaf.slug);
    const profile = await json<SellerPage>(await new Client().request(`/api/sellers/${listing.seller.username}`));
    expect(profile.listings.items.map((i) => i.slug)).toContain(listing.slug);

    const renamed = await seller.client.request("/api/seller/profile", { method: "PATCH", json: { displayName: "Renamed Studio" } });
    expect(renamed.status).toBe(200);
    const reread = await listingOf(await new Client().request(`/api/listings/${listing.slug}`));
    expect(reread.seller.displayName).toBe("Renamed Studio");
    expect((await new Client().request("/api/sellers/nobody-here")).status).toBe(404);
  });

  it("pages through a seller's services with a keyset cursor, as JSON and as pages", async () => {
    const seller = await signedIn("seller");
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await publishedListing(seller.client, cats.leaf.slug));
    const username = made[0]!.seller.username!;
    const reader = new Client();
    const first = await json<ListingsPage>(await reader.request(`/api/sellers/${username}/listings?limit=2`));
    expect(first.items.map((i) => i.slug)).toEqual([made[2]!.slug, made[1]!.slug]);
    const second = await json<ListingsPage>(await reader.request(`/api/sellers/${username}/listings?limit=2&cursor=${first.nextCursor}`));
    expect(second.items.map((i) => i.slug)).toEqual([made[0]!.slug]);
    expect(second.nextCursor).toBeNull();
    expect((await json<ReviewsPage>(await reader.request(`/api/sellers/${username}/reviews`))).items).toEqual([]);

    const page = await reader.request(`/sellers/${username}/services`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(made[0]!.title);
    expect((await reader.request("/api/sellers/nobody-here/listings")).status).toBe(404);
  });

  it("takes a suspended seller's listings off the market, and leaves them paused when the suspension lifts", async () => {
    const seller = await signedIn("seller");
    const { client: admin } = await signedIn("admin");
    const listing = await publishedListing(seller.client, cats.leaf.slug);
    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(200); // now cached
    expect((await admin.post(`/api/admin/users/${seller.id}/suspend`)).status).toBe(204);
    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(404);
    expect((await new Client().request(`/api/sellers/${listing.seller.username}`)).status).toBe(404);

    expect((await admin.post(`/api/admin/users/${seller.id}/unsuspend`)).status).toBe(204);
    const back = new Client();
    expect((await back.post("/api/auth/login", { email: seller.email, password: seller.password })).status).toBe(200);
    expect((await listingOf(await back.request(`/api/seller/listings/${listing.id}`))).status).toBe("paused");
    expect((await new Client().request(`/api/listings/${listing.slug}`)).status).toBe(404);
  });
});
