import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listings, searchWords } from "../../workers/data/schema/index.ts";
import entry from "../../workers/index.ts";
import type { ListingJson } from "../../workers/domain/listing-views.ts";
import { refreshSearchVocabulary, type SearchResponse, type Suggestion } from "../../workers/domain/search.ts";
import { signedIn } from "../support/accounts.ts";
import { cacheLevel, freshCategories, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type RefusalBody } from "../support/json.ts";

type Categories = Awaited<ReturnType<typeof freshCategories>>;
let cats: Categories;
let seller: Client;
const made: Record<string, ListingJson> = {};
const anonymous = new Client();
const worker: ExportedHandler<Env> = entry;

const packages = (price: number, deliveryDays: number) => [{ tier: "basic", title: "Basic", price, deliveryDays, revisions: 1, features: [] }];
const plain = "Clear communication, fast turnaround and files you can use anywhere. Message me before ordering.";

async function make(name: string, categoryId: number, fields: { title: string; tags: string[]; description?: string; price?: number; days?: number }) {
  made[name] = await publishedListing(seller, categoryId, {
    title: fields.title,
    tags: fields.tags,
    description: fields.description ?? plain,
    packages: packages(fields.price ?? 5000, fields.days ?? 3),
    extras: [],
  });
}

async function quality(name: string, values: { ratingSum: number; ratingCount: number; completedOrders: number }) {
  await testDb().primary.update(listings).set(values).where(eq(listings.id, made[name]!.id));
}

