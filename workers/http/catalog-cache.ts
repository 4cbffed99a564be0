import type { Context } from "hono";
import { setMetric } from "hono/timing";
import type { AppEnv } from "../context.ts";
import { invalidateListings, type Read, type ReadContext } from "../domain/catalog-reads.ts";
import { PUBLIC_CACHE_CONTROL, publicCacheControl, purgeEdge } from "../middleware/edge-cache.ts";
import { justWrote } from "../middleware/read-your-writes.ts";

/**
 * The catalog read context of a request: its read database and the shared cache. A caller who just
 * wrote skips Redis, the replica and other requests' loads, so their own change is what they read back.
 */
export function readContext(c: Context<AppEnv>): ReadContext {
  return {
    db: c.var.db.read,
    cache: {
      enabled: c.var.config.CATALOG_CACHE === "on",
      redis: c.var.redis,
      bypass: justWrote(c),
      defer: (work) => c.executionCtx.waitUntil(work),
      timed: (step, ms) => setMetric(c, step, ms),
    },
  };
}

/**
 * Marks a public answer (JSON or page): Server-Timing names the cache level that answered, and anonymous
 * callers may be served it from the edge. Signed-in callers get `private, no-store` from the auth
 * middleware instead, so nothing personal is ever shared. `edge` shortens the edge's lifetimes (search).
 */
export function sharePublicly(c: Context<AppEnv>, read: Pick<Read<unknown>, "source">, edge?: { fresh: number; stale: number }) {
  setMetric(c, "cache", read.source);
  if (!c.var.auth) c.header("Cache-Control", edge ? publicCacheControl(edge.fresh, edge.stale) : PUBLIC_CACHE_CONTROL);
}

// waitUntil work must end within 30 s of the response.
const MAX_REPLICA_SETTLE_SECONDS = 20;

export interface ChangedCatalog {
  slugs: string[];
  sellerUsername: string | null;
}

/**
 * Drops the Redis entries naming the listings (and their seller). With a read replica, a reader may
 * refill Redis from a replica that has not replayed the write yet, so the entries are dropped once more
 * after the read-your-writes window, the replica lag we allow for.
 */
async function dropSharedCopies(c: Context<AppEnv>, changed: ChangedCatalog) {
  const redis = c.var.redis;
  await invalidateListings({ redis }, changed);
  const { DATABASE_REPLICA_URL, READ_YOUR_WRITES_SECONDS } = c.var.config;
  if (!DATABASE_REPLICA_URL || !redis) return;
  const settle = Math.min(READ_YOUR_WRITES_SECONDS, MAX_REPLICA_SETTLE_SECONDS) * 1000;
  c.executionCtx.waitUntil(new Promise((resolve) => setTimeout(resolve, settle)).then(() => invalidateListings({ redis }, changed)));
}

/** The public addresses (JSON and pages) that show these listings and this seller. */
function catalogPaths(changed: ChangedCatalog): string[] {
  const paths = changed.slugs.flatMap((slug) => [`/api/listings/${slug}`, `/listings/${slug}`]);
  if (changed.sellerUsername) paths.push(`/api/sellers/${changed.sellerUsername}`, `/sellers/${changed.sellerUsername}`);
  return paths;
}

/**
 * After a write commits: the shared (Redis) copies of what it changed are dropped, and this location's
 * edge copies of their pages. Other locations' copies age out within the bound (docs/caching.md).
 */
export async function forgetCatalogPages(c: Context<AppEnv>, changed: ChangedCatalog) {
  await dropSharedCopies(c, changed);
  c.executionCtx.waitUntil(purgeEdge(new URL(c.req.url).origin, catalogPaths(changed)));
}
