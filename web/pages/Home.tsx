import type { ListingCard as Card } from "../../workers/data/catalog.ts";
import type { CategoryNode } from "../../workers/domain/categories.ts";
import { ListingCard } from "../components/ListingCard.tsx";
import { formatCount } from "../format.ts";

export function Home({ categories, newest }: { categories: CategoryNode[]; newest: Card[] }) {
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
                <span class="muted">{formatCount(category.activeListings)} services</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="newest-heading">
        <h2 id="newest-heading">New on Gigmarket</h2>
        {newest.length === 0 ? (
          <p class="muted">No services yet.</p>
        ) : (
          <div class="card-grid">
            {newest.map((listing) => (
              <ListingCard listing={listing} />
            ))}
          </div>
        )}
      </section>
    </>
  );
}
