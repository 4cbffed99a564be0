import type { ListingJson } from "../../../workers/domain/listing-views.ts";
import { TIER_NAMES } from "../../components/PackageTabs.tsx";
import { formatMoney, plural } from "../../format.ts";

type Package = ListingJson["packages"][number];

/** Where the order button leads until ordering is built: what was chosen, and an honest "soon". */
export function ComingSoon({ listing, chosen }: { listing: ListingJson; chosen: Package }) {
  return (
    <section class="form-page">
      <h1>Ordering opens soon</h1>
      <p>You cannot place orders on Gigmarket yet. Nothing has been charged. This is what you chose:</p>
      <dl class="details panel">
        <div>
          <dt>Service</dt>
          <dd>{listing.title}</dd>
        </div>
        <div>
          <dt>Seller</dt>
          <dd>{listing.seller.displayName}</dd>
        </div>
        <div>
          <dt>Package</dt>
          <dd>
            {TIER_NAMES[chosen.tier]}: {chosen.title}
          </dd>
        </div>
        <div>
          <dt>Price</dt>
          <dd>{formatMoney(chosen.price.amount, chosen.price.currency)}</dd>
        </div>
        <div>
          <dt>Delivery</dt>
          <dd>{plural(chosen.deliveryDays, "day")}</dd>
        </div>
      </dl>
      <p>
        <a class="button button--secondary" href={`/listings/${listing.slug}`}>
          Back to the service
        </a>
      </p>
    </section>
  );
}
