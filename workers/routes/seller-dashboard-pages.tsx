import { Hono, type Context } from "hono";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { readCategoryTree } from "../domain/catalog-reads.ts";
import { listingView, ownListingDetailView } from "../domain/listing-views.ts";
import { listingCreateInput, listingPatchInput } from "../domain/listing-inputs.ts";
import {
  createListing,
  ownListing as findOwnListing,
  ownListingsPage,
  pauseListing,
  publishListing,
  updateListing,
  type ListingDetail,
} from "../domain/listing-service.ts";
import { requireAuth } from "../middleware/auth.ts";
import type { FormState } from "../../web/components/forms.tsx";
import { Dashboard } from "../../web/pages/seller/Dashboard.tsx";
import { BecomeSeller, DeleteListing, EditListing, NewListing } from "../../web/pages/seller/ListingEditor.tsx";
import { readContext } from "../http/catalog-cache.ts";
import { uploadAvatar } from "../domain/avatars.ts";
import { uploadListingImage } from "../domain/image-uploads.ts";
import { openMedia } from "../services.ts";
import { deleteOwnPhoto, uploadOf } from "./images.ts";
import { afterListingWrite, deleteOwnListing } from "./listings.ts";
import { listingFormField, listingFormValues, listingFromForm, NEW_LISTING_VALUES, rowsShown } from "./listing-form.ts";
import { formPost, isRefusal, page, refusalState, signedInOnly, submitForm } from "./page-forms.ts";
import { cursorQuery, idParam, listingPhotoParam } from "../http/params.ts";

type C = Context<AppEnv>;

const DASHBOARD = "/seller/listings";
const PAGE_SIZE = 20;


/** Sellers only: visitors sign in first (then come back); members without a seller profile are pointed to onboarding. */
const sellersOnly = (backTo?: string) =>
  every(
    signedInOnly(backTo),
    createMiddleware<AppEnv>(async (c, next) => {
      if (requireAuth(c).roles.includes("seller")) return next();
      c.status(403);
      return c.render(<BecomeSeller />, { title: "Sell on Gigmarket" });
    }),
  );

const ownListing = (c: C, id: string) => findOwnListing(c.var.db, requireAuth(c), id);

/** What both listing forms need besides their state: the categories and how many optional rows to show. */
async function formProps(c: C, state: FormState) {
  const { value: categories } = await readCategoryTree(readContext(c));
  return { state, categories, rows: { extras: rowsShown(state.values, "extras"), faq: rowsShown(state.values, "faq") } };
}

const newView = (c: C) => async (state: FormState) => c.render(<NewListing {...await formProps(c, state)} />, { title: "New listing" });

/** The edit page, showing what was posted, or by default the saved listing. */
async function editView(c: C, listing: ListingDetail, state: FormState = { values: listingFormValues(listing), errors: {} }) {
  return c.render(<EditListing listing={ownListingDetailView(listing)} {...await formProps(c, state)} />, { title: `Edit: ${listing.title}` });
}

const formSpec = { prepare: listingFromForm, fieldOf: listingFormField };
const edited = (id: string, done: string) => `${DASHBOARD}/${id}/edit?done=${done}`;

/** Publishing or pausing: a refusal (say, what still stops publication) comes back on the edit page. */
async function changeStatus(c: C, id: string, change: typeof publishListing, done: string) {
  const listing = await ownListing(c, id);
  try {
    await afterListingWrite(c, await change(c.var.db, requireAuth(c), id));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return editView(c, listing, refusalState(c, error, listingFormValues(listing), formSpec));
  }
  return c.redirect(edited(id, done), 303);
}

/**
 * The seller's dashboard: their listings, and one form to create and edit them. Every write goes
 * through the listing service, then the same cache invalidation as the JSON API.
 */
