// Deleting photos and listings (rows, objects, every cached copy) and the owner's photo order.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { listings } from "../../workers/data/schema/index.ts";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { deliver, fixture, objectKeys, row, uploaded, urlOf } from "../support/photos.ts";
import { testDb } from "../support/db.ts";
import { eventually } from "../support/wait.ts";
import { json } from "../support/json.ts";

let seller: Awaited<ReturnType<typeof signedIn>>;
let category: string;

beforeAll(async () => {
  seller = await signedIn("seller");
  category = (await freshCategories()).leaf.slug;
});

describe("photo deletion and order", () => {
  it("deletes a photo's row and objects, and only for its owner", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    await deliver([{ kind: "image.process", imageId: image.id }]);
    const served = await urlOf(image.id, 300);
    expect((await seller.client.request(served)).status).toBe(200);
    const other = await signedIn("seller");
    expect((await other.client.request(`/api/images/${image.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await seller.client.request(`/api/images/${image.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await objectKeys(`variants/${image.id}/`)).toEqual([]);
    expect(await env.IMAGES_BUCKET.head(`originals/${image.id}`)).toBeNull();
    expect((await seller.client.request(served)).status).toBe(404);
  });

  it("stops serving a deleted photo's variants: this location's copies dropped, the zone purged by tag", async () => {
    for (const remove of ["photo", "listing", "dashboard photo"] as const) {
      const listing = await publishedListing(seller.client, category);
      const image = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
      await deliver([{ kind: "image.process", imageId: image.id }]);
      const url = `https://market.example${await urlOf(image.id, (await row(image.id)).variantWidths[0]!)}`;
      const first = await new Client().request(url);
      expect(first.status).toBe(200);
      expect(first.headers.get("Cache-Tag")).toBe(`image-${image.id}`);
      await eventually(async () => (await caches.default.match(url)) !== undefined);
      // Production's other locations: Cloudflare's purge API (the harness's stand-in) gets the image's tag.
      const zone = `zone-${image.id}`;
      const purging = { CLOUDFLARE_ZONE_ID: zone, CLOUDFLARE_PURGE_TOKEN: "test-purge-token", CLOUDFLARE_API_URL: `${inject("harnessUrl")}/cloudflare-api` };
      if (remove === "dashboard photo") {
        expect((await seller.client.form(`/seller/listings/${listing.id}/photos/${image.id}/delete`, {}, { env: purging })).status).toBe(303);
      } else {
        const path = remove === "photo" ? `/api/images/${image.id}` : `/api/listings/${listing.id}`;
        expect((await seller.client.request(path, { method: "DELETE", env: purging })).status).toBe(204);
      }
      expect(await caches.default.match(url), remove).toBeUndefined();
      expect((await new Client().request(url)).status, remove).toBe(404);
      const purges = await (await fetch(`${inject("harnessUrl")}/cloudflare-api/purges?zone=${zone}`)).json();
      expect(purges, remove).toEqual([{ zone, authorization: "Bearer test-purge-token", tags: [`image-${image.id}`] }]);
    }
  });

  it("serves a variant only under its canonical file name", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("phoneJpeg"));
    await deliver([{ kind: "image.process", imageId: image.id }]);
    const { variantVersion } = await row(image.id);
    expect((await new Client().request(`/images/${image.id}/${variantVersion}/400.webp`)).status).toBe(200);
    for (const file of ["0400.webp", "00400.webp", "1600.webp", "401.webp"]) {
      expect((await new Client().request(`/images/${image.id}/${variantVersion}/${file}`)).status, file).toBe(404);
    }
    // Another version of the same image names no object: the URL changes only with the rendering.
    expect((await new Client().request(`/images/${image.id}/${"0".repeat(16)}/400.webp`)).status).toBe(404);
  });

  it("answers every variant request with its own request id, from R2 and from this location's cache", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    await deliver([{ kind: "image.process", imageId: image.id }]);
    const url = `https://market.example${await urlOf(image.id, (await row(image.id)).variantWidths[0]!)}`;
    const fetched = (requestId: string) => new Client().request(url, { headers: { "X-Request-Id": requestId } });
    const fromR2 = await fetched("variant-from-r2");
    expect([fromR2.status, fromR2.headers.get("X-Request-Id")]).toEqual([200, "variant-from-r2"]);
    await eventually(async () => (await caches.default.match(url)) !== undefined);
    expect((await caches.default.match(url))!.headers.get("X-Request-Id")).toBeNull();
    const fromCache = await fetched("variant-from-cache");
    expect([fromCache.status, fromCache.headers.get("X-Request-Id"), fromCache.headers.get("CF-Cache-Status")]).toEqual([200, "variant-from-cache", "HIT"]);
  });

  it("deleting a listing removes its photos' objects", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    expect((await seller.client.request(`/api/listings/${listing.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await env.IMAGES_BUCKET.head(`originals/${image.id}`)).toBeNull();
  });

  it("reorders photos, and the first ready one becomes the cover", async () => {
    const listing = await publishedListing(seller.client, category);
    const a = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    const b = await uploaded(seller.client, listing.id, fixture("webp"));
    await deliver([{ kind: "image.process", imageId: a.id }, { kind: "image.process", imageId: b.id }]);
    const order = (ids: string[]) => seller.client.request(`/api/listings/${listing.id}/images/order`, { method: "PUT", json: { imageIds: ids } });
    expect((await order([b.id])).status).toBe(400);
    expect((await order([b.id, a.id])).status).toBe(204);
    const shown = await json<ListingResponse>(await seller.client.request(`/api/seller/listings/${listing.id}`));
    expect(shown.listing.images.map((i) => i.id)).toEqual([b.id, a.id]);
    const [cover] = await testDb().primary.select({ coverImageId: listings.coverImageId }).from(listings).where(eq(listings.id, listing.id));
    expect(cover?.coverImageId).toBe(b.id);
  });

  it("reorders by the photos the owner's listing read shows, which leaves failed ones out", async () => {
    const listing = await publishedListing(seller.client, category);
    const a = await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    const broken = await uploaded(seller.client, listing.id, fixture("truncatedJpeg"));
    const b = await uploaded(seller.client, listing.id, fixture("webp"));
    await deliver([a, broken, b].map((image) => ({ kind: "image.process", imageId: image.id })));
    const shown = async () => (await json<ListingResponse>(await seller.client.request(`/api/seller/listings/${listing.id}`))).listing.images;
    expect((await shown()).map((i) => i.id)).toEqual([a.id, b.id]);
    const res = await seller.client.request(`/api/listings/${listing.id}/images/order`, { method: "PUT", json: { imageIds: [b.id, a.id] } });
    expect(res.status, await res.clone().text()).toBe(204);
    expect((await shown()).map((i) => i.id)).toEqual([b.id, a.id]);
  });
});
