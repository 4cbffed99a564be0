import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../workers/data/db.ts";
import { searchFacets } from "../../workers/data/search.ts";
import { facetScale, type SearchResponse } from "../../workers/domain/search.ts";
import { signedIn } from "../support/accounts.ts";
import { freshCategories } from "../support/catalog.ts";
import { testDb } from "../support/db.ts";
import { SearchFixture, slugs } from "../support/search.ts";

// Ranking, typos, synonyms, facets and cursors (docs/search.md); input, caching and pages: search-edges.test.ts.
const f = new SearchFixture();
beforeAll(() => f.setUp(), 60_000);

describe("relevance", () => {
  it("ranks a title match above a description match whatever the quality boost", async () => {
    const page = await f.find({ q: "logo" });
    expect(slugs(page)).toContain(f.slugOf("logoDescription"));
    expect(slugs(page).indexOf(f.slugOf("logoTitle"))).toBeLessThan(slugs(page).indexOf(f.slugOf("logoDescription")));
  });

  it("matches the last word typed as a prefix, and the category names", async () => {
    expect(slugs(await f.find({ q: "wordpress webs" }))).toEqual([f.slugOf("wordpress")]);
    expect(slugs(await f.find({ q: `${f.cats.otherLeaf.name.split(" ")[2]}` }))).toEqual(expect.arrayContaining([f.slugOf("video"), f.slugOf("seo")]));
  });

  it("ranks the same words as a phrase above the words apart", async () => {
    const page = await f.find({ q: "brand mark" });
    expect(slugs(page)[0]).toBe(f.slugOf("brandMark"));
  });
});

describe("typos", () => {
  it.each([
    ["logo desgin", "logoTitle", "logo design"],
    ["wordpres website", "wordpress", "wordpress website"],
    ["vidoe editing", "video", "video editing"],
  ])("%s finds what it means and says what it searched", async (q, name, corrected) => {
    const page = await f.find({ q });
    expect(slugs(page)[0]).toBe(f.slugOf(name));
    expect(page.correctedQuery).toBe(corrected);
  });

  it("leaves known words alone", async () => {
    expect((await f.find({ q: "video editing" })).correctedQuery).toBeNull();
  });
});

describe("synonyms", () => {
  it("applies the built-in pairs both ways", async () => {
    expect(slugs(await f.find({ q: "seo" }))).toContain(f.slugOf("seo"));
    expect(slugs(await f.find({ q: "logo" }))).toContain(f.slugOf("brandMark"));
  });

  it("takes a new pair from an admin with no reindex, and refuses anyone else", async () => {
    const term = `zq${crypto.randomUUID().replaceAll(/[^a-f]/g, "").slice(0, 8)}`;
    expect(slugs(await f.find({ q: term }))).not.toContain(f.slugOf("video"));
    const { client: buyer } = await signedIn("buyer");
    expect((await buyer.post("/api/admin/search/synonyms", { term, synonym: "video editing" })).status).toBe(403);
    const { client: admin } = await signedIn("admin");
    expect((await admin.post("/api/admin/search/synonyms", { term, synonym: term })).status).toBe(400);
    expect((await admin.post("/api/admin/search/synonyms", { term, synonym: "Video Editing" })).status).toBe(201);
    expect((await admin.post("/api/admin/search/synonyms", { term, synonym: "video editing" })).status).toBe(200);
    expect(slugs(await f.find({ q: term, limit: 19 }))).toContain(f.slugOf("video"));
  });
});