/** Searches within this file's categories, so other files' listings never interfere. */
async function find(params: Record<string, string | number>, client = anonymous) {
  const query = new URLSearchParams({ category: cats.root.slug, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  const res = await client.request(`/api/search?${query.toString()}`);
  if (res.status !== 200) throw new Error(`search ${query.toString()} answered ${res.status}: ${await res.text()}`);
  return json<SearchResponse>(res);
}
const slugs = (page: SearchResponse) => page.items.map((item) => item.slug);
const slugOf = (name: string) => made[name]!.slug;

beforeAll(async () => {
  cats = await freshCategories();
  ({ client: seller } = await signedIn("seller"));
  await make("logoTitle", cats.leaf.id, { title: "I will design a minimalist logo for your startup", tags: ["branding"] });
  await make("logoDescription", cats.leaf.id, {
    title: "I will create brand guidelines for your company",
    tags: ["guidelines"],
    description: `Consistent colours and type, and a logo design review on request. ${plain}`,
  });
  await make("video", cats.otherLeaf.id, { title: "I will do professional video editing for youtube", tags: ["youtube"], price: 12000, days: 7 });
  await make("wordpress", cats.leaf.id, { title: "I will build a wordpress website for your business", tags: ["cms"], price: 30000, days: 14 });
  await make("seo", cats.otherLeaf.id, { title: "I will do search engine optimization for your shop", tags: ["ranking"], price: 2000, days: 1 });
  await make("brandMark", cats.leaf.id, { title: "I will draw a brand mark for your bakery", tags: ["illustration"], price: 3000, days: 2 });
  await quality("logoDescription", { ratingSum: 1000, ratingCount: 200, completedOrders: 1000 });
  await quality("seo", { ratingSum: 45, ratingCount: 10, completedOrders: 20 });
  await refreshSearchVocabulary(testDb());
}, 60_000);

describe("relevance", () => {
  it("ranks a title match above a description match whatever the quality boost", async () => {
    const page = await find({ q: "logo" });
    expect(slugs(page)).toContain(slugOf("logoDescription"));
    expect(slugs(page).indexOf(slugOf("logoTitle"))).toBeLessThan(slugs(page).indexOf(slugOf("logoDescription")));
  });

  it("matches the last word typed as a prefix, and the category names", async () => {
    expect(slugs(await find({ q: "wordpress webs" }))).toEqual([slugOf("wordpress")]);
    expect(slugs(await find({ q: `${cats.otherLeaf.name.split(" ")[2]}` }))).toEqual(expect.arrayContaining([slugOf("video"), slugOf("seo")]));
  });

  it("ranks the same words as a phrase above the words apart", async () => {
    const page = await find({ q: "brand mark" });
    expect(slugs(page)[0]).toBe(slugOf("brandMark"));
  });
});

describe("typos", () => {
  it.each([
    ["logo desgin", "logoTitle", "logo design"],
    ["wordpres website", "wordpress", "wordpress website"],
    ["vidoe editing", "video", "video editing"],
  ])("%s finds what it means and says what it searched", async (q, name, corrected) => {
    const page = await find({ q });
    expect(slugs(page)[0]).toBe(slugOf(name));
    expect(page.correctedQuery).toBe(corrected);
  });

  it("leaves known words alone", async () => {
    expect((await find({ q: "video editing" })).correctedQuery).toBeNull();
  });
});

describe("synonyms", () => {
  it("applies the built-in pairs both ways", async () => {
    expect(slugs(await find({ q: "seo" }))).toContain(slugOf("seo"));
    expect(slugs(await find({ q: "logo" }))).toContain(slugOf("brandMark"));
  });

  it("takes a new pair from an admin with no reindex, and refuses anyone else", async () => {
    const term = `zq${crypto.randomUUID().replaceAll(/[^a-f]/g, "").slice(0, 8)}`;
    expect(slugs(await find({ q: term }))).not.toContain(slugOf("video"));
    const { client: buyer } = await signedIn("buyer");
    expect((await buyer.post("/api/admin/search/synonyms", { term, synonym: "video editing" })).status).toBe(403);
    const { client: admin } = await signedIn("admin");
    expect((await admin.post("/api/admin/search/synonyms", { term, synonym: term })).status).toBe(400);
    expect((await admin.post("/api/admin/search/synonyms", { term, synonym: "Video Editing" })).status).toBe(201);
    expect((await admin.post("/api/admin/search/synonyms", { term, synonym: "video editing" })).status).toBe(200);
    expect(slugs(await find({ q: term, limit: 19 }))).toContain(slugOf("video"));
  });
});

describe("filters and facets", () => {
  it("filters by subcategory, price, delivery and rating", async () => {
    expect(slugs(await find({ category: cats.otherLeaf.slug })).sort()).toEqual([slugOf("video"), slugOf("seo")].sort());
    expect(slugs(await find({ minPrice: 10000, maxPrice: 40000 })).sort()).toEqual([slugOf("video"), slugOf("wordpress")].sort());
    expect(slugs(await find({ maxDeliveryDays: 2 })).sort()).toEqual([slugOf("seo"), slugOf("brandMark")].sort());
    expect(slugs(await find({ minRating: 4.5 }))).toEqual([slugOf("logoDescription"), slugOf("seo")]);
  });

  it("counts each facet with every other filter but its own, and agrees with the filtered results", async () => {
    const page = await find({ category: cats.leaf.slug, maxDeliveryDays: 7 });
    expect(page.total).toBe(page.items.length);
    expect(page.totalApproximate).toBe(false);
    const count = (slug: string) => page.facets!.category.find((entry) => entry.slug === slug)?.count;
    expect(count(cats.otherLeaf.slug)).toBe(2); // its own filter (category) is left out
    expect(count(cats.leaf.slug)).toBe((await find({ category: cats.leaf.slug, maxDeliveryDays: 7 })).total);
    const days = page.facets!.deliveryDays.find((band) => band.maxDays === 14)!.count;
    expect(days).toBe((await find({ category: cats.leaf.slug, maxDeliveryDays: 14 })).total);
    for (const band of page.facets!.price) {
      const filtered = await find({ category: cats.leaf.slug, maxDeliveryDays: 7, minPrice: band.min, maxPrice: (band.max ?? 10_000_001) - 1 });
      expect(filtered.total).toBe(band.count);
    }
  });

  it("keeps the counts of two picked categories", async () => {
    const page = await find({ category: `${cats.leaf.slug},${cats.otherLeaf.slug}` });
    const count = (slug: string) => page.facets!.category.find((entry) => entry.slug === slug)?.count;
    expect([count(cats.leaf.slug), count(cats.otherLeaf.slug)]).toEqual([4, 2]);
    expect(page.total).toBe(6);
  });
});

describe("sorts and cursors", () => {
  const sorts = ["relevance", "newest", "price_asc", "price_desc", "rating"] as const;

  async function walk(sort: string, q = "") {
    const seen: SearchResponse["items"] = [];
    let cursor: string | null = null;
    let inserted = false;
    do {
      const page: SearchResponse = await find({ q, sort, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!inserted) {
        inserted = true; // a listing arriving between pages must not shift the rest
        await make(`late-${sort}-${q}`, cats.leaf.id, { title: `I will design a cheap logo express ${sort}`, tags: ["logo"], price: 500, days: 1 });
      }
    } while (cursor);
    return seen;
  }

  it.each(sorts)("%s pages through every match once, in order, while listings arrive", async (sort) => {
    const before = await find({ sort, limit: 50 });
    const walked = await walk(sort);
    const original = new Set(slugs(before));
    expect(walked.filter((item) => original.has(item.slug)).map((item) => item.slug)).toEqual(slugs(before));
    expect(new Set(walked.map((item) => item.id)).size).toBe(walked.length);
    const prices = before.items.map((item) => item.startingPrice!.amount);
    if (sort === "price_asc") expect(prices).toEqual(prices.toSorted((a, b) => a - b));
    if (sort === "price_desc") expect(prices).toEqual(prices.toSorted((a, b) => b - a));
    if (sort === "newest") expect(before.items.map((item) => item.publishedAt)).toEqual(before.items.map((item) => item.publishedAt).toSorted().reverse());
    if (sort === "rating") expect(before.items.map((item) => item.rating ?? 0)).toEqual(before.items.map((item) => item.rating ?? 0).toSorted((a, b) => b - a));
  });

  it("pages a text search by relevance", async () => {
    const all = await find({ q: "logo", limit: 50 });
    const walked = await walk("relevance", "logo");
    const original = new Set(slugs(all));
    expect(walked.filter((item) => original.has(item.slug)).map((item) => item.slug)).toEqual(slugs(all));
  });
});

describe("bad input", () => {
  it.each([
    ["sort=best", "sort"],
    ["minPrice=5000&maxPrice=100", "minPrice"],
    ["minPrice=-1", "minPrice"],
    ["maxDeliveryDays=0", "maxDeliveryDays"],
    ["minRating=9", "minRating"],
    [`q=${"a".repeat(201)}`, "q"],
    ["cursor=bm90LWEtY3Vyc29y", "cursor"],
    ["limit=1000", "limit"],
  ])("%s is a 400 naming %s", async (query, path) => {
    const res = await anonymous.request(`/api/search?${query.toString()}`);
    expect(res.status).toBe(400);
    const body = await json<RefusalBody>(res);
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.details?.issues?.[0]?.path).toBe(path);
  });

  it("refuses another sort's cursor", async () => {
    const page = await find({ sort: "newest", limit: 1 });
    const res = await anonymous.request(`/api/search?sort=price_asc&cursor=${page.nextCursor}`);
    expect(res.status).toBe(400);
  });

  it.each(["", "a", "ab", "'; drop table listings; --", "logo & | ! ( ) : * <-> \"quoted\"", "🎨🎨 logo", "ロゴ デザイン", "%_\\"])(
    "answers %j without an error",
    async (q) => {
      const res = await anonymous.request(`/api/search?${new URLSearchParams({ q, category: cats.root.slug }).toString()}`);
      expect(res.status).toBe(200);
    },
  );

  it("counts searches and suggestions against a per-IP limit", async () => {
    const caller = new Client();
    const first = await caller.request("/api/search?q=logo");
    const second = await caller.request("/api/search/suggest?q=logo");
    expect(first.headers.get("RateLimit-Limit")).toBe("1200");
    expect(Number(second.headers.get("RateLimit-Remaining"))).toBe(Number(first.headers.get("RateLimit-Remaining")) - 1);
  });

  it("says which category is unknown", async () => {
    expect((await anonymous.request("/api/search?category=no-such-category")).status).toBe(404);
  });
});

describe("suggest", () => {
  const suggest = async (q: string) => {
    const res = await anonymous.request(`/api/search/suggest?${new URLSearchParams({ q }).toString()}`);
    expect(res.status).toBe(200);
    return (await json<{ items: Suggestion[] }>(res)).items;
  };

  it("completes prefixes and tolerates typos, ten at most", async () => {
    expect((await suggest("i will build a wordp")).map((item) => item.text)).toContain("i will build a wordpress website for your business");
    expect((await suggest("vidoe editing")).some((item) => item.text.includes("video editing"))).toBe(true);
    expect((await suggest(cats.leaf.name.toLowerCase())).map((item) => item.text)).toContain(cats.leaf.name.toLowerCase());
    expect((await suggest("i")).length).toBeLessThanOrEqual(10);
    expect((await anonymous.request("/api/search/suggest?q=")).status).toBe(400);
  });
});

describe("caching", () => {
  it("serves a repeated anonymous search from the edge, and never shares a signed-in one", async () => {
    const path = `/api/search?q=bakery&category=${cats.root.slug}&limit=5`;
    expect(cacheLevel(await new Client().request(path))).toBe("db");
    const again = await new Client().request(path);
    expect(cacheLevel(again)).toBe("edge");
    const { client: buyer } = await signedIn("buyer");
    const signedInRead = await buyer.request(path);
    expect(cacheLevel(signedInRead)).not.toBe("edge");
    expect(signedInRead.headers.get("Cache-Control")).toBe("private, no-store");
  });
});

describe("freshness", () => {
  it("drops a paused listing from the next search", async () => {
    expect(slugs(await find({ q: "bakery", limit: 3 }))).toContain(slugOf("brandMark"));
    expect((await seller.post(`/api/listings/${made.brandMark!.id}/pause`)).status).toBe(200);
    expect(slugs(await find({ q: "bakery", limit: 4 }))).not.toContain(slugOf("brandMark"));
    expect((await seller.post(`/api/listings/${made.brandMark!.id}/publish`)).status).toBe(200);
  });
});

describe("the vocabulary job", () => {
  it("takes a new listing's words into typo correction on the next cron run, and skips runs with nothing new", async () => {
    const word = `qu${crypto.randomUUID().replaceAll(/[^a-f]/g, "").slice(0, 6)}zzle`;
    await make("fresh", cats.leaf.id, { title: `I will solve your ${word} puzzle`, tags: ["puzzle"] });
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const [row] = await testDb().primary.select().from(searchWords).where(eq(searchWords.word, word));
    expect(row?.listings).toBe(1);
    expect(await refreshSearchVocabulary(testDb())).toBe(false);
    const typo = `uq${word.slice(2)}`;
    const page = await find({ q: `${typo} puzzle`, limit: 7 });
    expect(page.correctedQuery).toBe(`${word} puzzle`);
    expect(slugs(page)).toEqual([slugOf("fresh")]);
  });
});

describe("the search page", () => {
  it("shows results, the corrected query, facet counts and a search box in the header", async () => {
    const params = new URLSearchParams({ q: "logo desgin", category: cats.root.slug, price: "0-10000", sort: "relevance" });
    const res = await anonymous.request(`/search?${params.toString()}`, { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(/role="status">[^<]*(<strong>[^<]*)?/.exec(html)?.[0]).toContain("Showing results for <strong>logo design");
    expect(html).toContain(made.logoTitle!.title);
    expect(html).not.toContain(made.wordpress!.title);
    expect(html).toMatch(/name="q" value="logo desgin"/);
    expect(html).toMatch(new RegExp(`value="${cats.root.slug}" checked`));
    expect(html).toMatch(/value="5000-10000"\/>\$50 to \$100<span class="muted"> \(2\)/);
    expect(html).not.toMatch(/value="0-2500" checked/);
  });

  it("helps when nothing matches, and refuses bad filters with a page", async () => {
    const html = await (await anonymous.request(`/search?q=zzqqxxjj&category=${cats.root.slug}`)).text();
    expect(html).toContain("Search again without filters");
    expect((await anonymous.request("/search?sort=best", { headers: { Accept: "text/html" } })).status).toBe(400);
  });
});
