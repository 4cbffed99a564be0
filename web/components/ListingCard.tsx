import type { ListingCardJson } from "../../workers/domain/listing-views.ts";
import { formatMoney } from "../format.ts";
import { Rating } from "./Rating.tsx";
import { Avatar } from "./SellerFacts.tsx";


export function ListingCard({ listing }: { listing: ListingCardJson }) {
  return (
    <article class="card">
      <a class="card__link" href={`/listings/${listing.slug}`}>
        <div class="card__media" aria-hidden="true" />
        <div class="card__body">
          <p class="card__seller">
            <Avatar name={listing.seller.displayName} avatar={listing.seller.avatar} size={24} />
            {listing.seller.displayName}
          </p>
          <h3 class="card__title">{listing.title}</h3>
          <p class="card__meta">
            <Rating rating={listing.rating} count={listing.reviewCount} />
            {listing.startingPrice ? <span class="price">From {formatMoney(listing.startingPrice.amount, listing.startingPrice.currency)}</span> : null}
          </p>
        </div>
      </a>
    </article>
  );
}

/** Cards in a responsive grid, or a line saying there are none. */
export function CardGrid({ listings, empty }: { listings: ListingCardJson[]; empty: string }) {
  if (listings.length === 0) return <p class="muted">{empty}</p>;
  return (
    <div class="card-grid">
      {listings.map((listing) => (
        <ListingCard listing={listing} />
      ))}
    </div>
  );
}
