import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import { signWriteMarker } from "../../workers/domain/tokens.ts";
import { edgeCacheKey, edgeMemory, purgeEdge } from "../../workers/middleware/edge-cache.ts";
import { verifyEmail } from "../support/accounts.ts";
import { justWroteCookie } from "../support/app.ts";
import { cacheLevel, createCategories, dbQueries, listingInput, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { json } from "../support/json.ts";

const ORIGIN = "https://market.example";
const unique = () => crypto.randomUUID().replaceAll("-", "").slice(0, 12);

/** A signed-in client with a name of its own, past its sign-up's read-your-writes window. */
async function member(label: string) {
  const client = new Client();
  const account = await client.signUp({ name: `${label} ${unique()}` });
  client.cookies.delete("rw");
  return { client, ...account };
}

/** A seller with one live listing and one draft that only they may see (in their dashboard). */
async function sellerWithDraft(category: string) {
  const seller = await member("Seller account");
  await verifyEmail(seller.client, seller.email);
  const username = `o${unique()}`;
  expect((await seller.client.post("/api/seller/onboard", { username, displayName: `Shop ${unique()}`, country: "US" })).status).toBe(201);
  const listing = await publishedListing(seller.client, category);
  const draftTitle = `I will keep this draft secret ${unique()}`;
  const draft = await seller.client.post("/api/listings", listingInput(category, { title: draftTitle }));
  const { listing: draftListing } = await json<ListingResponse>(draft);
  seller.client.cookies.delete("rw");
  return { seller, username, listing, draft: { id: draftListing.id, slug: draftListing.slug, title: draftTitle } };
}

/** Another browser of the same account that has just written (its read-your-writes window is open). */
async function justWrote(client: Client) {
  const other = new Client();
  for (const [name, value] of client.cookies) other.cookies.set(name, value);
  const [name = "", value = ""] = (await justWroteCookie()).split("=");
  other.cookies.set(name, value);
  return other;
}

type Viewer = { name: string; client: Client; kind: "anonymous" | "buyer" | "seller" };

/** Every ordering of the items (n! of them). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

let category: string;
beforeAll(async () => {
  category = (await createCategories()).leaf.slug;
});

describe("what the edge shares between readers", () => {
  it("never shows one reader another's name, links, forms, owner controls or drafts, in any order of reads", async () => {
    const { seller, username, listing, draft } = await sellerWithDraft(category);
    const buyer = await member("Buyer account");
    const viewers: Viewer[] = [
      { name: "anonymous", client: new Client(), kind: "anonymous" },
      { name: "buyer", client: buyer.client, kind: "buyer" },
      { name: "seller", client: seller.client, kind: "seller" },
      // The same seller in another browser, just after a write: read past the edge, rendered for them.
      { name: "seller who just wrote", client: await justWrote(seller.client), kind: "seller" },
    ];
    const personal = { buyer: [buyer.name, buyer.email, buyer.id], seller: [seller.name, seller.email, seller.id] };
    const pages = ["/", `/listings/${listing.slug}`, `/sellers/${username}`];
    const apis = [`/api/listings/${listing.slug}`, `/api/sellers/${username}`, "/api/listings"];
    const jsonBodies = new Map<string, Set<string>>();

    for (const order of permutations(viewers)) {
      await purgeEdge(ORIGIN, [...pages, ...apis]); // the first reader of this order fills the edge
      for (const path of [...pages, ...apis]) {
        for (const viewer of order) {
          const res = await viewer.client.request(path, { headers: { Accept: path.startsWith("/api/") ? "application/json" : "text/html" } });
          const where = `${viewer.name} reading ${path} (order: ${order.map((v) => v.name).join(", ")})`;
          expect(res.status, where).toBe(200);
          expect(res.headers.get("Set-Cookie"), where).toBeNull();
          const body = await res.text();
          // Nobody's private details reach anyone, themselves included, on a public address; no draft either.
          for (const secret of [...personal.buyer, ...personal.seller, draft.title, draft.id]) expect(body, where).not.toContain(secret);
          // No owner control on a shared address: the owner edits in the dashboard, which is never cached.
          expect(body, where).not.toContain(`/seller/listings/${listing.id}`);
          if (path.startsWith("/api/")) {
            jsonBodies.set(path, (jsonBodies.get(path) ?? new Set()).add(body));
          } else {
            expectAccountLinksOf(viewer.kind, body, where);
            if (viewer.kind !== "anonymous") expect(res.headers.get("Cache-Control"), where).toBe("private, no-store");
          }
        }
      }
    }
    // Public JSON is the same document for every reader.
    for (const [path, bodies] of jsonBodies) expect(bodies.size, path).toBe(1);
    // The owner's controls and draft live on their own, uncached dashboard.
    const dashboard = await seller.client.request("/seller/listings", { headers: { Accept: "text/html" } });
    expect(dashboard.headers.get("Cache-Control")).toContain("no-store");
    expect(await dashboard.text()).toContain(draft.title);
  }, 180_000); // 24 orders of 4 readers over 6 addresses: 576 requests

  it("serves a signed-in reader of a listing page from the edge, filled in with no database round trip", async () => {
    const listing = await publishedListing((await sellerWithDraft(category)).seller.client, category);
    const path = `/listings/${listing.slug}`;
    await new Client().request(path, { headers: { Accept: "text/html" } });
    const buyer = await member("Reader");
    const res = await buyer.client.request(path, { headers: { Accept: "text/html" } });
    expect(cacheLevel(res)).toBe("edge");
    expect(dbQueries(res)).toBe(0);
    expect(await res.text()).toContain("Sign out");
  });

  it("splices a member's links into the stored bytes, past characters of any width, and into a copy from the location's Cache API", async () => {
    const title = `I will draw café crème brûlée menus ☕ ${unique()}`;
    const listing = await publishedListing((await sellerWithDraft(category)).seller.client, category, { title });
    const path = `/listings/${listing.slug}`;
    const html = { headers: { Accept: "text/html" } };
    const key = edgeCacheKey(new URL(path, ORIGIN).toString());
    const anonymous = await (await new Client().request(path, html)).text();
    await new Client().request(path, html); // read twice: shared through the Cache API
    expect(await caches.default.match(key)).toBeDefined();
    edgeMemory.delete(key.url); // as another isolate at this location finds it
    const buyer = await member("Reader");
    const res = await buyer.client.request(path, html);
    expect(cacheLevel(res)).toBe("edge");
    const page = await res.text();
    expectAccountLinksOf("buyer", page, "a copy from the Cache API");
    expect(page).toContain(title);
    // Everything but the account links is the shared page, byte for byte.
    const links = /<nav class="account-nav[^"]*" aria-label="Account">.*?<\/nav>/s;
    expect(page.replace(links, "")).toBe(anonymous.replace(links, ""));
  });
});

describe("a signed-in browser on a page that cannot be shared", () => {
  it("gets the HTML error page with its own account links, private and never stored", async () => {
    const { draft } = await sellerWithDraft(category);
    const buyer = await member("Lost reader");
    const html = { headers: { Accept: "text/html" } };
    for (const path of [`/listings/no-such-${unique()}`, `/categories/no-such-${unique()}`, `/sellers/no-such-${unique()}`, `/listings/${draft.slug}`]) {
      const res = await buyer.client.request(path, html);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type"), path).toMatch(/^text\/html/);
      expect(res.headers.get("Cache-Control"), path).toContain("no-store");
      const page = await res.text();
      expect(page, path).toContain("Page not found");
      expectAccountLinksOf("buyer", page, path);
      expect(edgeMemory.get(new URL(path, ORIGIN).toString()), path).toBeUndefined();
    }
  });
});

describe("a signed-in reader's edge miss", () => {
  it("carries one Server-Timing header with one total", async () => {
    const { listing } = await sellerWithDraft(category);
    const buyer = await member("Timed reader");
    for (const path of [`/listings/${listing.slug}`, `/api/listings/${listing.slug}`]) {
      await purgeEdge(ORIGIN, [path]);
      const res = await buyer.client.request(path, { headers: { Accept: path.startsWith("/api/") ? "application/json" : "text/html" } });
      expect(res.status, path).toBe(200);
      const timing = res.headers.get("Server-Timing") ?? "";
      expect(timing.match(/(^|,\s*)total;/g), timing).toHaveLength(1);
      expect(cacheLevel(res), timing).toMatch(/^(db|redis)$/);
    }
  });
});

describe("a browser that signs in", () => {
  it("never gets a 304 for the anonymous copy it kept: its signed-in page comes whole", async () => {
    const { listing } = await sellerWithDraft(category);
    const path = `/listings/${listing.slug}`;
    await new Client().request(path, { headers: { Accept: "text/html" } });
    const kept = await new Client().request(path, { headers: { Accept: "text/html" } });
    const etag = kept.headers.get("ETag");
    expect(etag).toBeTruthy();
    const buyer = await member("Returning");
    const res = await buyer.client.request(path, { headers: { Accept: "text/html", "If-None-Match": etag! } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Sign out");
  });
});

function expectAccountLinksOf(kind: Viewer["kind"], html: string, where: string) {
  const signedIn = kind !== "anonymous";
  expect(html.includes("Sign out"), where).toBe(signedIn);
  expect(html.includes('action="/logout"'), where).toBe(signedIn);
  expect(html.includes('href="/account"'), where).toBe(signedIn);
  expect(html.includes('href="/login"'), where).toBe(!signedIn);
  expect(html.includes('href="/seller/listings"'), where).toBe(kind === "seller");
}

describe("cache bypass costs nothing extra", () => {
  async function cachedListingPath() {
    const { listing } = await sellerWithDraft(category);
    const path = `/api/listings/${listing.slug}`;
    await new Client().request(path);
    expect(cacheLevel(await new Client().request(path))).toBe("edge");
    return path;
  }

  it("a forged or expired read-your-writes cookie is served from the edge like anyone", async () => {
    const path = await cachedListingPath();
    const expired = await signWriteMarker(env.SESSION_SECRET, 10, Date.now() - 60_000);
    const wrongKey = await signWriteMarker("another-secret-another-secret-another", 60);
    for (const marker of ["1", expired, wrongKey, `${expired.split(".")[0]}.${wrongKey.split(".")[1]}`]) {
      const res = await new Client().request(path, { headers: { Cookie: `rw=${marker}` } });
      expect(cacheLevel(res), marker).toBe("edge");
      expect(dbQueries(res), marker).toBe(0);
    }
    // A real writer's marker still reads past the caches.
    const writer = await new Client().request(path, { headers: { Cookie: await justWroteCookie() } });
    expect(cacheLevel(writer)).not.toMatch(/^edge/);
  });

  it("a garbage session cookie is served from the edge like an anonymous visitor", async () => {
    const path = await cachedListingPath();
    const res = await new Client().request(path, { headers: { Cookie: "__Host-session=garbage.not.a-token" } });
    expect(cacheLevel(res)).toBe("edge");
    expect(dbQueries(res)).toBe(0);
    const page = await new Client().request(path.replace("/api", ""), { headers: { Cookie: "__Host-session=garbage", Accept: "text/html" } });
    expect(await page.text()).toContain('href="/login"');
  });
});

describe("a response that sets a cookie", () => {
  it("is never marked public nor stored at the edge", async () => {
    const path = `/api/categories?probe=${unique()}`;
    // A dead refresh cookie: the app clears the session cookies on a public read.
    const res = await new Client().request(path, { headers: { Cookie: "__Host-refresh=dead" } });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().length).toBeGreaterThan(0);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await caches.default.match(edgeCacheKey(new URL(path, ORIGIN).toString()))).toBeUndefined();
  });
});
