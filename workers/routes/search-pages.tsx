import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { SEARCH_EDGE } from "../domain/cache-keys.ts";
import { readSearch } from "../domain/search.ts";
import { searchPageQuery } from "../domain/search-inputs.ts";
import { readContext, sharePublicly } from "../http/catalog-cache.ts";
import { validate } from "../lib/validate.ts";
import { limitSearches } from "../middleware/rate-limit.ts";
import { SearchPage } from "../../web/pages/search/SearchPage.tsx";
import { renderer } from "./pages.tsx";

const PAGE_SIZE = 24;

/** The search results page: the same cached read as GET /api/search, shareable at the edge like catalog pages. */
export const searchPages = new Hono<AppEnv>().get("/search", renderer, limitSearches, validate("query", searchPageQuery), async (c) => {
  const query = { ...c.req.valid("query"), limit: PAGE_SIZE };
  const results = await readSearch(readContext(c), query);
  sharePublicly(c, results, SEARCH_EDGE);
  const params = new URL(c.req.url).searchParams;
  params.delete("cursor");
  const path = `/search?${params.toString()}`;
  return c.render(<SearchPage results={results.value} query={query} path={path} />, {
    title: query.q ? `${query.q} services` : "Search services",
    description: "Search services from independent sellers.",
  });
});
