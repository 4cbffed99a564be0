import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import entry from "../../workers/index.ts";
import { images, sellerProfiles } from "../../workers/data/schema/index.ts";
import type { SellerPage } from "../../workers/domain/catalog-reads.ts";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import type { ListingResponse, ListingsPage } from "../../workers/domain/listing-views.ts";
import { variantUrl } from "../../workers/domain/media.ts";
import type { SearchResponse } from "../../workers/domain/search.ts";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { createImage, testDb } from "../support/db.ts";
import { json, type ErrorBody } from "../support/json.ts";

const worker: ExportedHandler<Env> = entry;
const fixtures = inject("imageFixtures");
const fixture = (name: string) => Uint8Array.from(atob(fixtures[name]!), (c) => c.charCodeAt(0));
const EXIF_MARKER = "FixtureCam";

type Seller = Awaited<ReturnType<typeof signedIn>> & { username: string };

async function newSeller(): Promise<Seller> {
  const seller = await signedIn("seller");
  const { user } = await json<UserResponse>(await seller.client.request("/api/me"));
  return { ...seller, username: user.seller!.username };
}

const upload = (client: Client, bytes: Uint8Array, type = "image/jpeg") =>
  client.request("/api/seller/avatar", { method: "POST", body: bytes, headers: { "Content-Type": type } });

async function uploaded(client: Client, bytes: Uint8Array) {
  const res = await upload(client, bytes);
  expect(res.status, await res.clone().text()).toBe(202);
  return (await json<ImageResponse>(res)).image;
}

