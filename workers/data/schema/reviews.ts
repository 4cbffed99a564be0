import { sql } from "drizzle-orm";
import { check, index, pgTable, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, descending, id, timestamps } from "./columns.ts";
import { users } from "./accounts.ts";
import { listings } from "./catalog.ts";
import { orders } from "./orders.ts";

const score = (name: string) => check(`reviews_${name}_range`, sql.raw(`${name} between 1 and 5`));

/** One review per completed order, by its buyer. */
export const reviews = pgTable(
  "reviews",
  {
    id: id(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: "cascade" }),
    sellerId: uuid()
      .notNull()
      .references(() => users.id),
    buyerId: uuid()
      .notNull()
      .references(() => users.id),
    rating: smallint().notNull(),
    communication: smallint().notNull(),
    quality: smallint().notNull(),
    value: smallint().notNull(),
    text: text().notNull().default(""),
    sellerReply: text(),
    sellerRepliedAt: at(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("reviews_order_idx").on(t.orderId),
    index("reviews_listing_idx").on(t.listingId, descending(t.createdAt), descending(t.id)),
    index("reviews_seller_idx").on(t.sellerId, descending(t.createdAt), descending(t.id)),
    index("reviews_buyer_idx").on(t.buyerId),
    score("rating"),
    score("communication"),
    score("quality"),
    score("value"),
  ],
);
