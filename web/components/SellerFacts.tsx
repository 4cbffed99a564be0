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

/**
 * The seller's square photo over its placeholder, or their initial until they upload one. `size` is the
 * CSS pixels it is shown at (52 on profiles and seller cards, 24 on listing cards): `sizes` and the
 * reserved box follow it, so the browser picks the smallest variant that is sharp.
 */
export function Avatar({ name, avatar, size = 52 }: { name: string; avatar?: AvatarJson | undefined; size?: 24 | 52 }) {
  const largest = avatar?.variants.at(-1);
  const small = size === 24 ? " avatar--small" : "";
  if (!avatar || !largest) {
    return (
      <span class={`avatar${small}`} aria-hidden="true">
        {name.trim().charAt(0).toUpperCase() || "?"}
      </span>
    );
  }
  return (
    <span class={`avatar avatar--photo${small}`}>
      {avatar.placeholder ? <img class="avatar__hash" src={placeholderUrl(avatar.placeholder)} alt="" aria-hidden="true" /> : null}
      <img
        class="avatar__photo"
        src={largest.url}
        srcset={avatar.variants.map((variant) => `${variant.url} ${variant.width}w`).join(", ")}
        sizes={`${size}px`}
        width={size}
        height={size}
        loading={size === 24 ? "lazy" : undefined}
        alt={`Photo of ${name}`}
      />
    </span>
  );
}
