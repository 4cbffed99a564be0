import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setListingStatus } from "../../workers/data/listing-writes.ts";
import { listings, users } from "../../workers/data/schema/index.ts";
import type { ListingResponse, ListingsPage } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, listingInput, publishedListing } from "../support/catalog.ts";
import { testDb } from "../support/db.ts";
import { json } from "../support/json.ts";

let leafSlug: string;
beforeAll(async () => {
  leafSlug = (await createCategories()).leaf.slug;
});

const versionOf = async (id: string) => (await testDb().primary.select({ version: listings.version }).from(listings).where(eq(listings.id, id)))[0]!.version;

describe("status changes that race", () => {
  it("land only on the version they were checked against", async () => {
    const { client } = await signedIn("seller");
    const created = await client.post("/api/listings", listingInput(leafSlug));
    const { listing } = await json<ListingResponse>(created);
    const checked = await versionOf(listing.id);
    // Meanwhile the owner saves an edit (or an admin acts): the version moves on.
    expect((await client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { description: "" } })).status).toBe(200);
    expect(await setListingStatus(testDb().primary, listing.id, "active", checked)).toBeUndefined();
    expect(await setListingStatus(testDb().primary, listing.id, "active", checked + 1)).toBeDefined();
  });

  it("never put a suspended seller's listing back on the market", async () => {
    const { client, id } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    expect((await client.post(`/api/listings/${listing.id}/pause`)).status).toBe(200);
    await testDb().primary.update(users).set({ status: "suspended" }).where(eq(users.id, id));
    expect(await setListingStatus(testDb().primary, listing.id, "active", await versionOf(listing.id))).toBeUndefined();
  });
});

describe("a suspension in flight", () => {
  it("holds a publish until it commits, and the publish then sees it", async () => {
    const { client, id } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    expect((await client.post(`/api/listings/${listing.id}/pause`)).status).toBe(200);
    let commit!: () => void;
    const gate = new Promise<void>((resolve) => (commit = resolve));
    let updated!: () => void;
    const userUpdated = new Promise<void>((resolve) => (updated = resolve));
    const db = testDb();
    const suspension = db.transaction(async (tx) => {
      await tx.update(users).set({ status: "suspended" }).where(eq(users.id, id));
      updated();
      await gate; // the user row is changed but not committed, as inside setSuspended
    });
    await userUpdated;
    const publishing = setListingStatus(testDb().primary, listing.id, "active", await versionOf(listing.id));
    setTimeout(commit, 200); // ordering only: the publish is already waiting on the user row
    await suspension;
    await db.close();
    expect(await publishing).toBeUndefined();
  });
});

describe("moderation", () => {
  it("cannot bring back a listing its owner deleted", async () => {
    const { client: admin } = await signedIn("admin");
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const checked = await versionOf(listing.id);
    expect((await client.request(`/api/listings/${listing.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await setListingStatus(testDb().primary, listing.id, "suspended")).toBeUndefined();
    expect(await setListingStatus(testDb().primary, listing.id, "paused", checked + 1)).toBeUndefined();
    expect((await admin.post(`/api/admin/listings/${listing.id}/suspend`)).status).toBe(404);
  });
});

describe("keyset cursors", () => {
  it("skip nothing when many listings share a timestamp written by now()", async () => {
    const { client } = await signedIn("seller");
    const local = await createCategories();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await publishedListing(client, local.leaf.slug)).id);
    // One transaction's now(), with the microseconds Postgres would otherwise keep.
    await testDb().primary.update(listings).set({ publishedAt: sql`'2026-11-24 10:00:00.123456+00'` }).where(inArray(listings.id, ids));
    const reader = await signedIn("buyer"); // signed in: pages come from the database, not the shared caches
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await json<ListingsPage>(await reader.client.request(`/api/listings?category=${local.leaf.slug}&limit=1${query}`));
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });
});
