import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import type { AppEnv } from "./context.ts";
import { errorHandler, notFoundHandler } from "./lib/error-handler.ts";
import { AppError } from "./lib/errors.ts";
import { apiBodies } from "./middleware/api-bodies.ts";
import { authenticate } from "./middleware/auth.ts";
import { cors } from "./middleware/cors.ts";
import { csrf } from "./middleware/csrf.ts";
import { edgeCache, neverShareCookies } from "./middleware/edge-cache.ts";
import { limitWrites } from "./middleware/rate-limit.ts";
import { requestLog } from "./middleware/request-log.ts";
import { markRecentWriter, recentWriter } from "./middleware/read-your-writes.ts";
import { services } from "./middleware/services.ts";
import { accountPages } from "./routes/account-pages.tsx";
import { admin } from "./routes/admin.ts";
import { auth } from "./routes/auth.ts";
import { bench } from "./routes/bench.ts";
import { catalog } from "./routes/catalog.ts";
import { catalogPages } from "./routes/catalog-pages.tsx";
import { chatPages } from "./routes/chat-pages.tsx";
import { conversations } from "./routes/conversations.ts";
import { listingModeration, listingWrites, ownListings } from "./routes/listings.ts";
import { devMailbox } from "./routes/dev-mailbox.tsx";
import { liveness, readiness } from "./routes/health.ts";
import { imageApi, imageFiles, listingImages } from "./routes/images.ts";
import { me, seller } from "./routes/me.ts";
import { pageAccountLinks, pages, renderErrorPage } from "./routes/pages.tsx";
import { sellerDashboardPages } from "./routes/seller-dashboard-pages.tsx";
import { search, searchAdmin } from "./routes/search.ts";
import { searchPages } from "./routes/search-pages.tsx";

/** Public pages and reads that every reader may be served from the edge cache (pages personalised there). */
const SHARED_PATHS = /^\/(api\/(categories|listings|sellers|search)(\/|$)|categories\/|listings\/|sellers\/|search$|$)/;

/** Builds the whole HTTP app; the Worker entry and the tests use this same factory. */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(requestId({ limitLength: 64 }));
  app.use(requestLog);
  app.use(timing({ totalDescription: "total", crossOrigin: false }));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      crossOriginResourcePolicy: "same-site",
      // What frame-ancestors 'none' says, for browsers that only read this header.
      xFrameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      strictTransportSecurity: "max-age=63072000; includeSubDomains",
    }),
  );
  app.use("/api/*", cors);
  app.use("/api/*", apiBodies);
  app.use(neverShareCookies);

  // Liveness must answer even when configuration or dependencies are broken, so it sits before services.
  app.route("/", liveness);
  // Variant files need neither a session nor a database: their URLs are immutable and deleting removes the objects.
  app.route("/images", imageFiles);
  // An edge hit is answered before any per-request service exists; a miss or a stale copy is rendered by the app itself.
  app.use(recentWriter);
  app.use(
    edgeCache({
      shared: (path) => SHARED_PATHS.test(path),
      render: async (c, request) => app.fetch(request, c.env, c.executionCtx),
      accountLinks: pageAccountLinks,
    }),
  );
  app.use(services);
  app.use(markRecentWriter);
  app.use(csrf);
  app.use(authenticate);
  app.use("/api/*", limitWrites);
  app.route("/", readiness);
  app.route("/api/auth", auth);
  app.route("/api/me", me);
  app.route("/api/seller", seller);
  app.route("/api/seller/listings", ownListings);
  app.route("/api", catalog);
  app.route("/api/listings", listingWrites);
  app.route("/api/listings", listingImages);
  app.route("/api/images", imageApi);
  app.route("/api/search", search);
  app.route("/api/conversations", conversations);
  app.route("/api/admin", admin);
  app.route("/api/admin/search", searchAdmin);
  app.route("/api/admin/listings", listingModeration);
  app.route("/", pages);
  app.route("/", accountPages);
  app.route("/", catalogPages);
  app.route("/", searchPages);
  app.route("/", chatPages);
  app.route("/", sellerDashboardPages);
  app.route("/", devMailbox);
  app.use("/__bench/*", async (c, next) => {
    if (c.var.config.BENCH_ROUTES !== "on") throw new AppError("not_found", `Nothing at ${c.req.method} ${c.req.path}.`);
    await next();
  });
  app.route("/__bench", bench);

  app.notFound(notFoundHandler(renderErrorPage));
  app.onError(errorHandler(renderErrorPage));
  return app;
}

export type App = ReturnType<typeof createApp>;
