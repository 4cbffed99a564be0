import { eq } from "drizzle-orm";
import { listings } from "../../workers/data/schema/index.ts";
import type { ListingJson } from "../../workers/domain/listing-views.ts";
import { refreshSearchVocabulary, type SearchResponse } from "../../workers/domain/search.ts";
import { signedIn } from "./accounts.ts";
import { freshCategories, publishedListing, usd } from "./catalog.ts";
import { Client } from "./client.ts";
import { testDb } from "./db.ts";
import { json } from "./json.ts";

const packages = (price: number, deliveryDays: number) => [{ tier: "basic", title: "Basic", price: usd(price), deliveryDays, revisions: 1, features: [] }];
export const PLAIN_DESCRIPTION = "Clear communication, fast turnaround and files you can use anywhere. Message me before ordering.";

export const slugs = (page: SearchResponse) => page.items.map((item) => item.slug);

/**
 * Listings with known words, prices, delivery times and quality in fresh categories, and searches scoped
 * to those categories, so other test files' listings never interfere. `setUp` in a beforeAll.
 */
export class SearchFixture {
  cats!: Awaited<ReturnType<typeof freshCategories>>;
  seller!: Client;
  readonly made: Record<string, ListingJson> = {};
  readonly anonymous = new Client();

  async setUp() {
    this.cats = await freshCategories();
    ({ client: this.seller } = await signedIn("seller"));
    const { leaf, otherLeaf } = this.cats;
    await this.make("logoTitle", leaf.slug, { title: "I will design a minimalist logo for your startup", tags: ["branding"] });
    await this.make("logoDescription", leaf.slug, {
      title: "I will create brand guidelines for your company",
      tags: ["guidelines"],
      description: `Consistent colours and type, and a logo design review on request. ${PLAIN_DESCRIPTION}`,
    });
    await this.make("video", otherLeaf.slug, { title: "I will do professional video editing for youtube", tags: ["youtube"], price: 12000, days: 7 });
    await this.make("wordpress", leaf.slug, { title: "I will build a wordpress website for your business", tags: ["cms"], price: 30000, days: 14 });
    await this.make("seo", otherLeaf.slug, { title: "I will do search engine optimization for your shop", tags: ["ranking"], price: 2000, days: 1 });
    await this.make("brandMark", leaf.slug, { title: "I will draw a brand mark for your bakery", tags: ["illustration"], price: 3000, days: 2 });
    await this.quality("logoDescription", { ratingSum: 1000, ratingCount: 200, completedOrders: 1000 });
    await this.quality("seo", { ratingSum: 45, ratingCount: 10, completedOrders: 20 });
    await refreshSearchVocabulary(testDb());
  }

  async make(name: string, category: string, fields: { title: string; tags: string[]; description?: string; price?: number; days?: number }) {
    this.made[name] = await publishedListing(this.seller, category, {
      title: fields.title,
      tags: fields.tags,
      description: fields.description ?? PLAIN_DESCRIPTION,
      packages: packages(fields.price ?? 5000, fields.days ?? 3),
      extras: [],
    });
  }

  private async quality(name: string, values: { ratingSum: number; ratingCount: number; completedOrders: number }) {
    await testDb().primary.update(listings).set(values).where(eq(listings.id, this.made[name]!.id));
  }

  /** GET /api/search within this fixture's top-level category (unless the params name another). */
  async find(params: Record<string, string | number>, client = this.anonymous) {
    const query = new URLSearchParams({ category: this.cats.root.slug, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
    const res = await client.request(`/api/search?${query.toString()}`);
    if (res.status !== 200) throw new Error(`search ${query.toString()} answered ${res.status}: ${await res.text()}`);
    return json<SearchResponse>(res);
  }

  slugOf(name: string) {
    return this.made[name]!.slug;
  }
}
