import type { OwnListingDetailJson } from "../../../workers/domain/listing-views.ts";

const STATUS_TEXT = { processing: "Processing…", ready: "Ready", failed: "Failed" } as const;

function DeleteButton({ action }: { action: string }) {
  return (
    <form method="post" action={action}>
      <button class="button--secondary" type="submit">
        Delete
      </button>
    </form>
  );
}

/**
 * The listing's photos on its edit page, each with a delete button, then the ones that failed with the
 * reason, and a plain file form to add one: it works without JavaScript (the browser posts the file as
 * multipart field `file`).
 */
export function ListingPhotos({ listing }: { listing: Pick<OwnListingDetailJson, "id" | "images" | "failedImages"> }) {
  const base = `/seller/listings/${listing.id}/photos`;
  return (
    <section class="panel photos" aria-labelledby="photos-title">
      <h2 id="photos-title">Photos</h2>
      {listing.images.length + listing.failedImages.length === 0 ? <p class="muted">No photos yet. The first one becomes the cover.</p> : null}
      <ul class="photos__list">
        {listing.images.map((image, index) => (
          <li class="photos__item">
            {image.variants[0] ? <img src={image.variants[0].url} width={image.variants[0].width} alt={`Photo ${index + 1}`} loading="lazy" /> : null}
            <span class="photos__status">{STATUS_TEXT[image.status]}</span>
            <DeleteButton action={`${base}/${image.id}/delete`} />
          </li>
        ))}
        {listing.failedImages.map((image) => (
          <li class="photos__item photos__item--failed">
            <span class="photos__status">
              {STATUS_TEXT.failed}: {image.reason ?? "the file could not be processed."}
            </span>
            <DeleteButton action={`${base}/${image.id}/delete`} />
          </li>
        ))}
      </ul>
      <form method="post" action={base} enctype="multipart/form-data" data-photo-picker={listing.id}>
        <label for="photo-file">Add a photo (JPEG, PNG or WebP, up to 20 MB)</label>
        <input id="photo-file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required />
        <button type="submit">Upload photo</button>
      </form>
      {/* /photos.js: several files at once, downsized, with progress and live status (the form works without it). */}
      <script type="module" src="/photos.js"></script>
    </section>
  );
}
