import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import type { AccessClaims } from "../domain/tokens.ts";
import { PRIVATE_CACHE_CONTROL } from "../lib/cache-control.ts";

// What the edge serves one signed-in caller: the shared page with their account links spliced in.
// The shared copy and its levels: ./edge-cache.ts.

export const REQUEST_ID = "X-Request-Id";

/** Where `needle` starts in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  if (first === undefined) return -1;
  for (let at = haystack.indexOf(first); at !== -1 && at + needle.length <= haystack.length; at = haystack.indexOf(first, at + 1)) {
    if (needle.every((byte, i) => haystack[at + i] === byte)) return at;
  }
  return -1;
}

export interface AccountLinks {
  signedOut: () => Promise<Uint8Array>;
  of: (caller: AccessClaims) => Promise<Uint8Array>;
}

/** A shared page's bytes, with where its signed-out account links start (-1: it has none). */
interface Page {
  status: number;
  headers: HeadersInit;
  body: ArrayBuffer;
  accountLinksAt: number;
}

/**
 * A shared page made the caller's: their account links spliced into the shared bytes (no text decoding,
 * no rewriter pass). Private, without an ETag, and never a 304: a page kept from before they signed in
 * is the anonymous one.
 */
export async function personalised(c: Context<AppEnv>, page: Page, caller: AccessClaims, links: AccountLinks): Promise<Response> {
  const headers = new Headers(page.headers);
  headers.set(REQUEST_ID, c.get("requestId"));
  headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  headers.delete("ETag");
  headers.delete("Age");
  if (c.req.method === "HEAD" || page.accountLinksAt === -1) return new Response(c.req.method === "HEAD" ? null : page.body, { status: page.status, headers });
  const [signedOut, theirs] = await Promise.all([links.signedOut(), links.of(caller)]);
  const shared = new Uint8Array(page.body);
  const at = page.accountLinksAt;
  const body = new Uint8Array(shared.length - signedOut.length + theirs.length);
  body.set(shared.subarray(0, at));
  body.set(theirs, at);
  body.set(shared.subarray(at + signedOut.length), at + theirs.length);
  return new Response(body, { status: page.status, headers });
}
