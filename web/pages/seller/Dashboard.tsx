import type { OwnListingsPage } from "../../../workers/domain/listing-views.ts";
import { Pager } from "../../components/Pager.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatDay, formatMoney } from "../../format.ts";

/** A plain file form for the seller's profile photo (cropped square once processed); it works without JavaScript. */
function AvatarForm() {
  return (
    <form class="panel photos" method="post" action="/seller/avatar" enctype="multipart/form-data">
      <label for="avatar-file">Profile photo (JPEG, PNG or WebP, up to 20 MB; shown cropped square)</label>
      <input id="avatar-file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required />
      <button type="submit">Upload profile photo</button>
    </form>
  );
}

/** The seller's listings of every status, most recently changed first. */
export function Dashboard({ listings, onFirstPage }: { listings: OwnListingsPage; onFirstPage: boolean }) {
  return (
    <section class="dashboard">
      <div class="dashboard__head">
        <h1>Your listings</h1>
        <a class="button" href="/seller/listings/new">
          New listing
        </a>
      </div>
      {listings.items.length === 0 ? (
        <p class="panel">{onFirstPage ? "You have no listings yet. Create one: it stays a draft until you publish it." : "No more listings."}</p>
      ) : (
        <ul class="own-listings">
          {listings.items.map((item) => (
            <li class="own-listing">
              <div class="own-listing__head">
                <a class="own-listing__title" href={`/seller/listings/${item.id}/edit`}>
                  {item.title}
                </a>
                <StatusBadge status={item.status} />
              </div>
              <p class="own-listing__meta muted">
                {item.startingPrice ? `From ${formatMoney(item.startingPrice.amount, item.startingPrice.currency)}` : "No packages yet"} · Changed{" "}
                {formatDay(item.updatedAt)}
              </p>
              <div class="actions">
                <a class="button button--secondary" href={`/seller/listings/${item.id}/edit`}>
                  Edit<span class="visually-hidden"> {item.title}</span>
                </a>
                {item.status === "active" ? (
                  <a class="button button--link" href={`/listings/${item.slug}`}>
                    View live page<span class="visually-hidden"> of {item.title}</span>
                  </a>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager path="/seller/listings" nextCursor={listings.nextCursor} onFirstPage={onFirstPage} />
      <AvatarForm />
    </section>
  );
}
