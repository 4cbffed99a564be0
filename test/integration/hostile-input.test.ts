import { Redis } from "@upstash/redis/cloudflare";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { generationKey } from "../../workers/data/cache.ts";
import { cacheKeys } from "../../workers/domain/cache-keys.ts";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, listingInput, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { json } from "../support/json.ts";

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });
const cursorOf = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const YEAR_ZERO = cursorOf({ at: "0000-01-01T00:00:00Z", id: "00000000-0000-4000-8000-000000000000" });

let leafSlug: string;
let seller: Awaited<ReturnType<typeof signedIn>> & { username: string };
beforeAll(async () => {
  leafSlug = (await createCategories()).leaf.slug;
  const account = await signedIn("seller");
  const { user } = await json<UserResponse>(await account.client.request("/api/me"));
  seller = { ...account, username: user.seller!.username };
});

function expectRefused(res: Response, what: string) {
  expect([400, 404, 422], `${what}: ${res.status}`).toContain(res.status);
}

describe("malformed input is refused, never a 500", () => {
  it("refuses NUL bytes in path parameters", async () => {
    const anonymous = new Client();
    for (const path of ["/api/listings/%00", "/api/sellers/a%00", "/listings/%00", "/api/listings/%00/reviews", "/sellers/a%00b/services"]) {
      expectRefused(await anonymous.request(path), path);
    }
  });

  it("refuses NUL bytes and lone surrogates in JSON text fields, and in forms", async () => {
    const { client } = seller;
    for (const name of ["a\u0000b", "x\ud800y", "y\udc00"]) {
      const res = await client.request("/api/me", { method: "PATCH", json: { name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
    expect((await client.request("/api/seller/profile", { method: "PATCH", json: { bio: "a\u0000b" } })).status).toBe(400);
    expect((await client.request("/api/seller/profile", { method: "PATCH", json: { skills: ["a\u0000"] } })).status).toBe(400);
    const fields: Record<string, unknown>[] = [
      { description: "a\u0000b" },
      { faq: [{ question: "A fair question?", answer: "x\ud800y" }] },
      { extras: [{ title: "Extra\u0000", price: 500 }] },
      { packages: [{ tier: "basic", title: "Starter", price: 2500, deliveryDays: 3, features: ["a\u0000"] }] },
      { packages: [{ tier: "basic", title: "Start\u0000er", price: 2500, deliveryDays: 3, description: "d\u0000" }] },
    ];
    for (const overrides of fields) {
      const res = await client.post("/api/listings", listingInput(leafSlug, overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
    }
    const form = await client.form("/account/name", { name: "a\u0000b" });
    expect(form.status).toBe(400);
  });

  it("refuses cursors whose date Postgres cannot hold, on every paged list", async () => {
    const listing = await publishedListing(seller.client, leafSlug);
    const anonymous = new Client();
    const paths = [
      "/api/listings",
      `/api/sellers/${seller.username}/listings`,
      `/api/sellers/${seller.username}/reviews`,
      `/api/listings/${listing.slug}/reviews`,
      `/sellers/${seller.username}/services`,
      `/listings/${listing.slug}/reviews`,
    ];
    for (const path of paths) expect((await anonymous.request(`${path}?cursor=${YEAR_ZERO}`)).status, path).toBe(400);
    expect((await seller.client.request(`/api/seller/listings?cursor=${YEAR_ZERO}`)).status).toBe(400);
    expect((await seller.client.request(`/seller/listings?cursor=${YEAR_ZERO}`, { headers: { Accept: "text/html" } })).status).toBe(400);
    const yearOne = cursorOf({ at: "0001-01-01T00:00:00Z", id: "00000000-0000-4000-8000-000000000000" });
    expect((await anonymous.request(`/api/listings?cursor=${yearOne}`)).status).toBe(200);
  });

  it("refuses integers beyond the column's range", async () => {
    const tooLarge = (value: number) => [{ tier: "basic", title: "Starter", price: { amount: value, currency: "USD" }, deliveryDays: value, revisions: value, features: [] }];
    for (const value of [2147483648, 9007199254740991]) {
      const created = await seller.client.post("/api/listings", listingInput(leafSlug, { packages: tooLarge(value) }));
      expect(created.status, String(value)).toBe(400);
    }
    const { listing } = await json<ListingResponse>(await seller.client.post("/api/listings", listingInput(leafSlug)));
    const patched = await seller.client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { packages: tooLarge(2147483648) } });
    expect(patched.status).toBe(400);
  });

  it("answers a malformed multipart form with 400", async () => {
    const headers = { "Content-Type": "multipart/form-data; boundary=zzz", Origin: "https://market.example", Accept: "text/html" };
    expect((await new Client().request("/login", { method: "POST", body: "garbage", headers })).status).toBe(400);
    expect((await seller.client.request("/seller/listings", { method: "POST", body: "garbage", headers })).status).toBe(400);
  });
});

describe("cache keys", () => {
  it("cannot be named by a parameter: a username with the generation suffix is refused and writes nothing", async () => {
    const key = cacheKeys.seller(seller.username);
    const before = await redis.get(generationKey(key));
    const res = await new Client().request(`/api/sellers/${seller.username}:gen`);
    expect(res.status).toBe(400);
    expect(await redis.get(generationKey(key))).toEqual(before);
    expect(await redis.get(`${key}:gen`)).toBeNull();
  });

  it("encode every parameter, so no value can hold the key's separators", () => {
    expect(cacheKeys.seller("a:b")).not.toBe(`${cacheKeys.seller("a")}:b`);
    expect(cacheKeys.sellerListings("x", "a:b", 20)).not.toBe(cacheKeys.sellerListings("x:a", "b", 20));
    expect(generationKey(cacheKeys.home()).startsWith(cacheKeys.home())).toBe(false);
  });

  it("keep a miss only briefly", async () => {
    const slug = `no-such-listing-${crypto.randomUUID().slice(0, 8)}`;
    expect((await new Client().request(`/api/listings/${slug}`)).status).toBe(404);
    const ttl = await redis.ttl(cacheKeys.listing(slug));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });
});
