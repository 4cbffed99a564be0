import type { SellerPage } from "../../../workers/domain/catalog-reads.ts";
import type { Page } from "../../../workers/domain/pagination.ts";
import { Breadcrumbs } from "../../components/Breadcrumbs.tsx";
import { CardGrid } from "../../components/ListingCard.tsx";
import { Pager } from "../../components/Pager.tsx";
import { ReviewList } from "../../components/Reviews.tsx";

type Seller = SellerPage["seller"];
type Items<K extends "listings" | "reviews"> = SellerPage[K] extends Page<infer T> ? Page<T> : never;

const trail = (seller: Seller, label: string, path: string) => [
  { href: `/sellers/${seller.username}`, label: seller.displayName },
  { href: path, label },
];

/** Later pages of a seller's services (the first is on their profile). */
export function SellerServices({ seller, listings }: { seller: Seller; listings: Items<"listings"> }) {
  const path = `/sellers/${seller.username}/services`;
  return (
    <>
      <Breadcrumbs trail={trail(seller, "Services", path)} />
      <h1>Services by {seller.displayName}</h1>
      <CardGrid listings={listings.items} empty="No more services." />
      <Pager path={path} nextCursor={listings.nextCursor} onFirstPage={false} />
    </>
  );
}

/** Later pages of the reviews of everything a seller sells. */
export function SellerReviews({ seller, reviews }: { seller: Seller; reviews: Items<"reviews"> }) {
  const path = `/sellers/${seller.username}/reviews`;
  return (
    <>
      <Breadcrumbs trail={trail(seller, "Reviews", path)} />
      <h1>Reviews of {seller.displayName}</h1>
      <ReviewList reviews={reviews.items} showListing />
      <Pager path={path} nextCursor={reviews.nextCursor} onFirstPage={false} next="More reviews" />
    </>
  );
}
