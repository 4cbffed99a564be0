import type { ListingCard } from "../data/catalog.ts";
import type { AvatarDetail, ImageDetail, ListingDetail } from "../data/listing-detail.ts";
import type { ReviewRow } from "../data/sellers.ts";
import type { CategoryNode } from "./categories.ts";
import { renderDescription } from "./markdown.ts";
import { variantsOf } from "./media.ts";
import type { Page } from "./pagination.ts";
import { averageRating } from "./views.ts";

/** Money on the wire: integer minor units with the currency, as API.md fixes it. */
export const money = (amount: number, currency: string) => ({ amount, currency });


/** A photo as listings show it: variant URLs for `srcset`, its size (to reserve space) and its ThumbHash (base64). */
export function imageView(image: ImageDetail) {
  return {
    id: image.id,
    status: image.status,
    width: image.width,
    height: image.height,
    variants: variantsOf(image),
    placeholder: image.placeholder,
  };
}

/** A seller's avatar: square WebP variants (64, 128, 256 px at most) and its ThumbHash; null without one. */
export function avatarView(avatar: AvatarDetail | null) {
  if (!avatar) return null;
  return { id: avatar.id, variants: variantsOf(avatar), placeholder: avatar.placeholder };
}

export type AvatarJson = ReturnType<typeof avatarView>;

export function listingCardView(card: ListingCard) {
  return {
    id: card.id,
    slug: card.slug,
    title: card.title,
    seller: { displayName: card.sellerName, avatar: avatarView(card.sellerAvatar) },
    startingPrice: card.startingPrice === null ? null : money(card.startingPrice, card.currency),
    minDeliveryDays: card.minDeliveryDays,
    rating: card.ratingCount === 0 ? null : card.ratingAvg,
    reviewCount: card.ratingCount,
    coverImageId: card.coverImageId,
    cover: card.cover ? imageView(card.cover) : null,
    publishedAt: card.publishedAt?.toISOString() ?? null,
  };
}

export type ListingCardJson = ReturnType<typeof listingCardView>;

export function listingView(listing: ListingDetail) {
  const { currency } = listing;
  return {
    id: listing.id,
    slug: listing.slug,
    title: listing.title,
    description: listing.description,
    descriptionHtml: renderDescription(listing.description),
    tags: listing.tags,
    faq: listing.faq,
    status: listing.status,
    category: {
      slug: listing.category.slug,
      name: listing.category.name,
      parent: listing.category.parentSlug ? { slug: listing.category.parentSlug, name: listing.category.parentName } : null,
    },
    packages: listing.packages.map((p) => ({ ...p, price: money(p.price, currency) })),
    extras: listing.extras.map((e) => ({ ...e, price: money(e.price, currency) })),
    images: listing.images.map(imageView),
    seller: {
      username: listing.seller.username,
      displayName: listing.seller.displayName,
      country: listing.seller.country,
      rating: averageRating(listing.seller.ratingSum, listing.seller.ratingCount),
      reviewCount: listing.seller.ratingCount,
      completedOrders: listing.seller.completedOrders,
      memberSince: listing.seller.memberSince?.toISOString() ?? null,
      avatar: avatarView(listing.seller.avatar),
    },
    startingPrice: listing.startingPrice === null ? null : money(listing.startingPrice, currency),
    rating: listing.ratingCount === 0 ? null : listing.ratingAvg,
    reviewCount: listing.ratingCount,
    completedOrders: listing.completedOrders,
    version: listing.version,
    publishedAt: listing.publishedAt?.toISOString() ?? null,
    updatedAt: listing.updatedAt.toISOString(),
  };
}

export type ListingJson = ReturnType<typeof listingView>;

/**
 * The owner's read of their listing (`GET /api/seller/listings/:id`, the edit page): the listing as
 * buyers see it plus the photos that failed, each with its reason, which the public read leaves out.
 */
export function ownListingDetailView(listing: ListingDetail) {
  return { ...listingView(listing), failedImages: listing.failedImages.map((image) => ({ id: image.id, status: "failed" as const, reason: image.reason })) };
}

export type OwnListingDetailJson = ReturnType<typeof ownListingDetailView>;

/** A listing's lifecycle as views and pages name it (web/ reads it here, never from the schema). */
export type ListingStatus = ListingDetail["status"];

/** A row of the seller's own listings (`GET /api/seller/listings` and the dashboard): a card with its status and last change. */
export function ownListingCardView(row: ListingCard & { status: ListingStatus; updatedAt: Date }) {
  return { ...listingCardView(row), status: row.status, updatedAt: row.updatedAt.toISOString() };
}

export type OwnListingJson = ReturnType<typeof ownListingCardView>;

export type CategoryJson = ReturnType<typeof categoryView>;

export function categoryView(node: CategoryNode): { slug: string; name: string; activeListings: number; children: ReturnType<typeof categoryView>[] } {
  return { slug: node.slug, name: node.name, activeListings: node.activeListings, children: node.children.map(categoryView) };
}

export function reviewJson(review: ReviewRow) {
  return {
    id: review.id,
    rating: review.rating,
    communication: review.communication,
    quality: review.quality,
    value: review.value,
    text: review.text,
    sellerReply: review.sellerReply,
    // Reviewers are shown by first name only.
    buyer: { name: review.buyerName.split(/\s+/)[0] ?? "" },
    listing: review.listingSlug && review.listingTitle ? { slug: review.listingSlug, title: review.listingTitle } : null,
    createdAt: review.createdAt.toISOString(),
  };
}

export type ReviewJson = ReturnType<typeof reviewJson>;

// The bodies the JSON API answers with, so callers and tests read them typed instead of casting.

/** `GET /api/listings/:slug`, and every listing write in `/api/listings` and `/api/admin/listings`. */
export interface ListingResponse {
  listing: ListingJson;
}

/** `GET /api/seller/listings/:id`. */
export interface OwnListingResponse {
  listing: OwnListingDetailJson;
}

/** `GET /api/listings` and `GET /api/sellers/:username/listings`. */
export type ListingsPage = Page<ListingCardJson>;

/** `GET /api/seller/listings`: the seller's own listings of every status. */
export type OwnListingsPage = Page<OwnListingJson>;

/** `GET /api/listings/:slug/reviews` and `GET /api/sellers/:username/reviews`. */
export type ReviewsPage = Page<ReviewJson>;

/** `GET /api/categories`: the tree, top-level categories first. */
export interface CategoriesResponse {
  items: CategoryJson[];
}
