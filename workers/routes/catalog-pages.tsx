import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import {
  findCategoryNode,
  readListing,
  readListingReviews,
  readListingsPage,
  readSeller,
  readSellerListings,
  readSellerReviews,
} from "../domain/catalog-reads.ts";
import { TIER_ORDER } from "../domain/listing-inputs.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validate.ts";
import { CategoryPage } from "../../web/pages/catalog/CategoryPage.tsx";
import { ComingSoon } from "../../web/pages/catalog/ComingSoon.tsx";
import { ListingPage } from "../../web/pages/catalog/ListingPage.tsx";
import { ListingReviews } from "../../web/pages/catalog/ListingReviews.tsx";
import { SellerReviews, SellerServices } from "../../web/pages/catalog/SellerMore.tsx";
import { SellerProfile } from "../../web/pages/catalog/SellerProfile.tsx";
import { formatMoney } from "../../web/format.ts";
import { readContext, sharePublicly } from "../http/catalog-cache.ts";
import { cursorQuery, slugParam, usernameParam } from "../http/params.ts";
import { page, signedInOnly } from "./page-forms.ts";
import { renderer } from "./pages.tsx";

const CATEGORY_PAGE_SIZE = 24;
const REVIEWS_PAGE_SIZE = 10;

const tierQuery = validate("query", z.object({ tier: z.enum(TIER_ORDER).optional() }));

/**
 * The public catalog as pages: the same cached reads as the JSON API, and like it shareable at the edge
 * for anonymous visitors. The order page is personal (signed in, never stored).
 */
export const catalogPages = new Hono<AppEnv>()
  .get("/categories/:slug", renderer, slugParam, cursorQuery, async (c) => {
    const ctx = readContext(c);
    const { slug } = c.req.valid("param");
    const { cursor } = c.req.valid("query");
    const found = await findCategoryNode(ctx, slug);
    if (!found) throw new AppError("not_found", "There is no such category.");
    const listings = await readListingsPage(ctx, { category: slug, cursor, limit: CATEGORY_PAGE_SIZE });
    sharePublicly(c, listings);
    return c.render(<CategoryPage category={found.node} parent={found.parent} listings={listings.value} onFirstPage={cursor === undefined} />, {
      title: found.node.name,
      description: `${found.node.name} services from independent sellers.`,
    });
  })
  .get("/listings/:slug", renderer, slugParam, async (c) => {
    const ctx = readContext(c);
    const listing = await readListing(ctx, c.req.valid("param").slug);
    const reviews = await readListingReviews(ctx, listing.value.id, { limit: REVIEWS_PAGE_SIZE });
    sharePublicly(c, listing);
    const { title, seller, startingPrice } = listing.value;
    return c.render(<ListingPage listing={listing.value} reviews={reviews.value} />, {
      title,
      description: `${title}, by ${seller.displayName}${startingPrice ? `, from ${formatMoney(startingPrice.amount, startingPrice.currency)}` : ""}.`,
    });
  })
  .get("/listings/:slug/reviews", renderer, slugParam, cursorQuery, async (c) => {
    const ctx = readContext(c);
    const listing = await readListing(ctx, c.req.valid("param").slug);
    const reviews = await readListingReviews(ctx, listing.value.id, { cursor: c.req.valid("query").cursor, limit: REVIEWS_PAGE_SIZE });
    sharePublicly(c, reviews);
    return c.render(<ListingReviews listing={listing.value} reviews={reviews.value} />, { title: `Reviews of ${listing.value.title}` });
  })
  // Ordering is a later feature; this page says so, for the chosen package (contact pages: chat-pages.tsx).
  .get("/listings/:slug/order", page, signedInOnly(), slugParam, tierQuery, async (c) => {
    const { value: listing } = await readListing(readContext(c), c.req.valid("param").slug);
    const { tier } = c.req.valid("query");
    const chosen = tier ? listing.packages.find((item) => item.tier === tier) : listing.packages[0];
    if (!chosen) throw new AppError("not_found", "This service has no such package.");
    return c.render(<ComingSoon listing={listing} chosen={chosen} />, { title: `Order ${listing.title}` });
  })
  .get("/sellers/:username", renderer, usernameParam, async (c) => {
    const read = await readSeller(readContext(c), c.req.valid("param").username);
    sharePublicly(c, read);
    const { seller } = read.value;
    return c.render(<SellerProfile page={read.value} />, { title: `${seller.displayName} (@${seller.username})`, description: seller.bio.slice(0, 160) || undefined });
  })
  .get("/sellers/:username/services", renderer, usernameParam, cursorQuery, async (c) => {
    const ctx = readContext(c);
    const { username } = c.req.valid("param");
    const [{ value }, listings] = await Promise.all([readSeller(ctx, username), readSellerListings(ctx, username, { cursor: c.req.valid("query").cursor, limit: CATEGORY_PAGE_SIZE })]);
    sharePublicly(c, listings);
    return c.render(<SellerServices seller={value.seller} listings={listings.value} />, { title: `Services by ${value.seller.displayName}` });
  })
  .get("/sellers/:username/reviews", renderer, usernameParam, cursorQuery, async (c) => {
    const ctx = readContext(c);
    const { username } = c.req.valid("param");
    const [{ value }, reviews] = await Promise.all([readSeller(ctx, username), readSellerReviews(ctx, username, { cursor: c.req.valid("query").cursor, limit: REVIEWS_PAGE_SIZE })]);
    sharePublicly(c, reviews);
    return c.render(<SellerReviews seller={value.seller} reviews={reviews.value} />, { title: `Reviews of ${value.seller.displayName}` });
  });