/** Runs the images queue's consumer over these jobs, as the platform delivers them. */
async function deliver(...imageIds: string[]) {
  const bodies = imageIds.map((imageId, i) => ({ id: `a-${i}`, timestamp: new Date(), attempts: 1, body: { kind: "image.process", imageId } }));
  const batch = createMessageBatch("images", bodies);
  const ctx = createExecutionContext();
  await worker.queue!(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const row = async (id: string) => (await testDb().primary.select().from(images).where(eq(images.id, id)))[0];
const avatarOf = async (userId: string) =>
  (await testDb().primary.select({ avatar: sellerProfiles.avatarImageId }).from(sellerProfiles).where(eq(sellerProfiles.userId, userId)))[0]?.avatar;
const objectKeys = async (prefix: string) => (await env.IMAGES_BUCKET.list({ prefix })).objects.map((o) => o.key).sort();
const ascii = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

/** A lossy WebP's frame size, from its VP8 header. */
function webpSize(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer);
  expect(ascii(bytes.subarray(12, 16))).toBe("VP8 ");
  return { w: view.getUint16(26, true) & 0x3fff, h: view.getUint16(28, true) & 0x3fff };
}

let category: string;
beforeAll(async () => {
  category = (await freshCategories()).leaf.slug;
});

describe("seller avatars", () => {
  it("crops the photo square at avatar widths, strips its metadata, and shows it on the profile and listings", async () => {
    const seller = await newSeller();
    const listing = await publishedListing(seller.client, category);
    const before = await json<SellerPage>(await seller.client.request(`/api/sellers/${seller.username}`));
    expect(before.seller.avatar).toBeNull();

    const image = await uploaded(seller.client, fixture("phoneJpeg"));
    expect(image).toMatchObject({ status: "processing", width: 1000, height: 2000, variants: [] });
    expect(await avatarOf(seller.id)).toBeNull();
    expect((await deliver(image.id)).explicitAcks).toEqual(["a-0"]);

    const ready = await row(image.id);
    expect(ready).toMatchObject({ status: "ready", listingId: null, variantWidths: [64, 128, 256] });
    expect(atob(ready!.placeholder!).length).toBeLessThan(40);
    expect(await avatarOf(seller.id)).toBe(image.id);
    const url = (width: number) => variantUrl(image.id, ready!.variantVersion!, width);
    for (const width of [64, 128, 256]) {
      const res = await new Client().request(url(width));
      expect(res.headers.get("Content-Type")).toBe("image/webp");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(webpSize(bytes)).toEqual({ w: width, h: width });
      expect(ascii(bytes)).not.toMatch(/Exif|EXIF|XMP/);
      expect(ascii(bytes)).not.toContain(EXIF_MARKER);
    }

    // The profile was cached without the avatar: it turning ready forgets that copy.
    const variants = [64, 128, 256].map((width) => ({ width, url: url(width) }));
    const expected = { id: image.id, variants, placeholder: ready!.placeholder };
    const after = await json<SellerPage>(await seller.client.request(`/api/sellers/${seller.username}`));
    expect(after.seller.avatar).toEqual(expected);
    const shown = await json<ListingResponse>(await seller.client.request(`/api/listings/${listing.slug}`));
    expect(shown.listing.seller.avatar).toEqual(expected);

    const srcset = `srcset="${url(64)} 64w, ${url(128)} 128w, ${url(256)} 256w"`;
    for (const path of [`/sellers/${seller.username}`, `/listings/${listing.slug}`]) {
      const page = await (await seller.client.request(path, { headers: { Accept: "text/html" } })).text();
      expect(page, path).toContain(srcset);
      expect(page, path).toMatch(/<img class="avatar__hash" src="data:image\/png;base64,[^"]+"/);
    }

    // Listing cards carry it too: the category list, the seller's services and search, as JSON and as pages.
    const cards = [
      (await json<ListingsPage>(await seller.client.request(`/api/listings?category=${category}`))).items,
      (await json<ListingsPage>(await seller.client.request(`/api/sellers/${seller.username}/listings`))).items,
      (await json<SearchResponse>(await seller.client.request(`/api/search?category=${category}&sort=newest&limit=50`))).items,
    ];
    for (const items of cards) expect(items.find((card) => card.id === listing.id)?.seller.avatar).toEqual(expected);
    for (const path of [`/categories/${category}`, `/search?category=${category}&sort=newest`]) {
      const page = await (await seller.client.request(path, { headers: { Accept: "text/html" } })).text();
      const card = page.slice(page.indexOf(`href="/listings/${listing.slug}"`));
      // A 24 px avatar: the browser picks the 64 px variant, in a box reserved before it loads.
      expect(card.slice(0, card.indexOf("</article>")), path).toMatch(
        new RegExp(`<img class="avatar__hash" src="data:image/png;base64,[^"]+"[^>]*>\\s*<img class="avatar__photo" src="${url(256)}" ${srcset} sizes="24px" width="24" height="24"`),
      );
    }
  });

  it("never upscales: a small photo's variants stop at its shorter side", async () => {
    const seller = await newSeller();
    const image = await uploaded(seller.client, fixture("smallJpeg")); // 300x200
    await deliver(image.id);
    expect(await row(image.id)).toMatchObject({ status: "ready", variantWidths: [64, 128, 200] });
    const bytes = new Uint8Array(await (await new Client().request(variantUrl(image.id, (await row(image.id))!.variantVersion!, 200))).arrayBuffer());
    expect(webpSize(bytes)).toEqual({ w: 200, h: 200 });
  });

  it("replaces the previous avatar, removing its row and objects; a redelivery and an older upload finishing late change nothing", async () => {
    const seller = await newSeller();
    const first = await uploaded(seller.client, fixture("webp"));
    await deliver(first.id);
    expect(await objectKeys(`variants/${first.id}/`)).toHaveLength(3);

    const older = await uploaded(seller.client, fixture("smallJpeg"));
    const newer = await uploaded(seller.client, fixture("alphaPng"));
    await deliver(newer.id);
    expect(await avatarOf(seller.id)).toBe(newer.id);
    expect(await row(first.id)).toBeUndefined();
    expect(await objectKeys(`variants/${first.id}/`)).toEqual([]);
    expect(await objectKeys(`originals/${first.id}`)).toEqual([]);

    const settled = await row(newer.id);
    await deliver(newer.id);
    expect(await row(newer.id)).toEqual(settled);

    await deliver(older.id);
    expect(await avatarOf(seller.id)).toBe(newer.id);
    expect(await row(older.id)).toBeUndefined();
    expect(await objectKeys(`variants/${older.id}/`)).toEqual([]);
    expect(await objectKeys(`originals/${older.id}`)).toEqual([]);
  });

  it("is deleted like any image: the profile lets go of it and its objects go", async () => {
    const seller = await newSeller();
    const image = await uploaded(seller.client, fixture("webp"));
    await deliver(image.id);
    const cached = await json<SellerPage>(await seller.client.request(`/api/sellers/${seller.username}`));
    expect(cached.seller.avatar?.id).toBe(image.id);
    const res = await seller.client.request(`/api/images/${image.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await avatarOf(seller.id)).toBeNull();
    expect(await objectKeys(`variants/${image.id}/`)).toEqual([]);
    const profile = await json<SellerPage>(await seller.client.request(`/api/sellers/${seller.username}`));
    expect(profile.seller.avatar).toBeNull();
  });

  it("takes the seller's own upload only, with the photo limits, storing nothing on refusal", async () => {
    const seller = await newSeller();
    const before = await objectKeys("originals/");
    expect((await upload(new Client(), fixture("smallJpeg"))).status).toBe(401);
    const buyer = await signedIn("buyer");
    expect((await upload(buyer.client, fixture("smallJpeg"))).status).toBe(403);
    const heic = await upload(seller.client, fixture("heic"));
    expect(heic.status).toBe(415);
    expect((await json<ErrorBody>(heic)).error.message).toMatch(/JPEG, PNG, WEBP/);
    expect((await upload(seller.client, fixture("oversizedPng"))).status).toBe(422);
    expect(await testDb().primary.select().from(images).where(eq(images.ownerId, seller.id))).toEqual([]);
    expect(await objectKeys("originals/")).toEqual(before);
  });

  it("is uploaded from the dashboard's plain file form too, without JavaScript", async () => {
    const seller = await newSeller();
    const dashboard = await (await seller.client.request("/seller/listings", { headers: { Accept: "text/html" } })).text();
    expect(dashboard).toContain('action="/seller/avatar" enctype="multipart/form-data"');
    const form = new FormData();
    form.set("file", new File([fixture("smallJpeg")], "me.jpg", { type: "image/jpeg" }));
    const headers = { Origin: "https://market.example", Accept: "text/html" };
    const posted = await seller.client.request("/seller/avatar", { method: "POST", body: form, headers });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("Location")).toBe("/seller/listings?done=avatar-uploaded");
    const [image] = await testDb().primary.select().from(images).where(eq(images.ownerId, seller.id));
    expect(image).toMatchObject({ status: "processing", listingId: null });
    await deliver(image!.id);
    expect(await avatarOf(seller.id)).toBe(image!.id);
  });

  it("keeps a newer avatar that is ready but not yet adopted when an older upload finishes", async () => {
    const seller = await newSeller();
    // Stored uploads whose jobs only this test delivers, oldest first (an upload would also enqueue one).
    const stored = async (name: string) => {
      const bytes = fixture(name);
      const image = await createImage(seller.id, { listingId: null, bytes: bytes.length, width: 300, height: 200 });
      await env.IMAGES_BUCKET.put(image.originalKey, bytes, { httpMetadata: { contentType: "image/jpeg" } });
      return image;
    };
    const older = await stored("smallJpeg");
    const newer = await stored("smallJpeg");
    await deliver(newer.id);
    // As if the newer one's adoption had failed after it turned ready; meanwhile the older one finishes.
    await testDb().primary.update(sellerProfiles).set({ avatarImageId: null }).where(eq(sellerProfiles.userId, seller.id));
    await deliver(older.id);
    expect(await avatarOf(seller.id)).toBe(older.id);
    expect((await row(newer.id))?.status).toBe("ready");
    // The newer one's retry adopts it and removes the older one.
    await deliver(newer.id);
    expect(await avatarOf(seller.id)).toBe(newer.id);
    expect(await row(older.id)).toBeUndefined();
  });

  it("finishes the adoption on a redelivery when it failed after the image turned ready", async () => {
    const seller = await newSeller();
    const image = await uploaded(seller.client, fixture("webp"));
    await deliver(image.id);
    // As if the step after "ready" had failed: the image is ready, the profile does not show it.
    await testDb().primary.update(sellerProfiles).set({ avatarImageId: null }).where(eq(sellerProfiles.userId, seller.id));
    const settled = await row(image.id);
    expect((await deliver(image.id)).explicitAcks).toEqual(["a-0"]);
    expect(await avatarOf(seller.id)).toBe(image.id);
    expect(await row(image.id)).toEqual(settled);
  });
});
