import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyDb } from "./db.ts";
import { categories, images, listingExtras, listingPackages, listings, PACKAGE_TIERS, sellerProfiles, type FaqEntry } from "./schema/index.ts";

/** The tiers in their display order, as a Postgres array, so packages come back basic, standard, premium. */
const TIER_ARRAY = sql`array[${sql.join(PACKAGE_TIERS.map((tier) => sql`${tier}`), sql`, `)}]::text[]`;

/** A seller's avatar as reads show it: the square variants' widths and its placeholder. */
export interface AvatarDetail {
  id: string;
  variantWidths: number[];
  variantVersion: string | null;
  placeholder: string | null;
}

/** The avatar image with this id, as JSON (null without one): one primary-key lookup. */
export const avatarJsonOf = (avatarImageId: SQL) => sql<AvatarDetail | null>`(select json_build_object('id', a.id, 'variantWidths', a.variant_widths,
  'variantVersion', a.variant_version, 'placeholder', a.placeholder) from ${images} a where a.id = ${avatarImageId})`;

/** The avatar of the seller profile in the query. */
export const avatarJson = avatarJsonOf(sql`${sellerProfiles.avatarImageId}`);

/** The avatar of the seller with this user id (a listing's `seller_id`): the profile, then the image, by primary key. */
export const sellerAvatarJson = (sellerId: SQL) =>
  avatarJsonOf(sql`(select sp.avatar_image_id from ${sellerProfiles} sp where sp.user_id = ${sellerId})`);

export interface PackageDetail {
  tier: "basic" | "standard" | "premium";
  title: string;
  description: string;
  price: number;
  deliveryDays: number;
  revisions: number | null;
  features: string[];
}

export interface ExtraDetail {
  id: string;
  title: string;
  price: number;
  addedDays: number;
}

export interface ImageDetail {
  id: string;
  status: "processing" | "ready" | "failed";
  variantWidths: number[];
  variantVersion: string | null;
  placeholder: string | null;
  /** As shown (EXIF orientation applied), read from the upload's header. */
  width: number | null;
  height: number | null;
}

/** One `images` row aliased `i` as an `ImageDetail` JSON object: the one shape listings and cards send. */
const imageJson = sql`json_build_object('id', i.id, 'status', i.status, 'variantWidths', i.variant_widths, 'variantVersion', i.variant_version,
  'placeholder', i.placeholder, 'width', i.width, 'height', i.height)`;

/** A listing's cover as JSON when it is ready (null otherwise): one primary-key lookup, as cards send it. */
export const coverImageJson = (coverImageId: SQL) =>
  sql<ImageDetail | null>`(select ${imageJson} from ${images} i where i.id = ${coverImageId} and i.status = 'ready')`;

/** A photo that failed to process, with why: shown to its owner alone, so they can read the reason and delete it. */
export interface FailedImageDetail {
  id: string;
  reason: string | null;
}

export interface ListingDetail {
  id: string;
  sellerId: string;
  slug: string;
  title: string;
  description: string;
  tags: string[];
  faq: FaqEntry[];
  status: (typeof listings.$inferSelect)["status"];
  currency: string;
  startingPrice: number | null;
  minDeliveryDays: number | null;
  ratingAvg: number;
  ratingCount: number;
  completedOrders: number;
  version: number;
  publishedAt: Date | null;
  updatedAt: Date;
  category: { id: number; slug: string; name: string; parentSlug: string | null; parentName: string | null; isLeaf: boolean };
  packages: PackageDetail[];
  extras: ExtraDetail[];
  images: ImageDetail[];
  /** Empty on the public read. */
  failedImages: FailedImageDetail[];
  seller: {
    username: string | null;
    displayName: string;
    country: string | null;
    ratingSum: number;
    ratingCount: number;
    completedOrders: number;
    memberSince: Date | null;
    avatar: AvatarDetail | null;
  };
}

