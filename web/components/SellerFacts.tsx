import type { AvatarJson } from "../../workers/domain/listing-views.ts";
import { formatCount, formatCountry, formatMonth, placeholderUrl } from "../format.ts";
import { Rating } from "./Rating.tsx";

export interface SellerStats {
  rating: number | null;
  reviewCount: number;
  completedOrders: number;
  memberSince: string | null;
  country: string | null;
}

/** The numbers a buyer weighs a seller by, on the listing's seller card and the seller's profile. */
export function SellerFacts({ seller }: { seller: SellerStats }) {
  return (
    <dl class="facts">
      <div>
        <dt>Rating</dt>
        <dd>
          <Rating rating={seller.rating} count={seller.reviewCount} />
        </dd>
      </div>
      <div>
        <dt>Completed orders</dt>
        <dd>{formatCount(seller.completedOrders)}</dd>
      </div>
      {seller.memberSince ? (
        <div>
          <dt>Member since</dt>
          <dd>{formatMonth(seller.memberSince)}</dd>
        </div>
      ) : null}
      {seller.country ? (
        <div>
          <dt>From</dt>
          <dd>{formatCountry(seller.country)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The seller's initial in a circle, until profiles have pictures. */
/** The seller's square photo over its placeholder, or their initial until they upload one. */
export function Avatar({ name, avatar }: { name: string; avatar?: AvatarJson | undefined }) {
  const largest = avatar?.variants.at(-1);
  if (!avatar || !largest) {
    return (
      <span class="avatar" aria-hidden="true">
        {name.trim().charAt(0).toUpperCase() || "?"}
      </span>
    );
  }
  return (
    <span class="avatar avatar--photo">
      {avatar.placeholder ? <img class="avatar__hash" src={placeholderUrl(avatar.placeholder)} alt="" aria-hidden="true" /> : null}
      <img
        class="avatar__photo"
        src={largest.url}
        srcset={avatar.variants.map((variant) => `${variant.url} ${variant.width}w`).join(", ")}
        sizes="52px"
        width={52}
        height={52}
        alt={`Photo of ${name}`}
      />
    </span>
  );
}
