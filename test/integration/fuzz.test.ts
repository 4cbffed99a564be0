// Walks every route of the app (read from its route table, so a new route is fuzzed without being
// listed here) with malformed, oversized, out-of-range and hostile parameters, queries and bodies, as
// an anonymous visitor and as a signed-in seller. Fails on any 5xx, any body that shows internals
// (stack frames, SQL, driver errors), and any change to another seller's data.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../workers/app.ts";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, listingInput, publishedListing } from "../support/catalog.ts";
import { Client } from "../support/client.ts";
import { queryRows } from "../../workers/data/db.ts";
import { testDb } from "../support/db.ts";
import { json } from "../support/json.ts";

/** Runs per route and caller: enough to hit each kind of hostile value over a few runs, small enough for CI. */
const RUNS = 8;
/** Fixed, so a failure reproduces; change it locally to explore further. */
const SEED = 20261203;

interface Route {
  method: string;
  path: string;
}

/** Every concrete endpoint in the route table (middleware entries, `ALL` and wildcards, are not endpoints). */
function endpoints(): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of createApp().routes) {
    if (method === "ALL" || path.includes("*")) continue;
    seen.set(`${method} ${path}`, { method, path });
  }
  // Routes that end the session go last, so the signed-in caller stays signed in for the rest.
  const endsSession = (route: Route) => /logout/.test(route.path);
  return [...seen.values()].sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));
}

const cursorOf = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** Text a hostile client would send: NUL, lone surrogates, control and bidi characters, markup, SQL, huge. */
const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "a\u0000b",
    "\u0000",
    "x\ud800y",
    "\udc00",
    "\u202e\u0007\u001b[31m",
    "<script>alert(1)</script>",
    "' or 1=1 --",
    "%00",
    "../../etc/passwd",
    "x:gen",
    "c2:seller:harry_green",
    "ü".repeat(300),
    "a".repeat(70_000),
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** Numbers beyond every column's range, and values that are no numbers at all. */
const hostileNumber = fc.oneof(
  fc.constantFrom(2147483648, -2147483649, 9007199254740991, -1, 0, 1.5, 1e308, -0),
  fc.integer(),
  fc.double({ noNaN: true }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("title", "tier", "price", "answer", "question"), hostileText, { maxKeys: 3 }),
);

/** Every field name the app's inputs use, so hostile values reach real fields. */
const FIELDS = [
  "email",
  "password",
  "name",
  "token",
  "currentPassword",
  "newPassword",
  "username",
  "displayName",
  "bio",
  "skills",
  "languages",
  "country",
  "title",
  "description",
  "category",
  "price",
  "tags",
  "packages",
  "extras",
  "faq",
  "reason",
  "next",
] as const;

const hostileObject = fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 5 });

/** Percent-encodes text for a URL; text no UTF-8 encodes (a lone surrogate) is sent as its invalid bytes. */
const urlPart = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
};

const YEAR_ZERO_CURSOR = cursorOf({ at: "0000-01-01T00:00:00Z", id: "00000000-0000-4000-8000-000000000000" });

interface Targets {
  /** Ids, slugs and usernames that exist: the victim's, so that authorization is tried too. */
  ids: string[];
  slugs: string[];
  usernames: string[];
}

function paramValue(targets: Targets) {
  // Real names half the time, so the query, body and authorization behind a valid parameter are reached too.
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...targets.ids, ...targets.slugs, ...targets.usernames) },
    { weight: 1, arbitrary: fc.constantFrom("00000000-0000-0000-0000-000000000000", "%00", "a%00b", "%ED%A0%80", "%ff%fe") },
    { weight: 1, arbitrary: fc.constantFrom("x:gen", "..", "%2e%2e", "2147483648", "-1", "a".repeat(5000)).map(urlPart) },
    { weight: 1, arbitrary: hostileText.map((text) => urlPart(text.slice(0, 300))) },
  );
}

const queryArb = fc.record(
  {
    cursor: fc.oneof(fc.constantFrom(YEAR_ZERO_CURSOR, "garbage", "%00"), hostileText.map((text) => text.slice(0, 500))),
    limit: fc.constantFrom("5", "100", "-1", "0", "101", "2147483648", "1e999", "x"),
    category: hostileText.map((text) => text.slice(0, 200)),
    tier: hostileText.map((text) => text.slice(0, 50)),
    next: fc.constantFrom("//evil.example", "/\\evil.example", "javascript:alert(1)", "/%00"),
    token: hostileText.map((text) => text.slice(0, 300)),
  },
  { requiredKeys: [] },
);

/** One hostile request for a route: its path with each parameter filled, a query, and maybe a body. */
function requestArb(route: Route, targets: Targets, listingBase: Record<string, unknown>) {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const jsonBody = fc.oneof(hostileObject, hostileObject.map((fields) => ({ ...listingBase, ...fields })));
  const body = route.path.startsWith("/api/")
    ? fc.oneof(jsonBody.map((value) => ({ kind: "json" as const, value })), fc.constant({ kind: "raw" as const, value: "{not json" }))
    : fc.oneof(
        hostileObject.map((value) => ({ kind: "form" as const, value })),
        fc.constant({ kind: "multipart" as const, value: "garbage" }),
      );
  return fc.record({
    params: fc.tuple(...names.map(() => paramValue(targets))),
    query: queryArb,
    body: route.method === "GET" ? fc.constant(undefined) : body,
  }).map(({ params, query, body }) => {
    let i = 0;
    const path = route.path.replace(/:(\w+)/g, () => params[i++]!);
    const search = Object.entries(query).map(([key, value]) => `${key}=${urlPart(value)}`).join("&");
    return { path: search ? `${path}?${search}` : path, body };
  });
}

