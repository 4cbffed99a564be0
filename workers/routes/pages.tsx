import { Hono, type Context } from "hono";
import { jsxRenderer } from "hono/jsx-renderer";
import type { AppEnv } from "../context.ts";
import { listCategories, listNewestListings } from "../data/catalog.ts";
import { buildCategoryTree } from "../domain/categories.ts";
import type { AppError } from "../lib/errors.ts";
import { Layout } from "../../web/layout.tsx";
import { ErrorPage } from "../../web/pages/ErrorPage.tsx";
import { Home } from "../../web/pages/Home.tsx";

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string; description?: string }): Response | Promise<Response>;
  }
}

/** Renders page content into the site layout; page routes take it per route, so the API never runs it. */
export const renderer = jsxRenderer(({ children, title, description }) => (
  <Layout title={title} description={description}>
    {children}
  </Layout>
));

/** The HTML view of an error, for browsers (the API answers JSON). */
export function renderErrorPage(c: Context, error: AppError) {
  return c.html(
    <Layout title="Error">
      <ErrorPage status={error.status} message={error.message} />
    </Layout>,
    error.status,
  );
}

export const pages = new Hono<AppEnv>().get("/", renderer, async (c) => {
  const db = c.var.db.read;
  const [categoryRows, newest] = await Promise.all([listCategories(db), listNewestListings(db, 8)]);
  return c.render(<Home categories={buildCategoryTree(categoryRows)} newest={newest} />, {
    title: "Freelance services",
    description: "Hire independent sellers for design, writing, programming and more.",
  });
});
