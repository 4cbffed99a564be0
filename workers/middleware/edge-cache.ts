import type { Context, Next } from "hono";
import { createMiddleware } from "hono/factory";
import { setMetric } from "hono/timing";
import type { AppEnv } from "../context.ts";
import type { AccessClaims } from "../domain/tokens.ts";
import { PRIVATE_CACHE_CONTROL } from "../lib/cache-control.ts";
import { readConfig } from "../lib/config.ts";
import { MemoryLru } from "../lib/memory-lru.ts";
import { callerByToken, hasSessionCookie } from "./auth.ts";
import { indexOfBytes, personalised, REQUEST_ID, type AccountLinks } from "./edge-personal.ts";
import { justWrote } from "./read-your-writes.ts";

/**
 * The first cache level: the Workers Cache API at each location (with the isolate's memory in front of
 * it), for public responses. Fresh for EDGE_FRESH_SECONDS; then served stale for up to
 * EDGE_STALE_SECONDS while one background request renders it again (unless the route's Cache-Control
 * names shorter times: see publicCacheControl). The shared copy is always the
 * anonymous rendering; a signed-in caller is served it too, with a page's account links filled in from
 * their verified token. Only a caller who just wrote (or whose token needs renewing) skips it.
 */
export const EDGE_FRESH_SECONDS = 30;
export const EDGE_STALE_SECONDS = 30;

/** When the entry was stored (ms since epoch): its age decides fresh, stale or gone. */
export const STORED_AT = "X-Edge-Stored-At";
/** The route's own Cache-Control, kept beside the Cache API's (which says how long that store may keep it). */
const ROUTE_CACHE_CONTROL = "X-Edge-Cache-Control";
/** Marks this isolate's own background revalidation requests; unguessable, so clients cannot force misses. */
const REVALIDATE_HEADER = "X-Edge-Revalidate";
let token: string | undefined;
/** Entries being refreshed (url → start time), so a stale entry triggers one refresh, not one per reader. */
const refreshing = new Map<string, number>();
// Made on first use: Workers allow no random values at global scope.
const revalidateToken = () => (token ??= crypto.randomUUID());

/**
 * What a route answers when its response may be shared: browsers revalidate (ETag), the edge keeps it
 * `fresh` seconds, then serves it stale for `stale` more while it refreshes. The edge reads these back
 * from the stored response, so a route with a tighter freshness bound (search) states its own.
 */
export const publicCacheControl = (fresh: number, stale: number) => `public, max-age=0, s-maxage=${fresh}, stale-while-revalidate=${stale}`;
export const PUBLIC_CACHE_CONTROL = publicCacheControl(EDGE_FRESH_SECONDS, EDGE_STALE_SECONDS);

export interface EdgeEntry {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  storedAt: number;
  /** Whether the location's Cache API holds it too (an entry goes there on its second read, not its fill). */
  shared: boolean;
  /** Reads served from it: a stale entry nobody has read is not worth refreshing. */
  reads: number;
  /** Seconds it is fresh, then stale, as its route's Cache-Control said (read once, when stored). */
  fresh: number;
  stale: number;
  /** Where a page's signed-out account links start in `body` (bytes), found when stored; -1 when it has none. */
  accountLinksAt: number;
}

/**
 * The isolate's own memory in front of the Cache API: the most-read public responses are answered
 * without leaving the isolate. Entries keep the edge entry's storage time, so freshness, staleness and
 * the staleness bound are exactly the edge cache's; a purge at this location drops them here too.
 */
export const edgeMemory = new MemoryLru<EdgeEntry>({ maxBytes: 16 * 1024 * 1024, maxEntryBytes: 256 * 1024 }, (entry) => entry.body.byteLength);

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

/** How long the edge keeps an entry fresh and then stale, as its route's Cache-Control says. */
function lifetimeOf(cacheControl: string) {
  const seconds = (directive: RegExp, otherwise: number) => Number(directive.exec(cacheControl)?.[1] ?? otherwise);
  return { fresh: seconds(/s-maxage=(\d+)/, EDGE_FRESH_SECONDS), stale: seconds(/stale-while-revalidate=(\d+)/, EDGE_STALE_SECONDS) };
}

const isHtml = (headers: Headers) => headers.get("Content-Type")?.startsWith("text/html") === true;

/** An entry for a stored response: its lifetime and, for a page, where its account links are, worked out once here rather than per read. */
async function entryOf(headers: Headers, body: ArrayBuffer, storedAt: number, shared: boolean, reads: number, links: AccountLinks): Promise<EdgeEntry> {
  const accountLinksAt = isHtml(headers) ? indexOfBytes(new Uint8Array(body), await links.signedOut()) : -1;
  const { fresh, stale } = lifetimeOf(headers.get("Cache-Control") ?? "");
  return { status: 200, headers: [...headers], body, storedAt, shared, reads, fresh, stale, accountLinksAt };
}

async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
  return `W/"${btoa(String.fromCharCode(...digest)).replace(/=+$/, "")}"`;
}

