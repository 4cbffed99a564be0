import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import type { AppEnv } from "./context.ts";
import { readConfig } from "./lib/config.ts";
import { errorHandler, notFoundHandler } from "./lib/error-handler.ts";
import { AppError } from "./lib/errors.ts";
import { bench } from "./routes/bench.ts";
import { liveness, readiness } from "./routes/health.ts";
import { pages, renderErrorPage } from "./routes/pages.tsx";
import { services } from "./middleware/services.ts";

/** JSON bodies above this are refused with 413 (uploads get their own limit on their routes). */
const JSON_BODY_LIMIT = 256 * 1024;

/** Builds the whole HTTP app; the Worker entry and the tests use this same factory. */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(requestId({ limitLength: 64 }));
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
      referrerPolicy: "strict-origin-when-cross-origin",
      strictTransportSecurity: "max-age=63072000; includeSubDomains",
    }),
  );
  app.use(
    "/api/*",
    cors({
      // The site itself is same-origin; other origins must be listed in CORS_ORIGINS.
      origin: (origin, c: Context<AppEnv>) => (readConfig(c.env).CORS_ORIGINS.includes(origin) ? origin : null),
      credentials: true,
      allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
      allowHeaders: ["Content-Type", "Idempotency-Key", "X-Request-Id"],
      exposeHeaders: ["X-Request-Id", "Server-Timing", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
      maxAge: 600,
    }),
  );
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: JSON_BODY_LIMIT,
      onError: () => {
        throw new AppError("payload_too_large", `Request bodies are limited to ${JSON_BODY_LIMIT / 1024} KiB.`);
      },
    }),
  );

  // Liveness must answer even when configuration or dependencies are broken, so it sits before services.
  app.route("/", liveness);
  app.use(services);
  app.route("/", readiness);
  app.route("/", pages);
  app.use("/__bench/*", async (c, next) => {
    if (c.env.BENCH_ROUTES !== "on") throw new AppError("not_found", `Nothing at ${c.req.method} ${c.req.path}.`);
    await next();
  });
  app.route("/__bench", bench);

  app.notFound(notFoundHandler(renderErrorPage));
  app.onError(errorHandler(renderErrorPage));
  return app;
}

export type App = ReturnType<typeof createApp>;
