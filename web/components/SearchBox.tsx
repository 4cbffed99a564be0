/** The search box in every page's header: a plain GET form; search.js adds suggestions when JavaScript runs. */
export function SearchBox({ query = "" }: { query?: string }) {
  return (
    <form class="search-box" method="get" action="/search" role="search">
      <label class="visually-hidden" for="site-search">
        Search services
      </label>
      <input id="site-search" type="search" name="q" value={query} placeholder="Search services" maxlength={200} autocomplete="off" list="site-search-suggestions" />
      <datalist id="site-search-suggestions" />
      <button type="submit">Search</button>
    </form>
  );
}
