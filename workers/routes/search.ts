import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { SEARCH_EDGE } from "../domain/cache-keys.ts";
import { addSynonym, readSearch, readSuggestions, readSynonyms } from "../domain/search.ts";
import { searchQuery, suggestQuery, synonymInput } from "../domain/search-inputs.ts";
import { readContext, sharePublicly } from "../http/catalog-cache.ts";
import { validate } from "../lib/validate.ts";
import { requireRole } from "../middleware/auth.ts";
import { limitSearches } from "../middleware/rate-limit.ts";

/** Public search reads (cached like catalog lists) at /api/search. */
export const search = new Hono<AppEnv>()
  .get("/", limitSearches, validate("query", searchQuery), async (c) => {
    const read = await readSearch(readContext(c), c.req.valid("query"));
    sharePublicly(c, read, SEARCH_EDGE);
    return c.json(read.value);
  })
  .get("/suggest", limitSearches, validate("query", suggestQuery), async (c) => {
    const read = await readSuggestions(readContext(c), c.req.valid("query").q);
    sharePublicly(c, read);
    return c.json(read.value);
  });

/** The synonyms admins extend, at /api/admin/search/synonyms; each route states its guard. */
export const searchAdmin = new Hono<AppEnv>()
  .get("/synonyms", requireRole("admin"), async (c) => c.json(await readSynonyms(c.var.db)))
  .post("/synonyms", requireRole("admin"), validate("json", synonymInput), async (c) => {
    const { synonym, created } = await addSynonym(c.var.db, c.req.valid("json"));
    return c.json({ synonym }, created ? 201 : 200);
  });
