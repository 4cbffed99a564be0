import { Hono, type Context } from "hono";
import type { AppEnv } from "../context.ts";
import {
  readCategories,
  readListing,
  readListingReviews,
  readListingsPage,
  readSeller,
  readSellerListings,
  readSellerReviews,
  type Read,
} from "../domain/catalog-reads.ts";
import { listingQuery } from "../domain/listing-inputs.ts";
import { pageQuery } from "../domain/pagination.ts";
import { readContext, sharePublicly } from "../http/catalog-cache.ts";
import { slugParam, usernameParam } from "../http/params.ts";
import { validate } from "../lib/validate.ts";

function publicJson<T>(c: Context<AppEnv>, read: Read<T>) {
  sharePublicly(c, read);
  return c.json(read.value);
}

const pagedQuery = validate("query", pageQuery);

/** Public catalog reads: anyone may call them, and anonymous answers are cached at the edge and in Redis. */
export const catalog = new Hono<AppEnv>()
  .get("/categories", async (c) => {
    const read = await readCategories(readContext(c));
    return publicJson(c, { ...read, value: { items: read.value } });
  })
  .get("/listings", validate("query", listingQuery), async (c) => publicJson(c, await readListingsPage(readContext(c), c.req.valid("query"))))
  .get("/listings/:slug", slugParam, async (c) => {
    const read = await readListing(readContext(c), c.req.valid("param").slug);
    return publicJson(c, { ...read, value: { listing: read.value } });
  })
  .get("/listings/:slug/reviews", slugParam, pagedQuery, async (c) => {
    const ctx = readContext(c);
    const { value: listing } = await readListing(ctx, c.req.valid("param").slug);
    return publicJson(c, await readListingReviews(ctx, listing.id, c.req.valid("query")));
  })
  .get("/sellers/:username", usernameParam, async (c) => publicJson(c, await readSeller(readContext(c), c.req.valid("param").username)))
  .get("/sellers/:username/listings", usernameParam, pagedQuery, async (c) =>
    publicJson(c, await readSellerListings(readContext(c), c.req.valid("param").username, c.req.valid("query"))),
  )
  .get("/sellers/:username/reviews", usernameParam, pagedQuery, async (c) =>
    publicJson(c, await readSellerReviews(readContext(c), c.req.valid("param").username, c.req.valid("query"))),
  );
