import { Redis } from "@upstash/redis/cloudflare";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { generationKey } from "../../workers/data/cache.ts";
import { cacheKeys } from "../../workers/domain/cache-keys.ts";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import type { UserResponse } from "../../workers/domain/views.ts";
import { edgeCacheKey, edgeMemory, EDGE_FRESH_SECONDS, purgeEdge, STORED_AT } from "../../workers/middleware/edge-cache.ts";
import { signedIn, verifyEmail } from "../support/accounts.ts";
import { cacheLevel, createCategories, dbQueries, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { json } from "../support/json.ts";
import { eventually } from "../support/wait.ts";

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });
const ORIGIN = "https://market.example";
let leafSlug: string;
beforeAll(async () => {
  leafSlug = (await createCategories()).leaf.slug;
});

const titleOf = async (res: Response) => (await json<ListingResponse>(res)).listing.title;

/** Makes this location's edge copy of a URL (Cache API and isolate memory) look as if it was stored `seconds` ago. */
async function ageEdgeEntry(path: string, seconds: number) {
  const key = edgeCacheKey(new URL(path, ORIGIN).toString());
  const entry = await caches.default.match(key);
  if (!entry) throw new Error(`no edge entry for ${path}`);
  const aged = new Response(entry.body, entry);
  aged.headers.set(STORED_AT, String(Date.now() - seconds * 1000));
  await caches.default.put(key, aged);
  edgeMemory.delete(key.url);
}

describe("three cache levels", () => {
  it("answer from the database, then the edge (to signed-in callers too), then Redis where the edge has no copy", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const path = `/api/listings/${listing.slug}`;
    const first = await new Client().request(path);
    expect(cacheLevel(first)).toBe("db");
    expect(dbQueries(first)).toBe(1); // the whole listing page is one query
    const second = await new Client().request(path);
    expect(cacheLevel(second)).toBe("edge");
    expect(dbQueries(second)).toBe(0);
    expect(await redis.get(cacheKeys.listing(listing.slug))).not.toBeNull();

    const member = await signedIn("buyer");
    member.client.cookies.delete("rw"); // its sign-up was a write; that read-your-writes window has passed
    const signedInHit = await member.client.request(path);
    expect(cacheLevel(signedInHit)).toBe("edge");
    expect(dbQueries(signedInHit)).toBe(0);

    const writer = await signedIn("buyer"); // still inside its sign-up's read-your-writes window
    const pastBoth = await writer.client.request(path);
    expect(cacheLevel(pastBoth)).toBe("db");
    expect(pastBoth.headers.get("Cache-Control")).toBe("private, no-store");

    await purgeEdge(ORIGIN, [path]); // as at another location, or once the edge copy aged out
    expect(cacheLevel(await member.client.request(path))).toBe("redis");
  });

  it("answer If-None-Match with 304 and no body", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const first = await new Client().request(`/api/listings/${listing.slug}`);
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await new Client().request(`/api/listings/${listing.slug}`, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("store only the anonymous rendering when a signed-in caller misses", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const path = `/api/listings/${listing.slug}`;
    const member = await signedIn("buyer");
    member.client.cookies.delete("rw");
    const miss = await member.client.request(path);
    expect(cacheLevel(miss)).toBe("db");
    expect(miss.headers.get("Set-Cookie")).toBeNull();
    expect(cacheLevel(await new Client().request(path))).toBe("edge");
    // Read twice, the entry is shared with the location's other isolates through the Cache API.
    const stored = await caches.default.match(edgeCacheKey(new URL(path, ORIGIN).toString()));
    expect(stored?.status).toBe(200);
    expect(stored?.headers.get("Set-Cookie")).toBeNull();
  });

  it("write to the Cache API only what is read again: a one-read entry stays in the isolate's memory", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const path = `/api/listings/${listing.slug}`;
    const key = edgeCacheKey(new URL(path, ORIGIN).toString());
    await new Client().request(path);
    expect(await caches.default.match(key)).toBeUndefined();
    expect(cacheLevel(await new Client().request(path))).toBe("edge");
    expect(await caches.default.match(key)).toBeDefined();
  });

  it("refresh a stale entry in the background only once it has been read before", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const path = `/api/listings/${listing.slug}`;
    const url = edgeCacheKey(new URL(path, ORIGIN).toString()).url;
    await new Client().request(path); // filled, never read
    const entry = edgeMemory.get(url)!;
    entry.storedAt -= (EDGE_FRESH_SECONDS + 1) * 1000;
    expect(cacheLevel(await new Client().request(path))).toBe("edge-stale");
    expect(edgeMemory.get(url)?.storedAt).toBe(entry.storedAt); // its first read: no refresh
    expect(cacheLevel(await new Client().request(path))).toBe("edge-stale");
    expect(edgeMemory.get(url)?.storedAt).toBeGreaterThan(entry.storedAt); // read again: refreshed
    expect(cacheLevel(await new Client().request(path))).toBe("edge");
  });
});