describe("filters and facets", () => {
  it("filters by subcategory, price, delivery and rating", async () => {
    expect(slugs(await f.find({ category: f.cats.otherLeaf.slug })).sort()).toEqual([f.slugOf("video"), f.slugOf("seo")].sort());
    expect(slugs(await f.find({ category: f.cats.otherLeaf.slug.toUpperCase() })).sort()).toEqual([f.slugOf("video"), f.slugOf("seo")].sort());
    expect(slugs(await f.find({ minPrice: 10000, maxPrice: 40000 })).sort()).toEqual([f.slugOf("video"), f.slugOf("wordpress")].sort());
    expect(slugs(await f.find({ maxDeliveryDays: 2 })).sort()).toEqual([f.slugOf("seo"), f.slugOf("brandMark")].sort());
    expect(slugs(await f.find({ minRating: 4.5 }))).toEqual([f.slugOf("logoDescription"), f.slugOf("seo")]);
  });

  it("counts each facet with every other filter but its own, and agrees with the filtered results", async () => {
    const page = await f.find({ category: f.cats.leaf.slug, maxDeliveryDays: 7 });
    expect(page.total).toBe(page.items.length);
    expect(page.totalApproximate).toBe(false);
    const count = (slug: string) => page.facets!.category.find((entry) => entry.slug === slug)?.count;
    expect(count(f.cats.otherLeaf.slug)).toBe(2); // its own filter (category) is left out
    expect(count(f.cats.leaf.slug)).toBe((await f.find({ category: f.cats.leaf.slug, maxDeliveryDays: 7 })).total);
    const days = page.facets!.deliveryDays.find((band) => band.maxDays === 14)!.count;
    expect(days).toBe((await f.find({ category: f.cats.leaf.slug, maxDeliveryDays: 14 })).total);
    for (const band of page.facets!.price) {
      const filtered = await f.find({ category: f.cats.leaf.slug, maxDeliveryDays: 7, minPrice: band.min, maxPrice: (band.max ?? 10_000_001) - 1 });
      expect(filtered.total).toBe(band.count);
    }
  });

  it("counts a random share of the listings, by id, when the candidates pass the bound", async () => {
    const word = `zq${crypto.randomUUID().replaceAll(/[^a-f]/g, "").slice(0, 8)}`;
    const { leaf } = await freshCategories(); // apart from the fixture's categories, whose counts other tests know
    for (let i = 0; i < 24; i += 6) {
      await Promise.all([0, 1, 2, 3, 4, 5].map((j) => f.make(`sampled${i + j}`, leaf.slug, { title: `I will sample ${word} ${i + j}`, tags: ["sample"] })));
    }
    // How many of them have an id in each sample's share of the id space (1: all).
    const shares = [
      [1, "ffffffff-ffff-ffff-ffff-ffffffffffff"],
      [16, "10000000-0000-0000-0000-000000000000"],
      [64, "04000000-0000-0000-0000-000000000000"],
      [256, "01000000-0000-0000-0000-000000000000"],
    ] as const;
    const sizes = await Promise.all(
      shares.map(async ([of, below]) => {
        const [row] = await queryRows<{ n: number }>(testDb().read, sql`select count(*)::int as n from listing_search where search @@ to_tsquery('english', ${word}) and id <= ${below}::uuid`);
        return { of, n: row!.n };
      }),
    );
    const filters = { leafCategoryIds: [], rootCategoryIds: [], minPrice: undefined, maxPrice: undefined, maxDeliveryDays: undefined, minRating: undefined };
    expect(sizes[0]!.n).toBe(24);
    for (const { n: bound } of sizes) {
      const rows = await searchFacets(testDb().read, { text: { tsquery: `'${word}'`, phrase: null }, filters, bound });
      // The first sample that fits the bound, else the smallest.
      const expected = sizes.find((size) => size.n <= bound) ?? sizes.at(-1)!;
      expect({ sample: facetScale(rows), candidates: rows.find((row) => row.facet === "candidates")!.count }).toEqual({ sample: expected.of, candidates: expected.n });
    }
  });

  it("keeps the counts of two picked categories", async () => {
    const page = await f.find({ category: `${f.cats.leaf.slug},${f.cats.otherLeaf.slug}` });
    const count = (slug: string) => page.facets!.category.find((entry) => entry.slug === slug)?.count;
    expect([count(f.cats.leaf.slug), count(f.cats.otherLeaf.slug)]).toEqual([4, 2]);
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
      const page: SearchResponse = await f.find({ q, sort, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!inserted) {
        inserted = true; // a listing arriving between pages must not shift the rest
        await f.make(`late-${sort}-${q}`, f.cats.leaf.slug, { title: `I will design a cheap logo express ${sort}`, tags: ["logo"], price: 500, days: 1 });
      }
    } while (cursor);
    return seen;
  }

  it.each(sorts)("%s pages through every match once, in order, while listings arrive", async (sort) => {
    const before = await f.find({ sort, limit: 50 });
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

  // Pages of two from the sort's index window, and the last from every match gathered and sorted.
  it.each(sorts)("pages a text search by %s", async (sort) => {
    const all = await f.find({ q: "logo", sort, limit: 50 });
    const walked = await walk(sort, "logo");
    const original = new Set(slugs(all));
    expect(walked.filter((item) => original.has(item.slug)).map((item) => item.slug)).toEqual(slugs(all));
  });
});

