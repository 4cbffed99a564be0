import type { ListingJson } from "../../workers/domain/listing-views.ts";
import { formatMoney, plural } from "../format.ts";

export const TIER_NAMES = { basic: "Basic", standard: "Standard", premium: "Premium" } as const;

type Package = ListingJson["packages"][number];

function PackagePanel({ slug, item }: { slug: string; item: Package }) {
  const price = formatMoney(item.price.amount, item.price.currency);
  return (
    <article class={`package package--${item.tier}`} aria-labelledby={`package-${item.tier}-title`}>
      <h3 class="package__title" id={`package-${item.tier}-title`}>
        <span class="package__tier">{TIER_NAMES[item.tier]}</span> {item.title}
      </h3>
      <p class="package__price">{price}</p>
      {item.description ? <p class="package__description">{item.description}</p> : null}
      <ul class="package__facts">
        <li>{plural(item.deliveryDays, "day")} delivery</li>
        <li>{item.revisions === null ? "Unlimited revisions" : plural(item.revisions, "revision")}</li>
      </ul>
      {item.features.length > 0 ? (
        <ul class="package__features">
          {item.features.map((feature) => (
            <li>{feature}</li>
          ))}
        </ul>
      ) : null}
      <a class="button package__order" href={`/listings/${slug}/order?tier=${item.tier}`}>
        Continue ({price})<span class="visually-hidden"> with the {TIER_NAMES[item.tier]} package</span>
      </a>
    </article>
  );
}

/**
 * The packages: on a phone one at a time behind tabs made of radio buttons (they switch without
 * JavaScript, and the stylesheet shows the checked one's panel); on wider screens side by side.
 */
export function PackageTabs({ slug, packages }: { slug: string; packages: Package[] }) {
  const tabbed = packages.length > 1;
  return (
    <div class={tabbed ? "packages packages--tabs" : "packages"}>
      {tabbed
        ? packages.map((item, index) => (
            <input class="packages__radio visually-hidden" type="radio" name="package" id={`tab-${item.tier}`} checked={index === 0} />
          ))
        : null}
      {tabbed ? (
        <div class="packages__tabs">
          {packages.map((item) => (
            <label class="packages__tab" for={`tab-${item.tier}`}>
              {TIER_NAMES[item.tier]}
            </label>
          ))}
        </div>
      ) : null}
      <div class="packages__panels">
        {packages.map((item) => (
          <PackagePanel slug={slug} item={item} />
        ))}
      </div>
    </div>
  );
}
