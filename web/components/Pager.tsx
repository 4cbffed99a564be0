/** Keyset paging: a link to the page after the last item shown, and back to the first; never page numbers. */
export function Pager({ path, nextCursor, onFirstPage, next = "Next page" }: { path: string; nextCursor: string | null; onFirstPage: boolean; next?: string }) {
  if (!nextCursor && onFirstPage) return null;
  return (
    <nav class="pager" aria-label="More pages">
      {onFirstPage ? null : <a href={path}>Back to the first page</a>}
      {nextCursor ? (
        <a class="button button--secondary" rel="next" href={`${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(nextCursor)}`}>
          {next}
        </a>
      ) : null}
    </nav>
  );
}