describe("an edge hit", () => {
  it("carries the reader's own request id and CORS headers, never the ones of the request that filled it", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const path = `/api/listings/${listing.slug}`;
    const page = `/listings/${listing.slug}`;
    const env = { CORS_ORIGINS: "https://app.example.org" };
    const filler = { Origin: "https://app.example.org", "X-Request-Id": "filler-1" };
    expect((await new Client().request(path, { env, headers: filler })).headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.org");
    await new Client().request(page, { env, headers: { ...filler, Accept: "text/html" } });

    for (const [url, accept] of [[path, "application/json"], [page, "text/html"]] as const) {
      const hit = await new Client().request(url, { env, headers: { "X-Request-Id": "reader-2", Accept: accept } });
      expect(cacheLevel(hit)).toBe("edge");
      expect(hit.headers.get("X-Request-Id")).toBe("reader-2");
      expect(hit.headers.get("Access-Control-Allow-Origin")).toBeNull();
    }
    const crossOrigin = await new Client().request(path, { env, headers: { Origin: "https://app.example.org" } });
    expect(cacheLevel(crossOrigin)).toBe("edge");
    expect(crossOrigin.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.org");
    expect(crossOrigin.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(crossOrigin.headers.get("Vary")).toContain("Origin");
  });
});

describe("invalidation", () => {
  it("shows the writer their change at once, drops the Redis entry, and shows others after the edge bound", async () => {
    const seller = await signedIn("seller");
    const listing = await publishedListing(seller.client, leafSlug);
    const path = `/api/listings/${listing.slug}`;
    await new Client().request(path); // fills Redis and this location's edge
    expect(await redis.get(cacheKeys.listing(listing.slug))).not.toBeNull();

    const res = await seller.client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { title: "I will draw a brand new logo today" } });
    expect(res.status).toBe(200);
    expect(await redis.get(cacheKeys.listing(listing.slug))).toBeNull();
    expect(await titleOf(await seller.client.request(path))).toBe("I will draw a brand new logo today");

    // Another location still holds the old page: simulate it by putting the old copy back, fresh.
    const stale = new Response(JSON.stringify({ listing: { ...listing } }), { headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=60", [STORED_AT]: String(Date.now()) } });
    await caches.default.put(edgeCacheKey(new URL(path, ORIGIN).toString()), stale);
    expect(await titleOf(await new Client().request(path))).toBe(listing.title); // within the fresh window
    await ageEdgeEntry(path, EDGE_FRESH_SECONDS + 1);
    const revalidating = await new Client().request(path);
    expect(cacheLevel(revalidating)).toBe("edge-stale"); // served once more while it refreshes
    const after = await new Client().request(path);
    expect(cacheLevel(after)).toBe("edge");
    expect(await titleOf(after)).toBe("I will draw a brand new logo today");
  });
});

describe("a new seller", () => {
  it("is found at once, though their name was looked up (and missed) just before", async () => {
    const client = new Client();
    const account = await client.signUp();
    await verifyEmail(client, account.email);
    const username = `n${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    expect((await new Client().request(`/api/sellers/${username}`)).status).toBe(404); // remembered in Redis
    expect((await client.post("/api/seller/onboard", { username, displayName: "New Seller", country: "US" })).status).toBe(201);
    expect((await new Client().request(`/api/sellers/${username}`)).status).toBe(200);
  });
});

describe("with a read replica", () => {
  it("drops the listing's Redis entry again once the replica has had time to catch up", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const key = cacheKeys.listing(listing.slug);
    const generation = Number((await redis.get(generationKey(key))) ?? 0);
    const withReplica = { DATABASE_REPLICA_URL: env.DATABASE_URL, READ_YOUR_WRITES_SECONDS: "1" };
    const writing = client.request(`/api/listings/${listing.id}`, { method: "PATCH", json: { title: "A title after the edit" }, env: withReplica });
    // Once the write has invalidated, a reader refills from a replica that has not replayed it yet.
    await eventually(async () => Number(await redis.get(generationKey(key))) > generation);
    await redis.set(key, { value: { ...listing, title: "the replica's old title" }, freshUntil: Date.now() + 60_000 });
    expect((await writing).status).toBe(200); // the request's deferred work includes the second drop
    expect(await redis.get(key)).toBeNull();
  });
});

describe("concurrent misses", () => {
  it("each load on their own (no request waits on another's load), and the next reader needs no database", async () => {
    const { client } = await signedIn("seller");
    const listing = await publishedListing(client, leafSlug);
    const readers = await Promise.all(Array.from({ length: 8 }, () => signedIn("buyer")));
    for (const reader of readers) reader.client.cookies.delete("rw"); // past their sign-up's read-your-writes window
    const responses = await Promise.all(readers.map(({ client: reader }) => reader.request(`/api/listings/${listing.slug}`)));
    expect(responses.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(responses.map(cacheLevel).every((level) => level === "db" || level === "redis")).toBe(true);
    await eventually(async () => (await redis.get(cacheKeys.listing(listing.slug))) !== null);
    const later = await readers[0]!.client.request(`/api/listings/${listing.slug}`);
    expect(["edge", "redis"]).toContain(cacheLevel(later)); // signed-in readers share the edge copy too
    expect(dbQueries(later)).toBe(0);
  });
});

describe("lists", () => {
  it("read one page in one query, whatever its size (no query per row)", async () => {
    const { client } = await signedIn("seller");
    const local = await createCategories();
    for (let i = 0; i < 6; i++) await publishedListing(client, local.leaf.slug);
    const member = await signedIn("buyer");
    const small = await member.client.request(`/api/listings?category=${local.leaf.slug}&limit=2`);
    const large = await member.client.request(`/api/listings?category=${local.leaf.slug}&limit=6`);
    expect(dbQueries(large)).toBe(dbQueries(small));
    expect(dbQueries(large)).toBeLessThanOrEqual(2); // the page, and the category tree when it is not cached
    const seller = await member.client.request(`/api/sellers/${(await titleSeller(client))}`);
    expect(dbQueries(seller)).toBeLessThanOrEqual(3);
  });
});

async function titleSeller(client: Client) {
  const me = await json<UserResponse>(await client.request("/api/me"));
  return me.user.seller!.username;
}
