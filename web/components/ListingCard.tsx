import type { ListingCard as Card } from "../../workers/data/catalog.ts";
import { formatMoney } from "../format.ts";

export function ListingCard({ listing }: { listing: Card }) {
  return (
    <article class="card">
      <a class="card__link" href={`/listings/${listing.slug}`}>
        <div class="card__media" aria-hidden="true" />
        <div class="card__body">
          <p class="card__seller">{listing.sellerName}</p>
          <h3 class="card__title">{listing.title}</h3>
          <p class="card__meta">
            {listing.ratingCount > 0 ? (
              <span class="rating">
                ★ {listing.ratingAvg.toFixed(1)} <span class="muted">({listing.ratingCount})</span>
              </span>
            ) : (
              <span class="muted">New</span>
            )}
            {listing.startingPrice !== null ? (
              <span class="price">From {formatMoney(listing.startingPrice, listing.currency)}</span>
            ) : null}
          </p>
        </div>
      </a>
    </article>
  );
}
