// Every endpoint that needs an identity, against every kind of caller. Later features add rows.
import { describe, expect, it } from "vitest";
import type { ListingJson, ListingResponse } from "../../workers/domain/listing-views.ts";
import { signedIn, type Actor } from "../support/accounts.ts";
import { createCategories, listingInput, publishedListing } from "../support/catalog.ts";
import { chatPair, SITE_ORIGIN } from "../support/chat.ts";
import { Client } from "../support/client.ts";
import { json } from "../support/json.ts";

type Session = Awaited<ReturnType<typeof signedIn>>;
/** "owner" is the user who owns what the call is about; the other actors are strangers to it. */
type Caller = Actor | "owner";

interface Target {
  owner: Session;
  listing?: ListingJson;
  conversationId?: string;
}

interface Row {
  name: string;
  /** Who owns the object: a buyer, or a seller with a live listing. */
  target: "buyer" | "seller with listing" | "seller with draft" | "buyer in a conversation";
  call: (caller: Session | undefined, target: Target) => { method: string; path: string; json?: unknown; headers?: Record<string, string> };
  expect: Record<Caller, number>;
}

let leafId: number | undefined;
const leaf = async () => (leafId ??= (await createCategories()).leaf.id);

const rows: Row[] = [
  { name: "read own account", target: "buyer", call: () => ({ method: "GET", path: "/api/me" }), expect: { anonymous: 401, buyer: 200, seller: 200, admin: 200, suspended: 401, owner: 200 } },
  {
    name: "rename own account",
    target: "buyer",
    call: () => ({ method: "PATCH", path: "/api/me", json: { name: "Renamed" } }),
    expect: { anonymous: 401, buyer: 200, seller: 200, admin: 200, suspended: 401, owner: 200 },
  },
  {
    name: "change own password",
    target: "buyer",
    call: (caller) => ({ method: "POST", path: "/api/me/password", json: { currentPassword: caller?.password ?? "x", newPassword: "a different passphrase 5" } }),
    expect: { anonymous: 401, buyer: 204, seller: 204, admin: 204, suspended: 401, owner: 204 },
  },
  {
    name: "resend verification email",
    target: "buyer",
    call: () => ({ method: "POST", path: "/api/auth/verify-email/resend", json: {} }),
    expect: { anonymous: 401, buyer: 202, seller: 202, admin: 202, suspended: 401, owner: 202 },
  },
  {
    name: "sign out everywhere",
    target: "buyer",
    call: () => ({ method: "POST", path: "/api/auth/logout-all", json: {} }),
    expect: { anonymous: 401, buyer: 204, seller: 204, admin: 204, suspended: 401, owner: 204 },
  },
  {
    name: "become a seller (needs a verified email)",
    target: "buyer",
    call: () => ({ method: "POST", path: "/api/seller/onboard", json: { username: `u${crypto.randomUUID().slice(0, 8)}`, displayName: "New Seller", country: "FR" } }),
    expect: { anonymous: 401, buyer: 403, seller: 409, admin: 403, suspended: 401, owner: 403 },
  },
  {
    name: "suspend another user",
    target: "buyer",
    call: (_caller, target) => ({ method: "POST", path: `/api/admin/users/${target.owner.id}/suspend`, json: {} }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 204, suspended: 401, owner: 403 },
  },
  {
    name: "lift another user's suspension",
    target: "buyer",
    call: (_caller, target) => ({ method: "POST", path: `/api/admin/users/${target.owner.id}/unsuspend`, json: {} }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 204, suspended: 401, owner: 403 },
  },
  {
    name: "create a listing",
    target: "buyer",
    call: () => ({ method: "POST", path: "/api/listings", json: listingInput(leafId!) }),
    expect: { anonymous: 401, buyer: 403, seller: 201, admin: 403, suspended: 401, owner: 403 },
  },
  {
    name: "read a live listing",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "GET", path: `/api/listings/${target.listing!.slug}` }),
    expect: { anonymous: 200, buyer: 200, seller: 200, admin: 200, suspended: 200, owner: 200 },
  },
  {
    name: "read a draft in the dashboard",
    target: "seller with draft",
    call: (_caller, target) => ({ method: "GET", path: `/api/seller/listings/${target.listing!.id}` }),
    expect: { anonymous: 401, buyer: 403, seller: 404, admin: 403, suspended: 401, owner: 200 },
  },
  {
    name: "edit a live listing",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "PATCH", path: `/api/listings/${target.listing!.id}`, json: { title: "I will do something else entirely" } }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 403, suspended: 401, owner: 200 },
  },
  {
    name: "edit someone's draft (its existence is theirs alone)",
    target: "seller with draft",
    call: (_caller, target) => ({ method: "PATCH", path: `/api/listings/${target.listing!.id}`, json: { title: "I will do something else entirely" } }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 403, suspended: 401, owner: 200 },
  },
  {
    name: "pause a live listing",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "POST", path: `/api/listings/${target.listing!.id}/pause`, json: {} }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 403, suspended: 401, owner: 200 },
  },
  {
    name: "delete a live listing",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "DELETE", path: `/api/listings/${target.listing!.id}` }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 403, suspended: 401, owner: 204 },
  },
  {
    name: "suspend a listing (moderation)",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "POST", path: `/api/admin/listings/${target.listing!.id}/suspend`, json: {} }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 200, suspended: 401, owner: 403 },
  },
  {
    name: "start a conversation from a listing",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "POST", path: "/api/conversations", json: { listingId: target.listing!.id } }),
    expect: { anonymous: 401, buyer: 200, seller: 200, admin: 200, suspended: 401, owner: 422 },
  },
  {
    name: "read own inbox",
    target: "buyer",
    call: () => ({ method: "GET", path: "/api/conversations" }),
    expect: { anonymous: 401, buyer: 200, seller: 200, admin: 200, suspended: 401, owner: 200 },
  },
  {
    name: "read a conversation's history",
    target: "buyer in a conversation",
    call: (_caller, target) => ({ method: "GET", path: `/api/conversations/${target.conversationId}/messages` }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 403, suspended: 401, owner: 200 },
  },
  {
    name: "join a conversation's socket",
    target: "buyer in a conversation",
    call: (_caller, target) => ({ method: "GET", path: `/api/conversations/${target.conversationId}/ws`, headers: { Upgrade: "websocket", Origin: SITE_ORIGIN } }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 403, suspended: 401, owner: 101 },
  },
];

