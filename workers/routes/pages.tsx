import { Hono, type Context } from "hono";
import { jsxRenderer } from "hono/jsx-renderer";
import type { AppEnv } from "../context.ts";
import type { AccessClaims } from "../domain/tokens.ts";
import { readCategoryTree, readHome } from "../domain/catalog-reads.ts";
import type { AppError } from "../lib/errors.ts";
import { readContext, sharePublicly } from "../http/catalog-cache.ts";
import { flashMessage } from "../../web/components/forms.tsx";
import { AccountNav, Layout } from "../../web/layout.tsx";
import { ErrorPage } from "../../web/pages/ErrorPage.tsx";
import { Home } from "../../web/pages/Home.tsx";

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string; description?: string }): Response | Promise<Response>;
  }
}

/** Renders page content into the site layout; page routes take it per route, so the API never runs it. */
export const renderer = jsxRenderer(({ children, title, description }, c: Context<AppEnv>) => (
  <Layout
    title={title}
    description={description}
    signedIn={Boolean(c.var.auth)}
    seller={c.var.auth?.roles.includes("seller")}
    flash={flashMessage(c.req.query("done"))}
    query={c.req.path === "/search" ? c.req.query("q") : undefined}
  >
    {children}
  </Layout>
));

/** The account links, as UTF-8 bytes, for a signed-out reader and for a signed-in buyer or seller (built once per isolate). */
const navs = new Map<string, Uint8Array>();
async function accountNav(signedIn: boolean, seller: boolean): Promise<Uint8Array> {
  const key = `${signedIn}:${seller}`;
  const known = navs.get(key);
  if (known) return known;
  const nav = new TextEncoder().encode((await (<AccountNav signedIn={signedIn} seller={seller} />)).toString());
  navs.set(key, nav);
  return nav;
}

/**
 * A shared page made the caller's at the edge, with no database round trip: the signed-out account links
 * the shared copy carries are replaced by the caller's, from their verified token. Nothing else on a
 * public page depends on who reads it. The edge finds the links once, when it stores the page, as the
 * exact markup the layout renders for a signed-out reader (the header comes first, and no user content
 * can hold raw markup); each signed-in read then splices the caller's links into the stored bytes
 * (docs/caching.md, "What an edge hit costs").
 */
export const pageAccountLinks = {
  signedOut: () => accountNav(false, false),
  of: (caller: AccessClaims) => accountNav(true, caller.roles.includes("seller")),
};

/** The HTML view of an error, for browsers (the API answers JSON). */
export function renderErrorPage(c: Context<AppEnv>, error: AppError) {
  // Unset when the error came before authentication ran.
  const auth = c.get("auth") as AppEnv["Variables"]["auth"] | undefined;
  return c.html(
    <Layout title="Error" signedIn={Boolean(auth)} seller={auth?.roles.includes("seller")}>
      <ErrorPage status={error.status} message={error.message} />
    </Layout>,
    error.status,
  );
}

export const pages = new Hono<AppEnv>().get("/", renderer, async (c) => {
  const ctx = readContext(c);
  const [home, tree] = await Promise.all([readHome(ctx), readCategoryTree(ctx)]);
  sharePublicly(c, home);
  return c.render(<Home home={home.value} categories={tree.value} />, {
    title: "Freelance services",
    description: "Hire independent sellers for design, writing, programming and more.",
  });
});