/**
 * The response to send from a stored entry: 304 when the caller already has this version, unless the
 * caller is signed in (a page they kept from before signing in is the anonymous one: they get it whole).
 */
function answer(c: Context<AppEnv>, entry: EdgeEntry, source?: string, conditional = true): Response {
  const headers = new Headers(entry.headers);
  // This request's id: a response returned whole does not get the one Hono's requestId prepared.
  headers.set(REQUEST_ID, c.get("requestId"));
  headers.set("Age", String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
  if (source) setMetric(c, "cache", source);
  const etag = headers.get("ETag");
  if (conditional && etag && c.req.header("If-None-Match")?.split(",").some((tag) => tag.trim() === etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(c.req.method === "HEAD" ? null : entry.body, { status: entry.status, headers });
}

async function fromCacheApi(key: Request, links: AccountLinks): Promise<EdgeEntry | undefined> {
  const hit = await caches.default.match(key);
  if (!hit) return undefined;
  const headers = new Headers(hit.headers);
  headers.set("Cache-Control", hit.headers.get(ROUTE_CACHE_CONTROL) ?? PUBLIC_CACHE_CONTROL);
  headers.delete(ROUTE_CACHE_CONTROL);
  headers.delete(STORED_AT);
  // Only entries read twice reach the Cache API, so one found there counts as read.
  return entryOf(headers, await hit.arrayBuffer(), Number(hit.headers.get(STORED_AT)), true, 1, links);
}

/** A lookup past the isolate's memory; Server-Timing `edge-lookup` says how long the miss path waited on it. */
async function timedCacheApiLookup(c: Context, url: string, links: AccountLinks): Promise<EdgeEntry | undefined> {
  const started = performance.now();
  const entry = await fromCacheApi(edgeCacheKey(url), links);
  setMetric(c, "edge-lookup", performance.now() - started);
  return entry;
}

/** Shares an entry with the other isolates at this location; it keeps its storage time, so its age is unchanged. */
function putInCacheApi(url: string, entry: EdgeEntry): Promise<void> {
  const headers = new Headers(entry.headers);
  const { fresh, stale } = entry;
  // The Cache API keeps the entry through the stale window; clients see the route's Cache-Control.
  headers.set(ROUTE_CACHE_CONTROL, headers.get("Cache-Control") ?? PUBLIC_CACHE_CONTROL);
  headers.set("Cache-Control", `public, max-age=${fresh + stale}`);
  headers.set(STORED_AT, String(entry.storedAt));
  return caches.default.put(edgeCacheKey(url), new Response(entry.body, { status: entry.status, headers }));
}

/** Only a 200 marked public that sets no cookie is ever shared. */
const storable = (res: Response) =>
  res.status === 200 && !res.headers.has("Set-Cookie") && (res.headers.get("Cache-Control") ?? "").startsWith("public");

interface EdgeOptions {
  /** Which paths may be cached at all (other paths cost no lookup). */
  shared: (path: string) => boolean;
  /** Runs the app for a request the edge builds (never with the caller's cookies): a refresh, or a signed-in caller's miss. */
  render: (c: Context<AppEnv>, request: Request) => Promise<Response>;
  /** A shared page's account links as it carries them (signed out), and as a signed-in caller sees them (from the verified token alone). */
  accountLinks: AccountLinks;
}

/** This location's fresh or stale copy, and how it was found; a stale one starts one background refresh. */
async function lookupEntry(c: Context<AppEnv>, url: string, options: EdgeOptions): Promise<{ entry: EdgeEntry; source: string } | undefined> {
  if (c.req.header(REVALIDATE_HEADER) === revalidateToken()) return undefined;
  const memory = edgeMemory.get(url);
  const entry = memory ?? (await timedCacheApiLookup(c, url, options.accountLinks));
  if (!entry) return undefined;
  const age = (Date.now() - entry.storedAt) / 1000;
  if (age > entry.fresh + entry.stale) return undefined;
  if (!memory) edgeMemory.set(url, entry);
  const stale = age > entry.fresh;
  const readBefore = entry.reads++ > 0;
  // Read again while fresh: worth a Cache API write. Most entries under a long-tailed load are read once.
  if (!stale && !entry.shared) {
    entry.shared = true;
    c.executionCtx.waitUntil(putInCacheApi(url, entry));
  }
  // A stale entry is refreshed in the background once it has been read before; a first read just gets it.
  if (stale && readBefore && Date.now() - (refreshing.get(url) ?? 0) > 10_000) {
    refreshing.set(url, Date.now());
    const request = new Request(url, { headers: { [REVALIDATE_HEADER]: revalidateToken() } });
    c.executionCtx.waitUntil(options.render(c, request).finally(() => refreshing.delete(url)));
  }
  return { entry, source: stale ? "edge-stale" : "edge" };
}

/** Renders the anonymous response (a request without cookies runs the app) and stores it when it may be shared. */
async function renderAndStore(c: Context<AppEnv>, url: string, next: Next, links: AccountLinks): Promise<void> {
  await next();
  if (!storable(c.res)) return;
  const body = await c.res.arrayBuffer();
  const headers = new Headers(c.res.headers);
  headers.delete(REQUEST_ID); // the filling request's, not a reader's
  headers.set("ETag", await etagOf(body));
  // A refresh replaces an entry that was read (and shared) already: the new one is shared at once.
  const shared = edgeMemory.get(url)?.shared === true;
  const entry = await entryOf(headers, body, Date.now(), shared, 0, links);
  edgeMemory.set(url, entry);
  if (shared) c.executionCtx.waitUntil(putInCacheApi(url, entry));
  // The route already named the level that answered (redis or db) in Server-Timing.
  c.res = answer(c, entry);
}

/** This location's fresh or stale copy, answered (a 304 when `conditional` and the caller has it). */
async function lookup(c: Context<AppEnv>, url: string, options: EdgeOptions, conditional = true): Promise<Response | undefined> {
  const found = await lookupEntry(c, url, options);
  return found && answer(c, found.entry, found.source, conditional);
}

/** Splits a Server-Timing value into its metrics (a description may hold a quoted comma). */
const timingMetrics = (value: string) => value.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g)?.map((metric) => metric.trim()) ?? [];

/**
 * The anonymous answer from a cookie-free run of the app (which may fill the edge), asked for in the
 * caller's format. Its Server-Timing metrics join this request's, so the caller gets one header, one total.
 */
async function renderBare(c: Context<AppEnv>, url: string, options: EdgeOptions): Promise<Response> {
  const accept = c.req.header("Accept");
  const rendered = await options.render(c, new Request(url, { headers: accept ? { Accept: accept } : {} }));
  const res = new Response(rendered.body, rendered);
  const metrics = c.get("metric")?.headers;
  for (const metric of timingMetrics(res.headers.get("Server-Timing") ?? "")) {
    if (!/^total(;|$)/.test(metric)) metrics?.push(metric);
  }
  res.headers.delete("Server-Timing");
  return res;
}

/**
 * The shared copy for a signed-in caller: from the edge, or rendered by a cookie-free run of the app
 * (which stores it). A page is personalised for them and then theirs alone. What may not be shared (a
 * missing page, an error) the app answers for them as for any private request: their own error page.
 */
async function sharedCopyFor(c: Context<AppEnv>, url: string, caller: AccessClaims, options: EdgeOptions, next: Next): Promise<Response | void> {
  const links = options.accountLinks;
  const found = await lookupEntry(c, url, options);
  if (found) {
    // JSON (or a page without the links) is the same for everyone: served as it is, though never as a 304.
    if (found.entry.accountLinksAt === -1) return answer(c, found.entry, found.source, false);
    setMetric(c, "cache", found.source);
    return personalised(c, found.entry, caller, links);
  }
  const rendered = await renderBare(c, url, options);
  // Not shareable (a miss, a draft, an error): the app answers the caller themself, privately.
  if (!storable(rendered)) {
    await rendered.body?.cancel();
    return next();
  }
  if (!isHtml(rendered.headers)) return rendered;
  const body = await rendered.arrayBuffer();
  const accountLinksAt = indexOfBytes(new Uint8Array(body), await links.signedOut());
  return personalised(c, { status: rendered.status, headers: rendered.headers, body, accountLinksAt }, caller, links);
}

export function edgeCache(options: EdgeOptions) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const config = readConfig(c.env);
    const eligible =
      config.CATALOG_CACHE === "on" && (c.req.method === "GET" || c.req.method === "HEAD") && options.shared(c.req.path) && !justWrote(c);
    if (!eligible) return next();
    const url = normalizedUrl(c.req.url);
    if (!hasSessionCookie(c)) return (await lookup(c, url, options)) ?? renderAndStore(c, url, next, options.accountLinks);
    const caller = await callerByToken(c, config.SESSION_SECRET);
    // Renewing an expired token takes the database and sets cookies: the app answers, privately.
    if (caller === "renew") return next();
    // A garbage cookie reads as anonymous; only a cookie-free run of the app may fill the edge.
    if (caller === "anonymous") return (await lookup(c, url, options)) ?? renderBare(c, url, options);
    return sharedCopyFor(c, url, caller, options, next);
  });
}

/** A response that sets a cookie is the caller's alone: never marked public, so no cache shares it. */
export const neverShareCookies = createMiddleware(async (c, next) => {
  await next();
  if (!c.res.headers.has("Set-Cookie") || c.res.headers.get("Cache-Control")?.includes("no-store")) return;
  const res = new Response(c.res.body, c.res);
  res.headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  c.res = undefined; // replaced whole: Hono would otherwise copy the old headers over the new ones
  c.res = res;
});

/** Forgets this location's copies of the given paths after a write (other locations age out within the bound). */
export async function purgeEdge(origin: string, paths: string[]): Promise<void> {
  const keys = paths.map((path) => edgeCacheKey(new URL(path, origin).toString()));
  for (const key of keys) edgeMemory.delete(key.url);
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}
