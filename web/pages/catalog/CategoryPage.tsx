import type { CategoryNode } from "../../../workers/domain/categories.ts";
import type { ListingsPage } from "../../../workers/domain/listing-views.ts";
import { Breadcrumbs } from "../../components/Breadcrumbs.tsx";
import { CardGrid } from "../../components/ListingCard.tsx";
import { Pager } from "../../components/Pager.tsx";
import { formatCount, plural } from "../../format.ts";

interface CategoryPageProps {
  category: CategoryNode;
  /** The top-level category above a subcategory. */
  parent?: CategoryNode;
  listings: ListingsPage;
  onFirstPage: boolean;
}

export function CategoryPage({ category, parent, listings, onFirstPage }: CategoryPageProps) {
  const path = `/categories/${category.slug}`;
  const trail = [{ href: "/", label: "Home" }, ...(parent ? [{ href: `/categories/${parent.slug}`, label: parent.name }] : []), { href: path, label: category.name }];
  return (
    <>
      <Breadcrumbs trail={trail} />
      <h1>{category.name}</h1>
      <p class="muted">{plural(category.activeListings, "service")}</p>
      {category.children.length > 0 ? (
        <nav aria-label={`Subcategories of ${category.name}`}>
          <ul class="chips chips--scroll">
            {category.children.map((child) => (
              <li>
                <a class="chip" href={`/categories/${child.slug}`}>
                  {child.name} <span class="muted">{formatCount(child.activeListings)}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <section aria-label="Services">
        <CardGrid listings={listings.items} empty={onFirstPage ? "No services in this category yet." : "No more services here."} />
      </section>
      <Pager path={path} nextCursor={listings.nextCursor} onFirstPage={onFirstPage} />
    </>
  );
}
