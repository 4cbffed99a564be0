import { formatCount, plural } from "../format.ts";

/** Stars for the eye, a sentence for screen readers; "New" until the first review. */
export function Rating({ rating, count }: { rating: number | null; count: number }) {
  if (rating === null || count === 0) return <span class="muted">New</span>;
  return (
    <span class="rating">
      <span aria-hidden="true">
        ★ {rating.toFixed(1)} <span class="muted">({formatCount(count)})</span>
      </span>
      <span class="visually-hidden">
        Rated {rating.toFixed(1)} out of 5 from {plural(count, "review")}
      </span>
    </span>
  );
}
