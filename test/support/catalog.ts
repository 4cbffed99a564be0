import { Redis } from "@upstash/redis/cloudflare";
import { env } from "cloudflare:workers";
import { categories } from "../../workers/data/schema/index.ts";
import { cacheKeys } from "../../workers/domain/cache-keys.ts";
import type { ListingJson, ListingResponse } from "../../workers/domain/listing-views.ts";
import type { Client } from "./client.ts";
import { testDb, uniqueSuffix } from "./db.ts";
import { json } from "./json.ts";

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });

/** A fresh top-level category with two subcategories (listings live in subcategories). */
export async function createCategories() {
  const suffix = uniqueSuffix();
  const db = testDb().primary;
  const [root] = await db.insert(categories).values({ slug: `root-${suffix}`, name: `Root ${suffix}` }).returning();
  const leaves = await db
    .insert(categories)
    .values([
      { slug: `leaf-a-${suffix}`, name: `Leaf A ${suffix}`, parentId: root!.id, position: 0 },
      { slug: `leaf-b-${suffix}`, name: `Leaf B ${suffix}`, parentId: root!.id, position: 1 },
    ])
    .returning();
  return { root: root!, leaf: leaves[0]!, otherLeaf: leaves[1]! };
}

/** Fresh categories in a fresh tree: the cached tree lives a minute, and anonymous pages read through it. */
export async function freshCategories() {
  const categories = await createCategories();
  await redis.del(cacheKeys.categories());
  return categories;
}

/** A price as the API takes and gives it. */
export const usd = (amount: number) => ({ amount, currency: "USD" });

/** A complete listing in the category with this slug, as POST /api/listings takes it. */
export function listingInput(category: string, overrides: Record<string, unknown> = {}) {
  return {
    title: `I will design a clean logo for your brand ${uniqueSuffix()}`,
    description: "I design **memorable** logos for small businesses. You get vector files, a colour palette and usage notes.",
    category,
    tags: ["logo", "branding"],
    packages: [
      { tier: "basic", title: "Starter", price: usd(2500), deliveryDays: 3, revisions: 1, features: ["1 concept"] },
      { tier: "standard", title: "Business", price: usd(6000), deliveryDays: 5, revisions: 3, features: ["3 concepts", "Source files"] },
    ],
    extras: [{ title: "Express delivery", price: usd(1500), addedDays: 0 }],
    faq: [{ question: "Do I get the source files?", answer: "Yes, with the Business package." }],
    ...overrides,
  };
}

/** Creates and publishes a listing as the given seller; returns the API's view of it. */
export async function publishedListing(seller: Client, category: string, overrides: Record<string, unknown> = {}): Promise<ListingJson> {
  const created = await seller.post("/api/listings", listingInput(category, overrides));
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
  const { listing } = await json<ListingResponse>(created);
  const published = await seller.post(`/api/listings/${listing.id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${await published.text()}`);
  return (await json<ListingResponse>(published)).listing;
}

/** The Server-Timing entries of a response, by name: `{ db: 'desc="1 query"', cache: 'desc=edge' … }`. */
export function serverTiming(res: Response): Record<string, string> {
  const entries = (res.headers.get("Server-Timing") ?? "").split(",").map((entry) => entry.trim().split(";"));
  return Object.fromEntries(entries.map(([name = "", ...rest]) => [name, rest.join(";")]));
}

/** How many database round trips the request made, from Server-Timing (0 when none). */
export function dbQueries(res: Response): number {
  return Number(/desc="(\d+) quer/.exec(serverTiming(res).db ?? "")?.[1] ?? 0);
}

export function cacheLevel(res: Response): string | undefined {
  return /desc="?([\w-]+)"?/.exec(serverTiming(res).cache ?? "")?.[1];
}
