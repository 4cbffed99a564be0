import { formatCount, formatCountry, formatMonth } from "../format.ts";
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
export function Avatar({ name }: { name: string }) {
  return (
    <span class="avatar" aria-hidden="true">
      {name.trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}
