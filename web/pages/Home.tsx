import type { HomeSections } from "../../workers/domain/catalog-reads.ts";
import type { CategoryNode } from "../../workers/domain/categories.ts";
import type { ListingCardJson } from "../../workers/domain/listing-views.ts";
import { ListingCard } from "../components/ListingCard.tsx";
import { plural } from "../format.ts";

/** A titled row of cards: a swipeable strip on a phone, a grid on wider screens. */
function Row({ id, title, listings, more }: { id: string; title: string; listings: ListingCardJson[]; more?: string }) {
  if (listings.length === 0) return null;
  return (
    <section class="row" aria-labelledby={id}>
      <div class="row__head">
        <h2 id={id}>{title}</h2>
        {more ? (
          <a class="row__more" href={more}>
            See all<span class="visually-hidden"> in {title}</span>
          </a>
        ) : null}
      </div>
      <div class="card-row">
        {listings.map((listing) => (
          <ListingCard listing={listing} />
        ))}
      </div>
    </section>
  );
}

export function Home({ home, categories }: { home: HomeSections; categories: CategoryNode[] }) {
  const names = new Map(categories.map((category) => [category.slug, category.name]));
  return (
    <>
      <section class="hero">
        <h1>Find the right freelancer, today</h1>
        <p class="muted">Pay safely: your money stays in escrow until you accept the work.</p>
      </section>
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Browse categories</h2>
        <ul class="category-grid">
          {categories.map((category) => (
            <li>
              <a class="category" href={`/categories/${category.slug}`}>
                <span class="category__name">{category.name}</span>
                <span class="muted">{plural(category.activeListings, "service")}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      {home.newest.length === 0 ? <p class="muted">No services yet.</p> : null}
      <Row id="newest-heading" title="New on Gigmarket" listings={home.newest} />
      <Row id="top-rated-heading" title="Top rated" listings={home.topRated} />
      {home.byCategory.map(({ categorySlug, listings }) => (
        <Row id={`row-${categorySlug}`} title={names.get(categorySlug) ?? categorySlug} listings={listings} more={`/categories/${categorySlug}`} />
      ))}
    </>
  );
}
