import type { ReviewJson } from "../../workers/domain/listing-views.ts";
import { formatDay } from "../format.ts";

/** Reviews, newest first; on a seller's profile each says which service it is about. */
export function ReviewList({ reviews, showListing = false }: { reviews: ReviewJson[]; showListing?: boolean }) {
  if (reviews.length === 0) return <p class="muted">No reviews yet.</p>;
  return (
    <ul class="reviews">
      {reviews.map((review) => (
        <li class="review">
          <p class="review__head">
            <strong>{review.buyer.name}</strong>
            <span class="rating">
              <span aria-hidden="true">★ {review.rating}</span>
              <span class="visually-hidden">Rated {review.rating} out of 5</span>
            </span>
            <time class="muted" datetime={review.createdAt}>
              {formatDay(review.createdAt)}
            </time>
          </p>
          {showListing && review.listing ? (
            <p class="review__listing">
              <a href={`/listings/${review.listing.slug}`}>{review.listing.title}</a>
            </p>
          ) : null}
          <p class="review__text">{review.text}</p>
          {review.sellerReply ? (
            <p class="review__reply">
              <span class="muted">Seller's reply: </span>
              {review.sellerReply}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
