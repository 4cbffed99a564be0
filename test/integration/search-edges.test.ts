import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { categories, searchWords } from "../../workers/data/schema/index.ts";
import type { SearchResponse, Suggestion } from "../../workers/domain/search.ts";
import entry from "../../workers/index.ts";
import { signedIn } from "../support/accounts.ts";
import { cacheLevel } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type RefusalBody } from "../support/json.ts";
import { SearchFixture, slugs } from "../support/search.ts";

// Bad input, suggest, rate limits, caching, freshness, the vocabulary job and the page; ranking and the rest: search.test.ts.
const f = new SearchFixture();
const worker: ExportedHandler<Env> = entry;
beforeAll(() => f.setUp(), 60_000);

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
    const res = await f.anonymous.request(`/api/search?${query.toString()}`);
    expect(res.status).toBe(400);
    const body = await json<RefusalBody>(res);
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.details?.issues?.[0]?.path).toBe(path);
  });

  it("refuses another sort's cursor", async () => {
    const page = await f.find({ sort: "newest", limit: 1 });
    const res = await f.anonymous.request(`/api/search?sort=price_asc&cursor=${page.nextCursor}`);
    expect(res.status).toBe(400);
  });

  it.each(["", "a", "ab", "'; drop table listings; --", "logo & | ! ( ) : * <-> \"quoted\"", "🎨🎨 logo", "ロゴ デザイン", "%_\\"])(
    "answers %j without an error",
    async (q) => {
      const res = await f.anonymous.request(`/api/search?${new URLSearchParams({ q, category: f.cats.root.slug }).toString()}`);
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
    expect((await f.anonymous.request("/api/search?category=no-such-category")).status).toBe(404);
  });
});

describe("suggest", () => {
  const suggest = async (q: string) => {
    const res = await f.anonymous.request(`/api/search/suggest?${new URLSearchParams({ q }).toString()}`);
    expect(res.status).toBe(200);
    return (await json<{ items: Suggestion[] }>(res)).items;
  };

  it("completes prefixes and tolerates typos, ten at most", async () => {
    expect((await suggest("i will build a wordp")).map((item) => item.text)).toContain("i will build a wordpress website for your business");
    expect((await suggest("vidoe editing")).some((item) => item.text.includes("video editing"))).toBe(true);
    expect((await suggest(f.cats.leaf.name.toLowerCase())).map((item) => item.text)).toContain(f.cats.leaf.name.toLowerCase());
    expect((await suggest("i")).length).toBeLessThanOrEqual(10);
    expect((await f.anonymous.request("/api/search/suggest?q=")).status).toBe(400);
  });
});

describe("caching", () => {
  it("serves a repeated anonymous search from the edge, and never shares a signed-in one", async () => {
    const path = `/api/search?q=bakery&category=${f.cats.root.slug}&limit=5`;
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
    expect(slugs(await f.find({ q: "bakery", limit: 3 }))).toContain(f.slugOf("brandMark"));
    expect((await f.seller.post(`/api/listings/${f.made.brandMark!.id}/pause`)).status).toBe(200);
    expect(slugs(await f.find({ q: "bakery", limit: 4 }))).not.toContain(f.slugOf("brandMark"));
    expect((await f.seller.post(`/api/listings/${f.made.brandMark!.id}/publish`)).status).toBe(200);
  });

  it("changes a cached search answer within 5 seconds of a pause and of a publish", async () => {
    const path = `/api/search?q=wordpress&category=${f.cats.root.slug}&limit=5`;
    const wordpress = f.slugOf("wordpress");
    expect(slugs(await readAnonymously(path))).toContain(wordpress);
    expect(cacheLevel(await new Client().request(path))).toBe("edge"); // what others are served is a cached copy
    expect((await f.seller.post(`/api/listings/${f.made.wordpress!.id}/pause`)).status).toBe(200);
    expect(await seenWithin5Seconds(path, (found) => !found.includes(wordpress))).toBe(true);
    expect((await f.seller.post(`/api/listings/${f.made.wordpress!.id}/publish`)).status).toBe(200);
    expect(await seenWithin5Seconds(path, (found) => found.includes(wordpress))).toBe(true);
  });
});

describe("category names", () => {
  it("rewrites the documents of a renamed category's listings, its subcategories' included", async () => {
    const word = `zq${crypto.randomUUID().replaceAll(/[^a-f]/g, "").slice(0, 8)}`;
    expect(slugs(await f.find({ q: word }))).toEqual([]);
    await testDb().primary.update(categories).set({ name: `Bakeries ${word}` }).where(eq(categories.id, f.cats.root.id));
    expect(slugs(await f.find({ q: word, limit: 30 }))).toEqual(expect.arrayContaining([f.slugOf("logoTitle"), f.slugOf("video")]));
  });
});

const readAnonymously = async (path: string) => json<SearchResponse>(await new Client().request(path));

/** Reads as an anonymous visitor (edge and Redis copies in play) until the answer is as wanted, for 5 seconds at most. */
async function seenWithin5Seconds(path: string, wanted: (found: string[]) => boolean): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (Date.now() <= deadline) {
    if (wanted(slugs(await readAnonymously(path)))) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

describe("the vocabulary job", () => {
  it("takes a new listing's words into typo correction on the next cron run", async () => {
    const word = `qu${crypto.randomUUID().replaceAll(/[^a-f]/g, "").slice(0, 6)}zzle`;
    await f.make("fresh", f.cats.leaf.slug, { title: `I will solve your ${word} puzzle`, tags: ["puzzle"] });
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const [row] = await testDb().primary.select().from(searchWords).where(eq(searchWords.word, word));
    expect(row?.listings).toBe(1);
    const typo = `uq${word.slice(2)}`;
    const page = await f.find({ q: `${typo} puzzle`, limit: 7 });
    expect(page.correctedQuery).toBe(`${word} puzzle`);
    expect(slugs(page)).toEqual([f.slugOf("fresh")]);
  });
});

describe("the search page", () => {
  it("shows results, the corrected query, facet counts and a search box in the header", async () => {
    const params = new URLSearchParams({ q: "logo desgin", category: f.cats.root.slug, price: "0-10000", sort: "relevance" });
    const res = await f.anonymous.request(`/search?${params.toString()}`, { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(/role="status">[^<]*(<strong>[^<]*)?/.exec(html)?.[0]).toContain("Showing results for <strong>logo design");
    expect(html).toContain(f.made.logoTitle!.title);
    expect(html).not.toContain(f.made.wordpress!.title);
    expect(html).toMatch(/name="q" value="logo desgin"/);
    expect(html).toMatch(new RegExp(`value="${f.cats.root.slug}" checked`));
    expect(html).toMatch(/value="5000-10000"\/>\$50 to \$100<span class="muted"> \(2\)/);
    expect(html).not.toMatch(/value="0-2500" checked/);
  });

  it("helps when nothing matches, and refuses bad filters with a page", async () => {
    const html = await (await f.anonymous.request(`/search?q=zzqqxxjj&category=${f.cats.root.slug}`)).text();
    expect(html).toContain("Search again without filters");
    expect((await f.anonymous.request("/search?sort=best", { headers: { Accept: "text/html" } })).status).toBe(400);
  });
});
