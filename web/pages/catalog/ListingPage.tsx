import type { ListingJson, ReviewsPage } from "../../../workers/domain/listing-views.ts";
import { Breadcrumbs } from "../../components/Breadcrumbs.tsx";
import { PackageTabs } from "../../components/PackageTabs.tsx";
import { Rating } from "../../components/Rating.tsx";
import { ReviewList } from "../../components/Reviews.tsx";
import { Avatar, SellerFacts } from "../../components/SellerFacts.tsx";
import { formatMoney, placeholderUrl, plural } from "../../format.ts";

/** The category trail of a listing: Home › top-level › subcategory. */
export function listingTrail(listing: ListingJson) {
  const { category } = listing;
  return [
    { href: "/", label: "Home" },
    ...(category.parent ? [{ href: `/categories/${category.parent.slug}`, label: category.parent.name ?? category.parent.slug }] : []),
    { href: `/categories/${category.slug}`, label: category.name },
  ];
}

function Gallery({ listing }: { listing: ListingJson }) {
  const ready = listing.images.filter((image) => image.status === "ready" && image.variants.length > 0);
  if (ready.length === 0) {
    return (
      <div class="gallery__placeholder" aria-hidden="true">
        <span>{listing.category.name}</span>
      </div>
    );
  }
  return (
    <ul class="gallery" aria-label="Pictures">
      {ready.map((image, index) => (
        <li class="gallery__item">
          {image.placeholder ? <img class="gallery__hash" src={placeholderUrl(image.placeholder)} alt="" aria-hidden="true" /> : null}
          <img
            class="gallery__photo"
            width={image.width ?? undefined}
            height={image.height ?? undefined}
            src={image.variants.at(-1)!.url}
            srcset={image.variants.map((variant) => `${variant.url} ${variant.width}w`).join(", ")}
            sizes="(min-width: 64rem) 40rem, 100vw"
            alt={`${listing.title}, picture ${index + 1} of ${ready.length}`}
            loading={index === 0 ? "eager" : "lazy"}
          />
        </li>
      ))}
    </ul>
  );
}

type Seller = ListingJson["seller"];

/** Breadcrumbs, title, the seller's name and the rating: what the page opens with. */
function ListingHeader({ listing }: { listing: ListingJson }) {
  const { seller } = listing;
  return (
    <>
      <Breadcrumbs trail={listingTrail(listing)} />
      <h1>{listing.title}</h1>
      <p class="listing__byline">
        <span>
          by {seller.username ? <a href={`/sellers/${seller.username}`}>{seller.displayName}</a> : seller.displayName}
        </span>
        <Rating rating={listing.rating} count={listing.reviewCount} />
      </p>
    </>
  );
}

function PackagesSection({ listing }: { listing: ListingJson }) {
  return (
    <section aria-labelledby="packages-heading">
      <h2 id="packages-heading">Packages</h2>
      <PackageTabs slug={listing.slug} packages={listing.packages} />
      <a class="button button--secondary button--wide" href={`/listings/${listing.slug}/contact`}>
        Contact {listing.seller.displayName}
      </a>
    </section>
  );
}

function AboutSection({ listing }: { listing: ListingJson }) {
  return (
    <section aria-labelledby="about-heading">
      <h2 id="about-heading">About this service</h2>
      {/* The one place raw HTML is rendered: descriptionHtml is sanitised Markdown (HTML, links and images off). */}
      <div class="prose" dangerouslySetInnerHTML={{ __html: listing.descriptionHtml }} />
      {listing.tags.length > 0 ? (
        <ul class="chips" aria-label="Tags">
          {listing.tags.map((tag) => (
            <li class="chip chip--static">{tag}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The add-ons with their price and added days; nothing when the listing has none. */
function ExtrasSection({ extras }: { extras: ListingJson["extras"] }) {
  if (extras.length === 0) return null;
  return (
    <section aria-labelledby="extras-heading">
      <h2 id="extras-heading">Extras</h2>
      <ul class="extras">
        {extras.map((extra) => (
          <li>
            <span>{extra.title}</span>
            <span class="extras__price">
              +{formatMoney(extra.price.amount, extra.price.currency)}
              {extra.addedDays > 0 ? <span class="muted"> · +{plural(extra.addedDays, "day")}</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SellerCard({ seller }: { seller: Seller }) {
  return (
    <section class="seller-card" aria-labelledby="seller-heading">
      <h2 id="seller-heading">About the seller</h2>
      <div class="seller-card__head">
        <Avatar name={seller.displayName} avatar={seller.avatar} />
        <div>
          <p class="seller-card__name">{seller.displayName}</p>
          {seller.username ? <a href={`/sellers/${seller.username}`}>@{seller.username}</a> : null}
        </div>
      </div>
      <SellerFacts seller={seller} />
    </section>
  );
}

/** Nothing when the listing has no questions. */
function FaqSection({ faq }: { faq: ListingJson["faq"] }) {
  if (faq.length === 0) return null;
  return (
    <section aria-labelledby="faq-heading">
      <h2 id="faq-heading">Questions and answers</h2>
      {faq.map((entry) => (
        <details class="faq">
          <summary>{entry.question}</summary>
          <p>{entry.answer}</p>
        </details>
      ))}
    </section>
  );
}

/** The first page of reviews, and a link to the next when there is more. */
function ReviewsSection({ slug, reviews }: { slug: string; reviews: ReviewsPage }) {
  return (
    <section aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Reviews</h2>
      <ReviewList reviews={reviews.items} />
      {reviews.nextCursor ? (
        <p>
          <a class="button button--secondary" href={`/listings/${slug}/reviews?cursor=${encodeURIComponent(reviews.nextCursor)}`}>
            More reviews
          </a>
        </p>
      ) : null}
    </section>
  );
}

export function ListingPage({ listing, reviews }: { listing: ListingJson; reviews: ReviewsPage }) {
  return (
    <article class="listing">
      <ListingHeader listing={listing} />
      <Gallery listing={listing} />
      <PackagesSection listing={listing} />
      <AboutSection listing={listing} />
      <ExtrasSection extras={listing.extras} />
      <SellerCard seller={listing.seller} />
      <FaqSection faq={listing.faq} />
      <ReviewsSection slug={listing.slug} reviews={reviews} />
    </article>
  );
}
