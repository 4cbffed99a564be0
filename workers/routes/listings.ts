import { Hono, type Context } from "hono";
import type { AppEnv } from "../context.ts";
import { listingCreateInput, listingPatchInput } from "../domain/listing-inputs.ts";
import {
  createListing,
  deleteListing,
  ownListing,
  ownListingsPage,
  pauseListing,
  publishListing,
  setListingSuspended,
  updateListing,
  type ListingDetail,
} from "../domain/listing-service.ts";
import { deleteListingImages } from "../domain/image-uploads.ts";
import { listingView, ownListingDetailView } from "../domain/listing-views.ts";
import { pageQuery } from "../domain/pagination.ts";
import { validate } from "../lib/validate.ts";
import { noBody } from "../middleware/api-bodies.ts";
import { requireAuth, requireLiveUser, requireRole, requireUser } from "../middleware/auth.ts";
import { forgetCatalogPages } from "../http/catalog-cache.ts";
import { idParam } from "../http/params.ts";
import { openMedia } from "../services.ts";
import { forgetVariants } from "./images.ts";

const pagedQuery = validate("query", pageQuery);

/** After a listing write commits: its cached pages, and its seller's, are forgotten. */
export async function afterListingWrite(c: Context<AppEnv>, listing: Pick<ListingDetail, "slug" | "seller">) {
  await forgetCatalogPages(c, { slugs: [listing.slug], sellerUsername: listing.seller.username });
}

/** Deletes the caller's listing and its photos (rows and R2 objects), then forgets its pages. */
export async function deleteOwnListing(c: Context<AppEnv>, id: string) {
  const listing = await deleteListing(c.var.db, requireAuth(c), id);
  const variants = await deleteListingImages(c.var.db, openMedia(c.env).store, listing.id);
  await Promise.all([afterListingWrite(c, listing), forgetVariants(c, variants)]);
}

async function respond(c: Context<AppEnv>, listing: ListingDetail, status: 200 | 201 = 200) {
  await afterListingWrite(c, listing);
  return c.json({ listing: listingView(listing) }, status);
}

/** A seller's own listings, mounted at `/api/listings` (writes by id; public reads by slug live in catalog.ts). */
export const listingWrites = new Hono<AppEnv>()
  .post("/", requireRole("seller"), validate("json", listingCreateInput), async (c) =>
    respond(c, await createListing(c.var.db, requireAuth(c), c.req.valid("json")), 201),
  )
  .patch("/:id", requireUser, idParam, validate("json", listingPatchInput), async (c) =>
    respond(c, await updateListing(c.var.db, requireAuth(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .post("/:id/publish", noBody, requireUser, idParam, async (c) => respond(c, await publishListing(c.var.db, requireAuth(c), c.req.valid("param").id)))
  .post("/:id/pause", noBody, requireUser, idParam, async (c) => respond(c, await pauseListing(c.var.db, requireAuth(c), c.req.valid("param").id)))
  .delete("/:id", noBody, requireUser, idParam, async (c) => {
    await deleteOwnListing(c, c.req.valid("param").id);
    return c.body(null, 204);
  });

/** The seller's dashboard data, mounted at `/api/seller/listings`: their listings of every status. */
export const ownListings = new Hono<AppEnv>()
  .use(requireLiveUser, requireRole("seller"))
  .get("/", pagedQuery, async (c) => c.json(await ownListingsPage(c.var.db, requireAuth(c), c.req.valid("query"))))
  .get("/:id", idParam, async (c) => c.json({ listing: ownListingDetailView(await ownListing(c.var.db, requireAuth(c), c.req.valid("param").id)) }));

/** Admin moderation of listings, mounted at `/api/admin/listings`; each route states its own guard. */
export const listingModeration = new Hono<AppEnv>()
  .post("/:id/suspend", noBody, requireRole("admin"), idParam, async (c) => respond(c, await setListingSuspended(c.var.db, requireAuth(c), c.req.valid("param").id, true)))
  .post("/:id/unsuspend", noBody, requireRole("admin"), idParam, async (c) =>
    respond(c, await setListingSuspended(c.var.db, requireAuth(c), c.req.valid("param").id, false)),
  );