/** Everything a listing page shows, in one query: packages, extras and images aggregated as JSON (failed photos for owner reads). */
async function findListing(db: AnyDb, where: ReturnType<typeof and>, withFailed: boolean): Promise<ListingDetail | undefined> {
  const [row] = await db
    .select({
      listing: listings,
      category: { id: categories.id, slug: categories.slug, name: categories.name },
      parentSlug: sql<string | null>`(select p.slug::text from ${categories} p where p.id = ${categories.parentId})`,
      parentName: sql<string | null>`(select p.name from ${categories} p where p.id = ${categories.parentId})`,
      hasChildren: sql<boolean>`exists (select 1 from ${categories} c where c.parent_id = ${categories.id})`,
      packages: sql<PackageDetail[]>`coalesce((
        select json_agg(json_build_object('tier', p.tier, 'title', p.title, 'description', p.description, 'price', p.price,
          'deliveryDays', p.delivery_days, 'revisions', p.revisions, 'features', p.features)
          order by array_position(${TIER_ARRAY}, p.tier))
        from ${listingPackages} p where p.listing_id = ${listings.id}), '[]'::json)`,
      extras: sql<ExtraDetail[]>`coalesce((
        select json_agg(json_build_object('id', e.id, 'title', e.title, 'price', e.price, 'addedDays', e.added_days) order by e.position, e.id)
        from ${listingExtras} e where e.listing_id = ${listings.id}), '[]'::json)`,
      images: sql<ImageDetail[]>`coalesce((
        select json_agg(${imageJson} order by i.position, i.created_at)
        from ${images} i where i.listing_id = ${listings.id} and i.status <> 'failed'), '[]'::json)`,
      failedImages: withFailed
        ? sql<FailedImageDetail[]>`coalesce((
            select json_agg(json_build_object('id', i.id, 'reason', i.reason) order by i.position, i.created_at)
            from ${images} i where i.listing_id = ${listings.id} and i.status = 'failed'), '[]'::json)`
        : sql<FailedImageDetail[]>`'[]'::json`,
      seller: {
        username: sellerProfiles.username,
        displayName: sellerProfiles.displayName,
        country: sellerProfiles.country,
        ratingSum: sellerProfiles.ratingSum,
        ratingCount: sellerProfiles.ratingCount,
        completedOrders: sellerProfiles.completedOrders,
        memberSince: sellerProfiles.createdAt,
      },
      avatar: avatarJson,
    })
    .from(listings)
    .innerJoin(categories, eq(categories.id, listings.categoryId))
    .leftJoin(sellerProfiles, eq(sellerProfiles.userId, listings.sellerId))
    .where(where);
  if (!row) return undefined;
  const { listing } = row;
  return {
    id: listing.id,
    sellerId: listing.sellerId,
    slug: listing.slug,
    title: listing.title,
    description: listing.description,
    tags: listing.tags,
    faq: listing.faq,
    status: listing.status,
    currency: listing.currency,
    startingPrice: listing.startingPrice,
    minDeliveryDays: listing.minDeliveryDays,
    ratingAvg: listing.ratingAvg,
    ratingCount: listing.ratingCount,
    completedOrders: listing.completedOrders,
    version: listing.version,
    publishedAt: listing.publishedAt,
    updatedAt: listing.updatedAt,
    category: { ...row.category, parentSlug: row.parentSlug, parentName: row.parentName, isLeaf: !row.hasChildren },
    packages: row.packages,
    extras: row.extras,
    images: row.images,
    failedImages: row.failedImages,
    seller: {
      username: row.seller?.username ?? null,
      displayName: row.seller?.displayName ?? listing.sellerName,
      country: row.seller?.country ?? null,
      ratingSum: row.seller?.ratingSum ?? 0,
      ratingCount: row.seller?.ratingCount ?? 0,
      completedOrders: row.seller?.completedOrders ?? 0,
      memberSince: row.seller?.memberSince ?? null,
      avatar: row.avatar,
    },
  };
}

/** The public listing: active ones only. */
export function findActiveListingBySlug(db: AnyDb, slug: string) {
  return findListing(db, and(eq(listings.slug, slug), eq(listings.status, "active")), false);
}

/** Any listing that is not deleted, for its owner (drafts, paused) and admins, with its failed photos. */
export function findListingById(db: AnyDb, id: string) {
  return findListing(db, and(eq(listings.id, id), inArray(listings.status, ["draft", "active", "paused", "suspended"])), true);
}
