import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { images, listings } from "../../workers/data/schema/index.ts";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import { variantUrl } from "../../workers/domain/media.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { deliver, fixture, upload, uploaded } from "../support/photos.ts";
import { testDb } from "../support/db.ts";
import { eventually } from "../support/wait.ts";
import { json, type ErrorBody } from "../support/json.ts";

const EXIF_MARKER = "FixtureCam";

let seller: Awaited<ReturnType<typeof signedIn>>;
let category: string;
beforeAll(async () => {
  seller = await signedIn("seller");
  category = (await freshCategories()).leaf.slug;
});

function multipart(bytes: Uint8Array, field = "file") {
  const form = new FormData();
  form.set("note", "first a text field");
  form.set(field, new File([bytes], "photo.jpg", { type: "image/jpeg" }));
  return form;
}

const row = async (id: string) => (await testDb().primary.select().from(images).where(eq(images.id, id)))[0]!;
/** A variant's URL as the rendered row names it (the version comes from the pipeline, not from the test). */
const urlOf = async (id: string, width: number) => variantUrl(id, (await row(id)).variantVersion!, width);
const objectKeys = async (prefix: string) => (await env.IMAGES_BUCKET.list({ prefix })).objects.map((o) => o.key).sort();
const ascii = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);


describe("photo uploads", () => {
  it("streams the original to R2, records it processing with its oriented size, and queues a job", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("phoneJpeg"));
    expect(image).toMatchObject({ status: "processing", width: 1000, height: 2000, variants: [] });
    const stored = await env.IMAGES_BUCKET.get(`originals/${image.id}`);
    expect(stored?.httpMetadata?.contentType).toBe("image/jpeg");
    expect(stored?.size).toBe(fixture("phoneJpeg").length);
    await stored?.body.cancel();
  });

  it("takes the multipart field file, and judges the bytes, not the declared type", async () => {
    const listing = await publishedListing(seller.client, category);
    const res = await seller.client.request(`/api/listings/${listing.id}/images`, { method: "POST", body: multipart(fixture("alphaPng")) });
    expect(res.status).toBe(202);
    const { image } = await json<ImageResponse>(res);
    expect(image).toMatchObject({ width: 640, height: 480 });
    expect((await row(image.id)).contentType).toBe("image/png");
    expect((await env.IMAGES_BUCKET.head(`originals/${image.id}`))?.size).toBe(fixture("alphaPng").length);
  });

  it("refuses what the pipeline cannot take, storing nothing", async () => {
    const listing = await publishedListing(seller.client, category);
    const before = await objectKeys("originals/");
    const cases: [string, number, RegExp][] = [
      ["textAsJpeg", 415, /JPEG, PNG, WEBP/],
      ["heic", 415, /HEIF\/HEIC.*JPEG, PNG, WEBP/],
      ["oversizedPng", 422, /20000x20000.*100 megapixels/],
    ];
    for (const [name, status, message] of cases) {
      const res = await upload(seller.client, listing.id, fixture(name));
      expect(res.status, name).toBe(status);
      expect((await json<ErrorBody>(res)).error.message).toMatch(message);
    }
    // A body with no image type is told how to send a photo, not to send JSON.
    const notImages: Record<string, string>[] = [{}, { "Content-Type": "text/plain" }, { "Content-Type": "application/json" }];
    for (const headers of notImages) {
      const res = await seller.client.request(`/api/listings/${listing.id}/images`, { method: "POST", body: fixture("smallJpeg"), headers });
      expect(res.status, JSON.stringify(headers)).toBe(415);
      const { message } = (await json<ErrorBody>(res)).error;
      expect(message).toMatch(/image\/jpeg, image\/png, image\/webp.*multipart\/form-data field "file"/);
    }
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(fixture("smallJpeg"));
    const declared = await upload(seller.client, listing.id, big);
    expect(declared.status).toBe(413);
    // A multipart body carries no size of its own: the stream is cut off at the limit instead.
    const streamed = await seller.client.request(`/api/listings/${listing.id}/images`, { method: "POST", body: multipart(big) });
    expect(streamed.status).toBe(413);
    expect(await testDb().primary.select().from(images).where(eq(images.listingId, listing.id))).toEqual([]);
    expect(await objectKeys("originals/")).toEqual(before);
    // Several 20 MB bodies: a hang guard with room for a loaded machine, not a speed limit.
  }, 60_000);

  it("holds at most 10 photos per listing", async () => {
    const listing = await publishedListing(seller.client, category);
    for (let i = 0; i < 10; i++) await uploaded(seller.client, listing.id, fixture("smallJpeg"));
    const res = await upload(seller.client, listing.id, fixture("smallJpeg"));
    expect(res.status).toBe(422);
    expect((await json<ErrorBody>(res)).error.message).toMatch(/at most 10 photos/);
  }, 60_000);

  it("lets only the listing's owner upload", async () => {
    const listing = await publishedListing(seller.client, category);
    const other = await signedIn("seller");
    expect((await upload(other.client, listing.id, fixture("smallJpeg"))).status).toBe(403);
    const anonymous = await upload(new Client(), listing.id, fixture("smallJpeg"));
    expect(anonymous.status).toBe(401);
  });
});