/** What a response body must never show: stack frames, source positions, SQL, driver and runtime errors. */
const INTERNALS = [
  /\n\s+at [\w.<>$]+ \(/,
  /\.(ts|tsx|js|mjs):\d+:\d+/,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|NeonDbError|DrizzleError)\b/,
  /\bSELECT\b[\s\S]{0,300}\bFROM\b/,
  /\b(INSERT INTO|DELETE FROM)\b/,
  /violates [\w ]*constraint/,
  /invalid byte sequence|invalid input syntax|out of range for type/,
  /node_modules|workers\/(data|domain|routes)\//,
];

function options(method: string, body: { kind: string; value: unknown } | undefined) {
  const headers: Record<string, string> = { Origin: "https://market.example", Accept: "text/html" };
  if (!body) return { method, headers };
  if (body.kind === "json") return { method, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body.value) };
  if (body.kind === "raw") return { method, headers: { ...headers, "Content-Type": "application/json" }, body: String(body.value) };
  if (body.kind === "multipart") return { method, headers: { ...headers, "Content-Type": "multipart/form-data; boundary=zzz" }, body: String(body.value) };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body.value as Record<string, unknown>)) form.set(name, typeof value === "string" ? value : JSON.stringify(value));
  return { method, headers, body: form };
}

/** A fingerprint of every row the victim owns: their account, profile, listings and what hangs off them. */
async function victimRows(userId: string): Promise<string> {
  const [row] = await queryRows<{ digest: string }>(
    testDb().primary,
    sql`select md5(concat_ws('|',
      (select string_agg(u::text, ',') from users u where u.id = ${userId}),
      (select string_agg(p::text, ',') from seller_profiles p where p.user_id = ${userId}),
      (select string_agg(l::text, ',' order by l.id) from listings l where l.seller_id = ${userId}),
      (select string_agg(k::text, ',' order by k::text) from listing_packages k join listings l on l.id = k.listing_id where l.seller_id = ${userId}),
      (select string_agg(e::text, ',' order by e::text) from listing_extras e join listings l on l.id = e.listing_id where l.seller_id = ${userId}),
      (select count(*)::text from sessions s where s.user_id = ${userId} and s.revoked_at is null)
    )) as digest`,
  );
  return row!.digest;
}

let victim: { id: string; rows: string };
let targets: Targets;
let listingBase: Record<string, unknown>;
let attacker: Client;

beforeAll(async () => {
  const { leaf } = await createCategories();
  const owner = await signedIn("seller");
  const listing = await publishedListing(owner.client, leaf.slug);
  const { user } = await json<UserResponse>(await owner.client.request("/api/me"));
  targets = { ids: [listing.id, owner.id], slugs: [listing.slug, "no-such-listing"], usernames: [user.seller!.username, "harry_green"] };
  listingBase = listingInput(leaf.slug);
  attacker = (await signedIn("seller")).client;
  victim = { id: owner.id, rows: await victimRows(owner.id) };
}, 60_000);

describe("fuzzing every route", () => {
  it("answers hostile input without a 5xx or internals, and changes nobody else's data", async () => {
    const routes = endpoints();
    expect(routes.length).toBeGreaterThan(40); // the route table was read
    const failures: string[] = [];
    for (const [index, route] of routes.entries()) {
      for (const caller of ["anonymous", "signed-in"] as const) {
        const property = fc.asyncProperty(requestArb(route, targets, listingBase), async (request) => {
          // Each request from its own address, so per-IP limits do not end the walk early; the
          // signed-in caller's cookies go with it and come back renewed.
          const client = new Client();
          if (caller === "signed-in") for (const [name, value] of attacker.cookies) client.cookies.set(name, value);
          const res = await client.request(request.path, options(route.method, request.body));
          if (caller === "signed-in") for (const [name, value] of client.cookies) attacker.cookies.set(name, value);
          const text = await res.text();
          const where = `${caller} ${route.method} ${request.path.slice(0, 200)} → ${res.status}`;
          if (res.status >= 500) failures.push(`${where}: ${text.slice(0, 300)}`);
          const leak = INTERNALS.find((pattern) => pattern.test(text));
          if (leak) failures.push(`${where}: shows internals (${String(leak)})`);
        });
        // Findings are collected above and reported together; an exception escaping a request is one too.
        await fc.assert(property, { numRuns: RUNS, seed: SEED + index }).catch((error: unknown) => failures.push(`${caller} ${route.method} ${route.path}: ${String(error).slice(0, 500)}`));
      }
    }
    expect(failures).toEqual([]);
    expect(await victimRows(victim.id)).toBe(victim.rows);
  }, 240_000);
});
