import type { SearchResponse } from "../../../workers/domain/search.ts";
import type { SearchQuery } from "../../../workers/domain/search-inputs.ts";
import { CardGrid } from "../../components/ListingCard.tsx";
import { Pager } from "../../components/Pager.tsx";
import { formatCount } from "../../format.ts";
import { SearchFilters } from "./SearchFilters.tsx";

interface SearchPageProps {
  results: SearchResponse;
  query: SearchQuery;
  /** This search's address without a cursor (the pager adds one). */
  path: string;
}

function Summary({ results, query }: { results: SearchResponse; query: SearchQuery }) {
  if (results.total === null) return null;
  // Above the exact bound the total is an estimate (docs/search.md, Facets and the total).
  const total = `${results.totalApproximate ? "About " : ""}${formatCount(results.total)} ${results.total === 1 ? "service" : "services"}`;
  return (
    <p class="muted" role="status">
      {total}
      {query.q ? ` for “${query.q}”` : ""}
      {results.correctedQuery ? (
        <>
          {" "}
          · Showing results for <strong>{results.correctedQuery}</strong>
        </>
      ) : null}
    </p>
  );
}

function EmptyState({ query }: { query: SearchQuery }) {
  return (
    <div class="empty-state">
      <p>No services match{query.q ? ` “${query.q}”` : ""} with these filters.</p>
      <ul>
        <li>Check the spelling, or use fewer or more general words.</li>
        <li>
          <a href={`/search?q=${encodeURIComponent(query.q)}`}>Search again without filters</a>, or <a href="/">browse the categories</a>.
        </li>
      </ul>
    </div>
  );
}

export function SearchPage({ results, query, path }: SearchPageProps) {
  const onFirstPage = query.cursor === undefined;
  return (
    <>
      <h1>{query.q ? `Search: ${query.q}` : "All services"}</h1>
      <Summary results={results} query={query} />
      <SearchFilters facets={results.facets} query={query} />
      <section aria-label="Results">
        {results.items.length === 0 && onFirstPage ? <EmptyState query={query} /> : <CardGrid listings={results.items} empty="No more results." />}
      </section>
      <Pager path={path} nextCursor={results.nextCursor} onFirstPage={onFirstPage} />
    </>
  );
}
