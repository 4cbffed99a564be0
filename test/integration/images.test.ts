import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { images, listings } from "../../workers/data/schema/index.ts";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { deliver, fixture, objectKeys, row, upload, uploaded, urlOf } from "../support/photos.ts";
import { testDb } from "../support/db.ts";
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
