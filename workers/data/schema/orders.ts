import { sql } from "drizzle-orm";
import { bigserial, char, check, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, descending, id, timestamps } from "./columns.ts";
import { users } from "./accounts.ts";
import { listings, PACKAGE_TIERS } from "./catalog.ts";

export const ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "in_progress",
  "delivered",
  "revision_requested",
  "completed",
  "cancelled",
  "disputed",
  "resolved",
] as const;

/** What the buyer bought, frozen at order time: later listing edits never change an order. */
export interface OrderSnapshot {
  listingTitle: string;
  listingSlug: string;
  packageTitle: string;
  packageDescription: string;
  features: string[];
  deliveryDays: number;
  revisions: number | null;
  extras: { id: string; title: string; price: number; addedDays: number }[];
}

export const orders = pgTable(
  "orders",
  {
    id: id(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    buyerId: uuid()
      .notNull()
      .references(() => users.id),
    sellerId: uuid()
      .notNull()
      .references(() => users.id),
    packageTier: text({ enum: PACKAGE_TIERS }).notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull().default("pending_payment"),
    snapshot: jsonb().$type<OrderSnapshot>().notNull(),
    requirements: text().notNull().default(""),
    currency: char({ length: 3 }).notNull(),
    subtotal: integer().notNull(),
    buyerFee: integer().notNull(),
    total: integer().notNull(),
    sellerFee: integer().notNull(),
    revisionsUsed: smallint().notNull().default(0),
    dueAt: at(),
    deliveredAt: at(),
    completedAt: at(),
    cancelledAt: at(),
    /** Optimistic concurrency: the order's Durable Object writes with `where version = $expected`. */
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index("orders_buyer_idx").on(t.buyerId, descending(t.createdAt), descending(t.id)),
    index("orders_seller_idx").on(t.sellerId, descending(t.createdAt), descending(t.id)),
    index("orders_listing_idx").on(t.listingId),
    index("orders_open_due_idx").on(t.dueAt).where(sql`status in ('in_progress', 'revision_requested', 'delivered')`),
    check("orders_total", sql`${t.total} = ${t.subtotal} + ${t.buyerFee} and ${t.subtotal} > 0`),
  ],
);

export const orderEvents = pgTable(
  "order_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    type: text().notNull(),
    fromStatus: text({ enum: ORDER_STATUSES }),
    toStatus: text({ enum: ORDER_STATUSES }).notNull(),
    actorId: uuid().references(() => users.id),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("order_events_seq_idx").on(t.orderId, t.seq), index("order_events_actor_idx").on(t.actorId)],
);

export const payments = pgTable(
  "payments",
  {
    id: id(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    provider: text().notNull(),
    providerRef: text(),
    amount: integer().notNull(),
    refundedAmount: integer().notNull().default(0),
    currency: char({ length: 3 }).notNull(),
    status: text({ enum: ["pending", "succeeded", "failed", "refunded", "partially_refunded"] }).notNull().default("pending"),
    ...timestamps,
  },
  (t) => [
    index("payments_order_idx").on(t.orderId),
    uniqueIndex("payments_provider_ref_idx").on(t.provider, t.providerRef),
    check("payments_amount_positive", sql`${t.amount} > 0`),
    check("payments_refunded_amount", sql`${t.refundedAmount} between 0 and ${t.amount}`),
  ],
);

/** Provider webhooks seen, so a redelivered event is applied once. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    provider: text().notNull(),
    eventId: text().notNull(),
    type: text().notNull(),
    payload: jsonb().notNull(),
    processedAt: at(),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("webhook_events_idx").on(t.provider, t.eventId)],
);
