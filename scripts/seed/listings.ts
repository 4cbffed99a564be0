import type { FaqEntry } from "../../workers/data/schema/index.ts";
import type { Columns } from "./bulk-load.ts";
import type { LeafCategory } from "./category-types.ts";
import { DAY, HOUR } from "./clock.ts";
import type { Seller } from "./people.ts";
import { WeightedIndex, type Random } from "./random.ts";
import { CLOSERS, EXTRA_FAST, FAQ, fill, fixArticles, INTROS, OFFERS, TIER_DESCRIPTIONS, TIER_NAMES } from "./texts.ts";

export type ListingRow = {
  id: string;
  sellerId: string;
  categoryId: number;
  rootCategoryId: number;
  slug: string;
  title: string;
  description: string;
  tags: string[];
  faq: string;
  status: "draft" | "active" | "paused";
  startingPrice: number;
  minDeliveryDays: number;
  sellerName: string;
  publishedAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export type PackageRow = {
  listingId: string;
  tier: "basic" | "standard" | "premium";
  title: string;
  description: string;
  price: number;
  deliveryDays: number;
  revisions: number | null;
  features: string[];
};

export type ExtraRow = { id: string; listingId: string; title: string; price: number; addedDays: number; position: number };

export const LISTING_COLUMNS: Columns<ListingRow> = {
  id: "uuid",
  sellerId: "uuid",
  categoryId: "int",
  rootCategoryId: "int",
  slug: "text",
  title: "text",
  description: "text",
  tags: "text[]",
  faq: "jsonb",
  status: "text",
  startingPrice: "int",
  minDeliveryDays: "smallint",
  sellerName: "text",
  publishedAt: "timestamptz",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
};

export const PACKAGE_COLUMNS: Columns<PackageRow> = {
  listingId: "uuid",
  tier: "text",
  title: "text",
  description: "text",
  price: "int",
  deliveryDays: "smallint",
  revisions: "smallint",
  features: "text[]",
};

export const EXTRA_COLUMNS: Columns<ExtraRow> = { id: "uuid", listingId: "uuid", title: "text", price: "int", addedDays: "smallint", position: "smallint" };

/** A leaf category as stored, with the vocabulary its listings are written from. */
export type SeededLeaf = LeafCategory & { id: number; rootId: number };

export interface GeneratedListing {
  row: ListingRow;
  seller: Seller;
  packages: PackageRow[];
  extras: ExtraRow[];
  /** ms, or null for drafts. */
  published: number | null;
  /** Owned by the demo seller. */
  demo: boolean;
}

interface ListingOptions {
  count: number;
  sellers: Seller[];
  leaves: Map<string, SeededLeaf[]>;
  now: number;
}

/** How many listings the demo seller owns (all active, so their storefront looks real). */
const DEMO_LISTINGS = 6;

export function generateListings(random: Random, options: ListingOptions): GeneratedListing[] {
  const { sellers } = options;
  // A few busy sellers own many listings, most own a handful; the demo seller gets exactly DEMO_LISTINGS.
  const busy = new WeightedIndex(sellers.map((_, i) => (i === 0 ? 0 : 1 / (0.2 + random.next()))));
  const slug = slugMaker();
  const listings: GeneratedListing[] = [];
  for (let i = 0; i < options.count; i++) {
    const sellerIndex = i < DEMO_LISTINGS ? 0 : i < DEMO_LISTINGS + sellers.length - 1 ? i - DEMO_LISTINGS + 1 : busy.pick(random);
    const seller = sellers[sellerIndex] as Seller;
    const leaf = random.pick(options.leaves.get(seller.root.slug) ?? []);
    listings.push(generateListing(random, seller, leaf, slug, options.now, sellerIndex === 0));
  }
  return listings;
}

function generateListing(random: Random, seller: Seller, leaf: SeededLeaf, slug: (text: string) => string, now: number, demo: boolean): GeneratedListing {
  const id = random.uuid();
  const offer = fixArticles(fill(random.pick(leaf.titles), { style: random.pick(leaf.styles), subject: random.pick(leaf.subjects) }));
  const status = demo ? "active" : random.weighted([["active", 92], ["paused", 5], ["draft", 3]] as const);
  const published = status === "draft" ? null : now - (demo ? random.int(200, 360) * DAY : Math.floor(random.next() * 365 * DAY));
  const created = (published ?? now - random.int(1, 120) * DAY) - random.int(1, 72) * HOUR;
  const packages = generatePackages(random, id, seller, leaf);
  const basic = packages[0] as PackageRow;
  const description = [
    `${fill(random.pick(INTROS), { name: seller.firstName, role: seller.root.role, years: seller.years })} ${fill(random.pick(OFFERS), { offer })}`,
    random.sample(seller.root.pitches, 2).join(" "),
    random.pick(CLOSERS),
  ].join("\n\n");
  const faq: FaqEntry[] = random.sample(FAQ, random.int(2, 4));
  return {
    row: {
      id,
      sellerId: seller.id,
      categoryId: leaf.id,
      rootCategoryId: leaf.rootId,
      slug: slug(offer),
      title: `I will ${offer}`,
      description,
      tags: random.sample(leaf.tags, random.int(3, 6)),
      faq: JSON.stringify(faq),
      status,
      startingPrice: Math.min(...packages.map((p) => p.price)),
      minDeliveryDays: Math.min(...packages.map((p) => p.deliveryDays)),
      sellerName: seller.displayName,
      publishedAt: published,
      createdAt: created,
      updatedAt: published ?? created,
    },
    seller,
    packages,
    extras: generateExtras(random, id, seller, basic),
    published,
    demo,
  };
}

/** Basic, then optionally standard and premium, each pricier and richer than the one before. */
function generatePackages(random: Random, listingId: string, seller: Seller, leaf: SeededLeaf): PackageRow[] {
  const tiers = random.weighted([[1, 20], [2, 15], [3, 65]] as const);
  const features = random.sample(seller.root.features, 6);
  const [fastest, slowest] = seller.root.days;
  let price = roundPrice(leaf.price * (0.5 + random.next() * 1.5));
  let deliveryDays = random.int(fastest, slowest);
  let revisions: number | null = random.int(0, 2);
  const packages: PackageRow[] = [];
  for (const tier of (["basic", "standard", "premium"] as const).slice(0, tiers)) {
    if (tier !== "basic") {
      price = roundPrice((price / 100) * (1.5 + random.next() * 1.5));
      deliveryDays = Math.min(90, deliveryDays + random.int(0, tier === "standard" ? 3 : 5));
      revisions = tier === "premium" && random.chance(0.4) ? null : Math.min(20, (revisions ?? 0) + random.int(1, 4));
    }
    packages.push({
      listingId,
      tier,
      title: random.pick(TIER_NAMES[tier]),
      description: fill(random.pick(TIER_DESCRIPTIONS[tier]), { leaf: leaf.name.toLowerCase() }),
      price,
      deliveryDays,
      revisions,
      features: features.slice(0, { basic: tiers === 1 ? 3 : 2, standard: 4, premium: 6 }[tier]),
    });
  }
  return packages;
}

function generateExtras(random: Random, listingId: string, seller: Seller, basic: PackageRow): ExtraRow[] {
  const count = random.weighted([[0, 30], [1, 30], [2, 25], [3, 15]] as const);
  return random.sample([EXTRA_FAST, ...seller.root.extras], count).map((title, position) => ({
    id: random.uuid(),
    listingId,
    title,
    price: roundPrice((basic.price / 100) * (0.2 + random.next() * 0.6)),
    addedDays: title === EXTRA_FAST ? 0 : random.int(0, 3),
    position,
  }));
}

/** Dollars to cents, on a $5 step and never under the $5 minimum. */
const roundPrice = (dollars: number) => Math.max(5, Math.round(dollars / 5) * 5) * 100;

/** "design a minimalist logo" → design-a-minimalist-logo, then -2, -3... for repeats. */
function slugMaker(): (text: string) => string {
  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return (text) => {
    const base = text
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/'/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    let n = nextSuffix.get(base) ?? 1;
    let slug = n === 1 ? base : `${base}-${n}`;
    while (used.has(slug)) slug = `${base}-${++n}`;
    nextSuffix.set(base, n + 1);
    used.add(slug);
    return slug;
  };
}
