import type { ListingJson, ListingStatus, OwnListingDetailJson } from "../../../workers/domain/listing-views.ts";
import { ListingForm, type ListingFormProps } from "../../components/ListingForm.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { ListingPhotos } from "./ListingPhotos.tsx";

type FormProps = Omit<ListingFormProps, "action" | "submit">;

export function NewListing(props: FormProps) {
  return (
    <section class="editor">
      <p>
        <a href="/seller/listings">← Your listings</a>
      </p>
      <h1>New listing</h1>
      <p class="muted">It stays a draft, visible only to you, until you publish it.</p>
      <ListingForm action="/seller/listings" submit="Save draft" {...props} />
    </section>
  );
}

const STATUS_TEXT: Partial<Record<ListingStatus, string>> = {
  draft: "Only you can see this draft.",
  active: "Buyers can find this service.",
  paused: "Hidden from buyers until you publish it again.",
  suspended: "An admin suspended this listing, so it cannot be published.",
};

/**
 * The owner's page for one listing: its status and what to do with it, the form, and the way to delete it.
 * `listing` is the JSON API's view of it (`ownListingDetailView`), the same shape `GET /api/seller/listings/:id` sends.
 */
export function EditListing({ listing, ...props }: FormProps & { listing: Pick<OwnListingDetailJson, "id" | "slug" | "title" | "status" | "images" | "failedImages"> }) {
  const base = `/seller/listings/${listing.id}`;
  return (
    <section class="editor">
      <p>
        <a href="/seller/listings">← Your listings</a>
      </p>
      <h1>Edit listing</h1>
      <div class="panel status-panel">
        <p>
          <StatusBadge status={listing.status} /> {STATUS_TEXT[listing.status]}
        </p>
        <div class="actions">
          {listing.status === "active" ? (
            <>
              <a class="button button--secondary" href={`/listings/${listing.slug}`}>
                View live page
              </a>
              <form method="post" action={`${base}/pause`}>
                <button class="button--secondary" type="submit">
                  Pause
                </button>
              </form>
            </>
          ) : listing.status === "suspended" ? null : (
            <form method="post" action={`${base}/publish`}>
              <button type="submit">Publish</button>
            </form>
          )}
        </div>
      </div>
      <ListingPhotos listing={listing} />
      <ListingForm action={base} submit="Save changes" {...props} />
      <p class="editor__delete">
        <a class="link--danger" href={`${base}/delete`}>
          Delete this listing
        </a>
      </p>
    </section>
  );
}

export function DeleteListing({ listing }: { listing: Pick<ListingJson, "id" | "title"> }) {
  const base = `/seller/listings/${listing.id}`;
  return (
    <section class="form-page">
      <h1>Delete this listing?</h1>
      <p>
        <strong>{listing.title}</strong> will be gone for good: buyers will no longer find it, and you cannot bring it back. Orders already placed on it
        are not affected.
      </p>
      <div class="actions">
        <form method="post" action={`${base}/delete`}>
          <button class="button--danger" type="submit">
            Delete listing
          </button>
        </form>
        <a class="button button--secondary" href={`${base}/edit`}>
          Keep it
        </a>
      </div>
    </section>
  );
}

/** What a signed-in member without a seller profile sees instead of the dashboard. */
export function BecomeSeller() {
  return (
    <section class="form-page">
      <h1>Sell on Gigmarket</h1>
      <p>The dashboard is where sellers create and manage their services. Set up a seller profile first: it takes a minute.</p>
      <a class="button" href="/seller/onboard">
        Start selling
      </a>
    </section>
  );
}