export const sellerDashboardPages = new Hono<AppEnv>()
  .get(DASHBOARD, page, sellersOnly(), cursorQuery, async (c) => {
    const { cursor } = c.req.valid("query");
    const listings = await ownListingsPage(c.var.db, requireAuth(c), { cursor, limit: PAGE_SIZE });
    return c.render(<Dashboard listings={listings} onFirstPage={cursor === undefined} />, { title: "Your listings" });
  })
  .get(`${DASHBOARD}/new`, page, sellersOnly(), (c) => newView(c)({ values: NEW_LISTING_VALUES, errors: {} }))
  .post(DASHBOARD, formPost, sellersOnly(`${DASHBOARD}/new`), (c) =>
    submitForm(c, { schema: listingCreateInput, render: newView(c), ...formSpec }, async (input) => {
      const listing = await createListing(c.var.db, requireAuth(c), input);
      await afterListingWrite(c, listing);
      return c.redirect(edited(listing.id, "listing-created"), 303);
    }),
  )
  .get(`${DASHBOARD}/:id/edit`, page, sellersOnly(), idParam, async (c) => editView(c, await ownListing(c, c.req.valid("param").id)))
  .post(`${DASHBOARD}/:id`, formPost, sellersOnly(DASHBOARD), idParam, (c) => {
    const { id } = c.req.valid("param");
    const render = async (state: FormState) => editView(c, await ownListing(c, id), state);
    return submitForm(c, { schema: listingPatchInput, render, ...formSpec }, async (patch) => {
      await afterListingWrite(c, await updateListing(c.var.db, requireAuth(c), id, patch));
      return c.redirect(edited(id, "listing-saved"), 303);
    });
  })
  .post(`${DASHBOARD}/:id/publish`, formPost, sellersOnly(DASHBOARD), idParam, (c) => changeStatus(c, c.req.valid("param").id, publishListing, "listing-published"))
  .post(`${DASHBOARD}/:id/pause`, formPost, sellersOnly(DASHBOARD), idParam, (c) => changeStatus(c, c.req.valid("param").id, pauseListing, "listing-paused"))
  // Deleting takes a confirmation page, so a stray tap cannot do it.
  .get(`${DASHBOARD}/:id/delete`, page, sellersOnly(), idParam, async (c) => {
    const listing = await ownListing(c, c.req.valid("param").id);
    return c.render(<DeleteListing listing={listingView(listing)} />, { title: `Delete: ${listing.title}` });
  })
  // A plain file form (multipart) adds a photo; the body is streamed like the API's, not capped as a form.
  .post(`${DASHBOARD}/:id/photos`, page, sellersOnly(DASHBOARD), idParam, async (c) => {
    const { id } = c.req.valid("param");
    await uploadListingImage(c.var.db, { store: openMedia(c.env).store, queue: c.env.IMAGES_QUEUE }, requireAuth(c), id, uploadOf(c));
    return c.redirect(edited(id, "photo-uploaded"), 303);
  })
  // The profile photo, from the same kind of plain file form, through the same pipeline.
  .post("/seller/avatar", page, sellersOnly(DASHBOARD), async (c) => {
    await uploadAvatar(c.var.db, { store: openMedia(c.env).store, queue: c.env.IMAGES_QUEUE }, requireAuth(c), uploadOf(c));
    return c.redirect(`${DASHBOARD}?done=avatar-uploaded`, 303);
  })
  .post(`${DASHBOARD}/:id/photos/:imageId/delete`, formPost, sellersOnly(DASHBOARD), listingPhotoParam, async (c) => {
    const { id, imageId } = c.req.valid("param");
    await deleteOwnPhoto(c, imageId);
    return c.redirect(edited(id, "photo-deleted"), 303);
  })
  .post(`${DASHBOARD}/:id/delete`, formPost, sellersOnly(DASHBOARD), idParam, async (c) => {
    await deleteOwnListing(c, c.req.valid("param").id);
    return c.redirect(`${DASHBOARD}?done=listing-deleted`, 303);
  });