describe("photo processing", () => {
  it("orients, strips metadata, writes WebP variants without upscaling, and shows them on the listing", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("phoneJpeg"));
    expect(ascii(fixture("phoneJpeg"))).toContain(EXIF_MARKER);
    expect((await deliver([{ kind: "image.process", imageId: image.id }])).explicitAcks).toEqual(["m-0"]);

    const ready = await row(image.id);
    expect(ready).toMatchObject({ status: "ready", width: 1000, height: 2000, variantWidths: [400, 800, 1000] });
    expect(atob(ready.placeholder!).length).toBeLessThan(40);
    expect(ready.variantVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(await objectKeys(`variants/${image.id}/`)).toEqual(["400", "800", "1000"].map((w) => `variants/${image.id}/${ready.variantVersion}/${w}.webp`).sort());

    for (const width of [400, 800, 1000]) {
      const res = await seller.client.request(await urlOf(image.id, width));
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("image/webp");
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("ETag")).toBeTruthy();
      const bytes = new Uint8Array(await res.arrayBuffer());
      const text = ascii(bytes);
      expect(text.slice(8, 12)).toBe("WEBP");
      expect(text).not.toContain("EXIF");
      expect(text).not.toContain("Exif");
      expect(text).not.toContain("XMP");
      expect(text).not.toContain(EXIF_MARKER);
      // Portrait after orientation: the VP8 frame header's height is twice its width.
      const view = new DataView(bytes.buffer);
      const [w, h] = text.slice(12, 16) === "VP8 " ? [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff] : [0, 0];
      expect({ w, h }).toEqual({ w: width, h: width * 2 });
    }

    const shown = await json<ListingResponse>(await seller.client.request(`/api/seller/listings/${listing.id}`));
    expect(shown.listing.images[0]).toMatchObject({ id: image.id, status: "ready", placeholder: ready.placeholder });
    expect(shown.listing.images[0]!.variants.map((v) => v.url)).toContain(`/images/${image.id}/${ready.variantVersion}/800.webp`);
    const [cover] = await testDb().primary.select({ coverImageId: listings.coverImageId }).from(listings).where(eq(listings.id, listing.id));
    expect(cover?.coverImageId).toBe(image.id);

    // The public page reserves the photo's space, offers every width, and paints the placeholder first.
    const page = await (await new Client().request(`/listings/${listing.slug}`)).text();
    const [u400, u800, u1000] = await Promise.all([400, 800, 1000].map((width) => urlOf(image.id, width)));
    expect(page).toContain(`srcset="${u400} 400w, ${u800} 800w, ${u1000} 1000w"`);
    expect(page).toMatch(/<img class="gallery__hash" src="data:image\/png;base64,[^"]+"/);
    expect(page).toMatch(/width="1000" height="2000"/);
  });

  it("delivered twice, produces the same objects and row once", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("webp"));
    await deliver([{ kind: "image.process", imageId: image.id }]);
    const first = await row(image.id);
    const keys = await objectKeys(`variants/${image.id}/`);
    const result = await deliver([{ kind: "image.process", imageId: image.id }]);
    expect(result.explicitAcks).toEqual(["m-0"]);
    expect(await row(image.id)).toEqual(first);
    expect(await objectKeys(`variants/${image.id}/`)).toEqual(keys);
    expect(first.variantWidths).toEqual([400, 500]);
  });

  it("keeps a PNG's alpha image as WebP variants", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("alphaPng"));
    await deliver([{ kind: "image.process", imageId: image.id }]);
    expect(await row(image.id)).toMatchObject({ status: "ready", variantWidths: [400, 640] });
  });

  it("ends a corrupt file failed with a reason the seller sees, without retrying it", async () => {
    const listing = await publishedListing(seller.client, category);
    const image = await uploaded(seller.client, listing.id, fixture("truncatedJpeg"));
    const result = await deliver([{ kind: "image.process", imageId: image.id }]);
    expect(result.retryMessages).toEqual([]);
    const res = await seller.client.request(`/api/images/${image.id}`);
    const { image: seen } = await json<ImageResponse>(res);
    expect(seen).toMatchObject({ status: "failed", reason: expect.stringMatching(/could not be read/) as string, variants: [] });
  });
});

describe("the dashboard's photo form (no JavaScript)", () => {
  it("adds a photo from a plain file form, shows its status, and deletes it", async () => {
    const listing = await publishedListing(seller.client, category);
    const edit = `/seller/listings/${listing.id}/edit`;
    const form = await (await seller.client.request(edit, { headers: { Accept: "text/html" } })).text();
    expect(form).toContain(`action="/seller/listings/${listing.id}/photos" enctype="multipart/form-data"`);
    const headers = { Origin: "https://market.example", Accept: "text/html" };
    const posted = await seller.client.request(`/seller/listings/${listing.id}/photos`, { method: "POST", body: multipart(fixture("smallJpeg")), headers });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("Location")).toBe(`${edit}?done=photo-uploaded`);
    const [image] = await testDb().primary.select().from(images).where(eq(images.listingId, listing.id));
    expect(await (await seller.client.request(edit, { headers })).text()).toContain("Processing…");
    await deliver([{ kind: "image.process", imageId: image!.id }]);
    expect(await (await seller.client.request(edit, { headers })).text()).toContain(`src="${await urlOf(image!.id, 300)}"`);
    const deleted = await seller.client.request(`/seller/listings/${listing.id}/photos/${image!.id}/delete`, { method: "POST", body: new URLSearchParams(), headers });
    expect(deleted.headers.get("Location")).toBe(`${edit}?done=photo-deleted`);
    expect(await testDb().primary.select().from(images).where(eq(images.listingId, listing.id))).toEqual([]);
  });
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
