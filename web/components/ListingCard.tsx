import type { ListingCardJson } from "../../workers/domain/listing-views.ts";
import { formatMoney, placeholderUrl } from "../format.ts";
import { Rating } from "./Rating.tsx";
import { Avatar } from "./SellerFacts.tsx";

/**
 * The card's picture: the ready cover over its placeholder (painted first), sized by the box's aspect
 * ratio so the grid keeps its space while the bytes arrive; the plain tinted box without one.
 */
function CardMedia({ cover }: { cover: ListingCardJson["cover"] }) {
  if (!cover || cover.variants.length === 0) return <div class="card__media" aria-hidden="true" />;
  return (
    <div class="card__media" aria-hidden="true">
      {cover.placeholder ? <img class="card__hash" src={placeholderUrl(cover.placeholder)} alt="" /> : null}
      <img
        class="card__photo"
        width={cover.width ?? undefined}
        height={cover.height ?? undefined}
        src={cover.variants[0]!.url}
        srcset={cover.variants.map((variant) => `${variant.url} ${variant.width}w`).join(", ")}
        sizes="(min-width: 64rem) 20rem, (min-width: 40rem) 50vw, 100vw"
        alt=""
        loading="lazy"
      />
    </div>
  );
}

export function ListingCard({ listing }: { listing: ListingCardJson }) {
  return (
    <article class="card">
      <a class="card__link" href={`/listings/${listing.slug}`}>
        <CardMedia cover={listing.cover} />
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
