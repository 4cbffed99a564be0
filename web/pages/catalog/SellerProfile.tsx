import type { SellerPage } from "../../../workers/domain/catalog-reads.ts";
import { CardGrid } from "../../components/ListingCard.tsx";
import { Pager } from "../../components/Pager.tsx";
import { ReviewList } from "../../components/Reviews.tsx";
import { Avatar, SellerFacts } from "../../components/SellerFacts.tsx";

export function SellerProfile({ page }: { page: SellerPage }) {
  const { seller } = page;
  return (
    <>
      <section class="profile" aria-labelledby="profile-heading">
        <div class="seller-card__head">
          <Avatar name={seller.displayName} avatar={seller.avatar} />
          <div>
            <h1 id="profile-heading">{seller.displayName}</h1>
            <p class="muted">@{seller.username}</p>
          </div>
        </div>
        <SellerFacts seller={seller} />
        <a class="button button--secondary button--wide" href={`/sellers/${seller.username}/contact`}>
          Contact {seller.displayName}
        </a>
        {seller.bio ? <p class="profile__bio">{seller.bio}</p> : null}
        {seller.skills.length > 0 ? (
          <>
            <h2>Skills</h2>
            <ul class="chips">
              {seller.skills.map((skill) => (
                <li class="chip chip--static">{skill}</li>
              ))}
            </ul>
          </>
        ) : null}
        {seller.languages.length > 0 ? (
          <p>
            <span class="muted">Speaks </span>
            {seller.languages.join(", ")}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="services-heading">
        <h2 id="services-heading">Services</h2>
        <CardGrid listings={page.listings.items} empty={`${seller.displayName} has no services on offer right now.`} />
        <Pager path={`/sellers/${seller.username}/services`} nextCursor={page.listings.nextCursor} onFirstPage next="More services" />
      </section>
      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Reviews</h2>
        <ReviewList reviews={page.reviews.items} showListing />
        <Pager path={`/sellers/${seller.username}/reviews`} nextCursor={page.reviews.nextCursor} onFirstPage next="More reviews" />
      </section>
    </>
  );
}
