import { z } from "zod";
import { AppError } from "./errors.ts";
import { log } from "./log.ts";

const optional = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/** Vars and secrets, checked once per isolate: a missing or malformed secret fails loudly, not deep in a query. */
const configSchema = z.object({
  APP_ENV: z.enum(["production", "staging", "development", "test"]).default("production"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
  DATABASE_REPLICA_URL: optional.pipe(z.string().regex(/^postgres(ql)?:\/\//).optional()),
  /** Empty means no Redis: the site runs without the shared cache (degraded, still correct). */
  UPSTASH_REDIS_REST_URL: optional.pipe(z.url().optional()),
  UPSTASH_REDIS_REST_TOKEN: optional,
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  READ_YOUR_WRITES_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Compared with the Origin header, so each entry is normalised to a bare origin (no path, no trailing slash). */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url().transform((url) => new URL(url).origin))),
  /** How long a Redis call may take before the request carries on without it (cache miss, limiter fallback). */
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(50).max(5000).default(500),
  /** How long any database call may take before the request answers 503 (or a stale cached copy). */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  CATALOG_CACHE: z.enum(["on", "off"]).default("on"),
  /** "on" mounts the /__bench baseline routes; only `npm run bench` sets it. */
  BENCH_ROUTES: z.enum(["on", "off"]).default("off"),
  NEON_LOCAL_PROXY: optional,
  /** Origin for links in emails; empty uses the request's origin (local dev). */
  PUBLIC_ORIGIN: optional.pipe(z.url().optional()),
  EMAIL_PROVIDER: z.enum(["log", "http"]).default("log"),
  EMAIL_API_URL: optional.pipe(z.url().optional()),
  EMAIL_API_KEY: optional,
  EMAIL_FROM: z.string().min(3).default("Gigmarket <no-reply@gigmarket.example>"),
  /** The zone-wide purge of deleted images' cached variants (http/zone-purge.ts): off unless both are set. */
  CLOUDFLARE_ZONE_ID: optional,
  CLOUDFLARE_PURGE_TOKEN: optional,
  CLOUDFLARE_API_URL: z.url().default("https://api.cloudflare.com/client/v4"),
}).superRefine((config, ctx) => {
  // Links in emails must never be built from a request's Host header on a deployed Worker.
  if ((config.APP_ENV === "production" || config.APP_ENV === "staging") && !config.PUBLIC_ORIGIN) {
    ctx.addIssue({ code: "custom", path: ["PUBLIC_ORIGIN"], message: "is required in production and staging" });
  }
  if (config.UPSTASH_REDIS_REST_URL && !config.UPSTASH_REDIS_REST_TOKEN) {
    ctx.addIssue({ code: "custom", path: ["UPSTASH_REDIS_REST_TOKEN"], message: "is required when UPSTASH_REDIS_REST_URL is set" });
  }
  if (config.EMAIL_PROVIDER === "http" && (!config.EMAIL_API_URL || !config.EMAIL_API_KEY)) {
    ctx.addIssue({ code: "custom", path: ["EMAIL_API_KEY"], message: 'EMAIL_PROVIDER "http" needs EMAIL_API_URL and EMAIL_API_KEY' });
  }
});

export type Config = z.output<typeof configSchema>;

const cache = new WeakMap<object, Config>();

export function readConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // Names only, never a value; and only to the log: callers learn nothing about our secrets.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    log("error", "configuration invalid", { problems });
    throw new AppError("unavailable", "The service is misconfigured.");
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
