import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { setMetric } from "hono/timing";
import type { AppEnv } from "../context.ts";
import { hasSessionCookie } from "./auth.ts";
import { hotDelete, hotGet, hotSet, type HotEntry } from "./hot-cache.ts";
import { readConfig } from "../lib/config.ts";
import { justWrote } from "./read-your-writes.ts";

/**
 * The first cache level: the Workers Cache API at each location (with the isolate's memory in front of
 * it), for public responses to anonymous visitors. Fresh for EDGE_FRESH_SECONDS; then served stale for
 * up to EDGE_STALE_SECONDS while one background request renders it again. A signed-in caller or one
 * who just wrote never reads or fills it.
 */
export const EDGE_FRESH_SECONDS = 30;
export const EDGE_STALE_SECONDS = 30;

/** When the entry was stored (ms since epoch): its age decides fresh, stale or gone. */
export const STORED_AT = "X-Edge-Stored-At";
/** Marks this isolate's own background revalidation requests; unguessable, so clients cannot force misses. */
const REVALIDATE_HEADER = "X-Edge-Revalidate";
let token: string | undefined;
/** Entries being refreshed (url → start time), so a stale entry triggers one refresh, not one per reader. */
const refreshing = new Map<string, number>();
// Made on first use: Workers allow no random values at global scope.
const revalidateToken = () => (token ??= crypto.randomUUID());

/** What a route answers when its response may be shared: browsers revalidate (ETag), the edge keeps it briefly. */
export const PUBLIC_CACHE_CONTROL = `public, max-age=0, s-maxage=${EDGE_FRESH_SECONDS}, stale-while-revalidate=${EDGE_STALE_SECONDS}`;

/** One URL for one resource: query parameters sorted, no fragment. Most URLs have neither, and pass as they are. */
function normalizedUrl(url: string): string {
  if (!url.includes("?") && !url.includes("#")) return url;
  const key = new URL(url);
  key.searchParams.sort();
  key.hash = "";
  return key.toString();
}

export function edgeCacheKey(url: string): Request {
  return new Request(normalizedUrl(url), { method: "GET" });
}

async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
  return `W/"${btoa(String.fromCharCode(...digest)).replace(/=+$/, "")}"`;
}

/** The response to send from a stored entry: 304 when the caller already has this version. */
function answer(c: Context, entry: HotEntry, source?: string): Response {
  const headers = new Headers(entry.headers);
  headers.set("Cache-Control", PUBLIC_CACHE_CONTROL);
  headers.set("Age", String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
  if (source) setMetric(c, "cache", source);
  const etag = headers.get("ETag");
  if (etag && c.req.header("If-None-Match")?.split(",").some((tag) => tag.trim() === etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(c.req.method === "HEAD" ? null : entry.body, { status: entry.status, headers });
}

async function fromCacheApi(key: Request): Promise<HotEntry | undefined> {
  const hit = await caches.default.match(key);
  if (!hit) return undefined;
  const headers = [...hit.headers].filter(([name]) => name.toLowerCase() !== STORED_AT.toLowerCase());
  return { status: hit.status, headers, body: await hit.arrayBuffer(), storedAt: Number(hit.headers.get(STORED_AT)) };
}

const storable = (res: Response) =>
  res.status === 200 && !res.headers.has("Set-Cookie") && (res.headers.get("Cache-Control") ?? "").startsWith("public");

/**
 * `shared(path)` says which paths may be cached at all (so other paths cost no lookup); `revalidate`
 * re-runs the app for a request, which is how a stale entry is refreshed in the background.
 */
export function edgeCache(options: { shared: (path: string) => boolean; revalidate: (c: Context<AppEnv>, request: Request) => Promise<Response> }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const eligible =
      readConfig(c.env).CATALOG_CACHE === "on" &&
      (c.req.method === "GET" || c.req.method === "HEAD") &&
      options.shared(c.req.path) &&
      !hasSessionCookie(c) &&
      !justWrote(c);
    if (!eligible) return next();

    const url = normalizedUrl(c.req.url);
    if (c.req.header(REVALIDATE_HEADER) !== revalidateToken()) {
      const memory = hotGet(url);
      const entry = memory ?? (await fromCacheApi(edgeCacheKey(url)));
      const age = entry ? (Date.now() - entry.storedAt) / 1000 : Infinity;
      if (entry && age <= EDGE_FRESH_SECONDS + EDGE_STALE_SECONDS) {
        if (!memory) hotSet(url, entry);
        const stale = age > EDGE_FRESH_SECONDS;
        if (stale && Date.now() - (refreshing.get(url) ?? 0) > 10_000) {
          refreshing.set(url, Date.now());
          const request = new Request(url, { headers: { [REVALIDATE_HEADER]: revalidateToken() } });
          c.executionCtx.waitUntil(options.revalidate(c, request).finally(() => refreshing.delete(url)));
        }
        return answer(c, entry, stale ? "edge-stale" : "edge");
      }
    }

    await next();
    if (!storable(c.res)) return;
    const body = await c.res.arrayBuffer();
    const headers = new Headers(c.res.headers);
    headers.set("ETag", await etagOf(body));
    const entry: HotEntry = { status: 200, headers: [...headers], body, storedAt: Date.now() };
    hotSet(url, entry);
    // The Cache API keeps the entry through the stale window; clients see PUBLIC_CACHE_CONTROL.
    headers.set("Cache-Control", `public, max-age=${EDGE_FRESH_SECONDS + EDGE_STALE_SECONDS}`);
    headers.set(STORED_AT, String(entry.storedAt));
    c.executionCtx.waitUntil(caches.default.put(edgeCacheKey(url), new Response(body, { status: 200, headers })));
    // The route already named the level that answered (redis or db) in Server-Timing.
    c.res = answer(c, entry);
  });
}

/** Forgets this location's copies of the given paths after a write (other locations age out within the bound). */
export async function purgeEdge(origin: string, paths: string[]): Promise<void> {
  const keys = paths.map((path) => edgeCacheKey(new URL(path, origin).toString()));
  for (const key of keys) hotDelete(key.url);
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}
