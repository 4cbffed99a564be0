import type { SearchResponse } from "../../../workers/domain/search.ts";
import type { SearchQuery } from "../../../workers/domain/search-inputs.ts";
import { formatCount, formatMoney } from "../../format.ts";

type Facets = NonNullable<SearchResponse["facets"]>;

const SORT_LABELS = { relevance: "Best match", newest: "Newest", price_asc: "Price: low to high", price_desc: "Price: high to low", rating: "Top rated" } as const;

const count = (n: number) => <span class="muted"> ({formatCount(n)})</span>;

function priceLabel(band: Facets["price"][number]) {
  if (band.min === 0) return `Under ${formatMoney(band.max!, "USD")}`;
  return band.max === null ? `${formatMoney(band.min, "USD")} and up` : `${formatMoney(band.min, "USD")} to ${formatMoney(band.max, "USD")}`;
}

function CategoryChoices({ facets, query }: { facets: Facets; query: SearchQuery }) {
  if (facets.category.length === 0) return null;
  return (
    <fieldset class="fieldset">
      <legend>Category</legend>
      {facets.category.map((entry) => (
        <label class="check">
          <input type="checkbox" name="category" value={entry.slug} checked={query.category.includes(entry.slug)} />
          {entry.parent ? "— " : ""}
          {entry.name}
          {count(entry.count)}
        </label>
      ))}
    </fieldset>
  );
}

function Bands({ facets, query }: { facets: Facets; query: SearchQuery }) {
  return (
    <>
      <fieldset class="fieldset">
        <legend>Price</legend>
        {facets.price.map((band) => (
          <label class="check">
            <input type="radio" name="price" value={`${band.min}-${band.max ?? ""}`} checked={query.minPrice === band.min && query.maxPrice === (band.max === null ? undefined : band.max - 1)} />
            {priceLabel(band)}
            {count(band.count)}
          </label>
        ))}
      </fieldset>
      <fieldset class="fieldset">
        <legend>Delivery</legend>
        {facets.deliveryDays.map((band) => (
          <label class="check">
            <input type="radio" name="maxDeliveryDays" value={band.maxDays} checked={query.maxDeliveryDays === band.maxDays} />
            Within {band.maxDays} {band.maxDays === 1 ? "day" : "days"}
            {count(band.count)}
          </label>
        ))}
      </fieldset>
      <fieldset class="fieldset">
        <legend>Rating</legend>
        {facets.rating.map((band) => (
          <label class="check">
            <input type="radio" name="minRating" value={band.minRating} checked={query.minRating === band.minRating} />
            {band.minRating} stars and up
            {count(band.count)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** Filters and sort as one plain GET form; on phones it folds into a bottom sheet (a details element). */
export function SearchFilters({ facets, query }: { facets: Facets | null; query: SearchQuery }) {
  return (
    <details class="filters">
      <summary class="button button--secondary">Filters and sort</summary>
      <form class="filters__form" method="get" action="/search">
        <input type="hidden" name="q" value={query.q} />
        <div class="field">
          <label for="search-sort">Sort by</label>
          <select id="search-sort" name="sort">
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option value={value} selected={query.sort === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {facets ? <CategoryChoices facets={facets} query={query} /> : null}
        {facets ? <Bands facets={facets} query={query} /> : null}
        <button type="submit">Show results</button>
        <a href={`/search?q=${encodeURIComponent(query.q)}`}>Clear filters</a>
      </form>
    </details>
  );
}
