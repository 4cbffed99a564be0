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

/** The account links as a shared page carries them (signed out), and as a signed-in buyer or seller sees them. */
const navs = new Map<string, string>();
async function accountNav(signedIn: boolean, seller: boolean): Promise<string> {
  const key = `${signedIn}:${seller}`;
  const known = navs.get(key);
  if (known !== undefined) return known;
  const nav = (await (<AccountNav signedIn={signedIn} seller={seller} />)).toString();
  navs.set(key, nav);
  return nav;
}

/**
 * A shared page made the caller's at the edge, with no database round trip: the signed-out account links
 * the shared copy carries are replaced by the caller's, from their verified token. Nothing else on a
 * public page depends on who reads it. The links are found as the exact markup the layout renders for a
 * signed-out reader (the header comes first, and no user content can hold raw markup), which costs a
 * string search where an HTMLRewriter pass streamed the whole page (docs/caching.md).
 */
export async function personalisePage(page: string, caller: AccessClaims): Promise<string> {
  const [signedOut, theirs] = await Promise.all([accountNav(false, false), accountNav(true, caller.roles.includes("seller"))]);
  const at = page.indexOf(signedOut);
  return at === -1 ? page : page.slice(0, at) + theirs + page.slice(at + signedOut.length);
}

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
