import type { ListingJson, ReviewsPage } from "../../../workers/domain/listing-views.ts";
import { Breadcrumbs } from "../../components/Breadcrumbs.tsx";
import { Pager } from "../../components/Pager.tsx";
import { Rating } from "../../components/Rating.tsx";
import { ReviewList } from "../../components/Reviews.tsx";
import { listingTrail } from "./ListingPage.tsx";

/** Later pages of a listing's reviews (the first is on the listing page). */
export function ListingReviews({ listing, reviews }: { listing: ListingJson; reviews: ReviewsPage }) {
  const path = `/listings/${listing.slug}`;
  return (
    <>
      <Breadcrumbs trail={[...listingTrail(listing), { href: path, label: listing.title }, { href: `${path}/reviews`, label: "Reviews" }]} />
      <h1>Reviews</h1>
      <p>
        Of <a href={path}>{listing.title}</a> · <Rating rating={listing.rating} count={listing.reviewCount} />
      </p>
      <ReviewList reviews={reviews.items} />
      <Pager path={`${path}/reviews`} nextCursor={reviews.nextCursor} onFirstPage={false} next="More reviews" />
    </>
  );
}
