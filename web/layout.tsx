import type { Child } from "hono/jsx";
import { Flash } from "./components/forms.tsx";
import { SearchBox } from "./components/SearchBox.tsx";

export interface LayoutProps {
  title: string;
  description?: string;
  signedIn?: boolean;
  /** Sellers get a link to their dashboard. */
  seller?: boolean;
  /** A fixed message confirming what the visitor just did. */
  flash?: string;
  /** What the header's search box shows (the search page's own query). */
  query?: string;
  children?: Child;
}

/**
 * The account links in the header. Shared (cached) pages carry the signed-out version; the edge swaps
 * in the signed-in one for a signed-in caller (workers/routes/pages.tsx, personalisePage).
 */
export function AccountNav({ signedIn, seller }: Pick<LayoutProps, "signedIn" | "seller">) {
  return (
    <nav class={seller ? "account-nav account-nav--seller" : "account-nav"} aria-label="Account">
      {signedIn ? (
        <>
          {seller ? <a href="/seller/listings">Dashboard</a> : null}
          <a href="/messages">Messages</a>
          <a href="/account">Account</a>
          <form method="post" action="/logout">
            <button class="button--link" type="submit">
              Sign out
            </button>
          </form>
        </>
      ) : (
        <>
          <a href="/login">Sign in</a>
          <a class="button" href="/signup">
            Join
          </a>
        </>
      )}
    </nav>
  );
}

/** The shell every page renders into: mobile-first, no client framework, works without JavaScript. */
export function Layout({ title, description, signedIn, seller, flash, query, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Gigmarket`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href="/styles.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script src="/search.js" defer />
      </head>
      <body>
        <header class="site-header">
          <div class="container site-header__inner">
            <a class="brand" href="/">
              Gigmarket
            </a>
            <SearchBox query={query} />
            <AccountNav signedIn={signedIn} seller={seller} />
          </div>
        </header>
        <main class="container">
          {flash ? <Flash message={flash} /> : null}
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">Services from independent sellers. Payments held in escrow until you approve the work.</div>
        </footer>
      </body>
    </html>
  );
}