const callers: Caller[] = ["anonymous", "buyer", "seller", "admin", "suspended", "owner"];

async function makeTarget(kind: Row["target"]): Promise<Target> {
  if (kind === "buyer") return { owner: await signedIn("buyer") };
  if (kind === "buyer in a conversation") {
    const { buyer, conversation } = await chatPair();
    return { owner: buyer, conversationId: conversation.id };
  }
  const owner = await signedIn("seller");
  if (kind === "seller with listing") return { owner, listing: await publishedListing(owner.client, await leaf()) };
  const res = await owner.client.post("/api/listings", listingInput(await leaf()));
  return { owner, listing: (await json<ListingResponse>(res)).listing };
}

describe.each(rows)("$name", (row) => {
  it.each(callers)("as %s", async (actor) => {
    await leaf();
    const target = await makeTarget(row.target);
    const caller = actor === "owner" ? target.owner : actor === "anonymous" ? undefined : await signedIn(actor);
    // A suspended user is signed out once their short-lived token runs out: model that moment.
    if (actor === "suspended") caller!.client.cookies.delete("__Host-session");
    const { method, path, json, headers } = row.call(caller, target);
    const res = await (caller?.client ?? new Client()).request(path, { method, json, headers });
    if (res.webSocket) {
      res.webSocket.accept();
      res.webSocket.close(1000, "done");
    }
    expect(res.status, res.webSocket ? "a WebSocket" : await res.clone().text()).toBe(row.expect[actor]);
  });
});
