import type { OrderSnapshot } from "../../workers/data/schema/index.ts";
import type { Columns } from "./bulk-load.ts";
import { DAY, HOUR } from "./clock.ts";
import type { GeneratedListing, PackageRow } from "./listings.ts";
import type { Random } from "./random.ts";
import { REQUIREMENTS, REVIEWS, SELLER_REPLIES } from "./texts.ts";

export type OrderRow = {
  id: string;
  listingId: string;
  buyerId: string;
  sellerId: string;
  packageTier: PackageRow["tier"];
  status: "completed";
  snapshot: string;
  requirements: string;
  currency: string;
  subtotal: number;
  buyerFee: number;
  total: number;
  sellerFee: number;
  revisionsUsed: number;
  dueAt: number;
  deliveredAt: number;
  completedAt: number;
  createdAt: number;
  updatedAt: number;
};

export type ReviewRow = {
  id: string;
  orderId: string;
  listingId: string;
  sellerId: string;
  buyerId: string;
  rating: number;
  communication: number;
  quality: number;
  value: number;
  text: string;
  sellerReply: string | null;
  sellerRepliedAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export const ORDER_COLUMNS: Columns<OrderRow> = {
  id: "uuid",
  listingId: "uuid",
  buyerId: "uuid",
  sellerId: "uuid",
  packageTier: "text",
  status: "text",
  snapshot: "jsonb",
  requirements: "text",
  currency: "text",
  subtotal: "int",
  buyerFee: "int",
  total: "int",
  sellerFee: "int",
  revisionsUsed: "smallint",
  dueAt: "timestamptz",
  deliveredAt: "timestamptz",
  completedAt: "timestamptz",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
};

export const REVIEW_COLUMNS: Columns<ReviewRow> = {
  id: "uuid",
  orderId: "uuid",
  listingId: "uuid",
  sellerId: "uuid",
  buyerId: "uuid",
  rating: "smallint",
  communication: "smallint",
  quality: "smallint",
  value: "smallint",
  text: "text",
  sellerReply: "text",
  sellerRepliedAt: "timestamptz",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
};

/** Demo fee schedule, in minor units: buyers pay 5.5% (+$2 under $50), sellers give up 20%. */
const buyerFee = (subtotal: number) => Math.round(subtotal * 0.055) + (subtotal < 5000 ? 200 : 0);
const sellerFee = (subtotal: number) => Math.round(subtotal * 0.2);

export interface Sales {
  orders: OrderRow[];
  reviews: ReviewRow[];
}

/**
 * Completed orders for published listings (older and luckier listings sell more, with a long tail of
 * bestsellers), most of them reviewed by their buyer, ratings skewed high as on real marketplaces.
 */
export function generateSales(random: Random, listings: GeneratedListing[], buyerIds: string[], now: number): Sales {
  const sales: Sales = { orders: [], reviews: [] };
  for (const listing of listings) {
    if (listing.published === null) continue;
    // Sales build up over a listing's first half year; the power law gives a few bestsellers hundreds.
    const ramp = Math.min(1, (now - listing.published) / (180 * DAY));
    let count = Math.min(300, Math.floor(ramp * 3 * ((1 - random.next()) ** -0.6 - 1)));
    if (listing.demo) count = Math.max(count, 4);
    for (let i = 0; i < count; i++) addSale(random, sales, listing, random.pick(buyerIds), now);
  }
  return sales;
}

function addSale(random: Random, sales: Sales, listing: GeneratedListing, buyerId: string, now: number): void {
  const weights = { basic: 55, standard: 30, premium: 15 };
  const pkg = random.weighted(listing.packages.map((p) => [p, weights[p.tier]] as const));
  // Ordered after publication, with room for the work and the review period before today.
  const published = listing.published ?? now;
  const window = now - published - (pkg.deliveryDays + 4) * DAY;
  if (window <= 0) return;
  const created = published + Math.floor(random.next() * window);
  const delivered = created + random.int(12, pkg.deliveryDays * 24) * HOUR;
  const completed = delivered + random.int(1, 72) * HOUR;
  const snapshot: OrderSnapshot = {
    listingTitle: listing.row.title,
    listingSlug: listing.row.slug,
    packageTitle: pkg.title,
    packageDescription: pkg.description,
    features: pkg.features,
    deliveryDays: pkg.deliveryDays,
    revisions: pkg.revisions,
    extras: [],
  };
  const order: OrderRow = {
    id: random.uuid(),
    listingId: listing.row.id,
    buyerId,
    sellerId: listing.row.sellerId,
    packageTier: pkg.tier,
    status: "completed",
    snapshot: JSON.stringify(snapshot),
    requirements: random.pick(REQUIREMENTS),
    currency: "USD",
    subtotal: pkg.price,
    buyerFee: buyerFee(pkg.price),
    total: pkg.price + buyerFee(pkg.price),
    sellerFee: sellerFee(pkg.price),
    revisionsUsed: random.int(0, Math.min(pkg.revisions ?? 2, 2)),
    dueAt: created + pkg.deliveryDays * DAY,
    deliveredAt: delivered,
    completedAt: completed,
    createdAt: created,
    updatedAt: completed,
  };
  sales.orders.push(order);
  if (random.chance(0.85)) sales.reviews.push(review(random, order, completed, now));
}

function review(random: Random, order: OrderRow, completed: number, now: number): ReviewRow {
  const rating = random.weighted([[5, 72], [4, 18], [3, 5], [2, 2], [1, 3]] as const);
  const aspect = () => Math.min(5, Math.max(1, rating + random.weighted([[0, 70], [-1, 15], [1, 15]] as const)));
  const mood = rating === 5 ? "great" : rating === 4 ? "good" : rating === 3 ? "mixed" : "poor";
  const text = random.chance(0.08) ? "" : random.sample(REVIEWS[mood], random.int(1, 2)).join(" ");
  const created = Math.min(now, completed + random.int(1, 96) * HOUR);
  const replied = random.chance(rating <= 3 ? 0.6 : 0.25) ? Math.min(now, created + random.int(2, 48) * HOUR) : null;
  return {
    id: random.uuid(),
    orderId: order.id,
    listingId: order.listingId,
    sellerId: order.sellerId,
    buyerId: order.buyerId,
    rating,
    communication: aspect(),
    quality: aspect(),
    value: aspect(),
    text,
    sellerReply: replied === null ? null : random.pick(SELLER_REPLIES[rating <= 3 ? "negative" : "positive"]),
    sellerRepliedAt: replied,
    createdAt: created,
    updatedAt: replied ?? created,
  };
}
