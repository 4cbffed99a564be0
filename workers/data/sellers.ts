import { and, eq, sql, type SQL } from "drizzle-orm";
import { cardColumns, type ListingCard } from "./catalog.ts";
import type { AnyDb } from "./db.ts";
import { after, newestFirst, type Key } from "./keyset.ts";
import { avatarJson } from "./listing-detail.ts";
import { listings, reviews, sellerProfiles, users } from "./schema/index.ts";

/** A public seller profile with its avatar; suspended sellers have none. */
export async function findPublicSeller(db: AnyDb, username: string) {
  const [row] = await db
    .select({ profile: sellerProfiles, avatar: avatarJson })
    .from(sellerProfiles)
    .innerJoin(users, eq(users.id, sellerProfiles.userId))
    .where(and(eq(sellerProfiles.username, username), eq(users.status, "active")));
  return row && { ...row.profile, avatar: row.avatar };
}

export async function listSellerListings(db: AnyDb, sellerId: string, options: { after?: Key; limit: number }): Promise<ListingCard[]> {
  return db
    .select(cardColumns)
    .from(listings)
    .where(and(eq(listings.sellerId, sellerId), eq(listings.status, "active"), after(listings.publishedAt, listings.id, options.after)))
    .orderBy(...newestFirst(listings.publishedAt, listings.id))
    .limit(options.limit + 1);
}

export interface ReviewRow {
  id: string;
  rating: number;
  communication: number;
  quality: number;
  value: number;
  text: string;
  sellerReply: string | null;
  buyerName: string;
  listingSlug: string | null;
  listingTitle: string | null;
  createdAt: Date;
}

/** Reviews of one listing or of everything a seller sells, newest first, with the buyer's first name. */
export async function listReviews(
  db: AnyDb,
  options: { listingId?: string; sellerId?: string; after?: Key; limit: number },
): Promise<ReviewRow[]> {
  const scope: SQL | undefined = options.listingId ? eq(reviews.listingId, options.listingId) : options.sellerId ? eq(reviews.sellerId, options.sellerId) : undefined;
  return db
    .select({
      id: reviews.id,
      rating: reviews.rating,
      communication: reviews.communication,
      quality: reviews.quality,
      value: reviews.value,
      text: reviews.text,
      sellerReply: reviews.sellerReply,
      buyerName: users.name,
      // A review stays on the seller's record, but a listing no longer live is not named or linked.
      listingSlug: sql<string | null>`case when ${listings.status} = 'active' then ${listings.slug} end`,
      listingTitle: sql<string | null>`case when ${listings.status} = 'active' then ${listings.title} end`,
      createdAt: reviews.createdAt,
    })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.buyerId))
    .innerJoin(listings, eq(listings.id, reviews.listingId))
    .where(and(scope, after(reviews.createdAt, reviews.id, options.after)))
    .orderBy(...newestFirst(reviews.createdAt, reviews.id))
    .limit(options.limit + 1);
}
