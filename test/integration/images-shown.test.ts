import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { images } from "../../workers/data/schema/index.ts";
import type { ListingCardJson, ListingResponse, ListingsPage, OwnListingResponse } from "../../workers/domain/listing-views.ts";
import { variantUrl } from "../../workers/domain/media.ts";
import type { SearchResponse } from "../../workers/domain/search.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json } from "../support/json.ts";
import { page } from "../support/pages.ts";
import { deliver, fixture, uploaded } from "../support/photos.ts";

let seller: Awaited<ReturnType<typeof signedIn>>;
let cats: Awaited<ReturnType<typeof freshCategories>>;
const anonymous = new Client();
beforeAll(async () => {
  seller = await signedIn("seller");
  cats = await freshCategories();
});

const cardOf = (items: ListingCardJson[], id: string) => items.find((item) => item.id === id);

describe("listing cards show the cover", () => {
  it("carries the ready cover's variant URLs, size and placeholder on list and search JSON, and the category page renders it", async () => {
    const withPhoto = await publishedListing(seller.client, cats.leaf.slug);
    const without = await publishedListing(seller.client, cats.leaf.slug);
    const image = await uploaded(seller.client, withPhoto.id, fixture("smallJpeg"));
    await deliver([{ kind: "image.process", imageId: image.id }]);
    const [ready] = await testDb().primary.select().from(images).where(eq(images.id, image.id));
    const urls = ready!.variantWidths.map((width) => variantUrl(image.id, ready!.variantVersion!, width));
    const expected = { id: image.id, width: ready!.width, height: ready!.height, placeholder: ready!.placeholder, variants: ready!.variantWidths.map((width, i) => ({ width, url: urls[i] })) };
    expect(urls.length).toBeGreaterThan(0);

    const list = await json<ListingsPage>(await anonymous.request(`/api/listings?category=${cats.leaf.slug}`));
    expect(cardOf(list.items, withPhoto.id)?.cover).toMatchObject(expected);
    expect(cardOf(list.items, without.id)?.cover).toBeNull();

    const found = await json<SearchResponse>(await anonymous.request(`/api/search?category=${cats.leaf.slug}`));
    expect(cardOf(found.items, withPhoto.id)?.cover).toMatchObject(expected);

    const html = await (await page(anonymous, `/categories/${cats.leaf.slug}`)).text();
    expect(html).toContain(`srcset="${urls.map((url, i) => `${url} ${ready!.variantWidths[i]}w`).join(", ")}"`);
    expect(html).toContain(`width="${ready!.width}" height="${ready!.height}"`);
  });
});

describe("failed photos", () => {
  it("are listed with their reason in the owner's read and on the edit page, never in the public read", async () => {
    const listing = await publishedListing(seller.client, cats.leaf.slug);
    const good = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    const broken = await uploaded(seller.client, listing.id, fixture("truncatedJpeg"));
    await deliver([good, broken].map((image) => ({ kind: "image.process", imageId: image.id })));

    const own = await json<OwnListingResponse>(await seller.client.request(`/api/seller/listings/${listing.id}`));
    expect(own.listing.images.map((image) => image.id)).toEqual([good.id]);
    expect(own.listing.failedImages).toEqual([{ id: broken.id, status: "failed", reason: expect.stringMatching(/could not be read/) as string }]);

    const edit = await (await page(seller.client, `/seller/listings/${listing.id}/edit`)).text();
    expect(edit).toContain(own.listing.failedImages[0]!.reason!);
    expect(edit).toContain(`action="/seller/listings/${listing.id}/photos/${broken.id}/delete"`);

    const res = await anonymous.request(`/api/listings/${listing.slug}`);
    const text = await res.clone().text();
    const shown = await json<ListingResponse>(res);
    expect(shown.listing.images.map((image) => image.id)).toEqual([good.id]);
    expect(shown.listing).not.toHaveProperty("failedImages");
    expect(text).not.toContain(broken.id);
  });
});
