// Every endpoint that needs an identity, against every kind of caller. Later features add rows.
import { describe, expect, inject, it } from "vitest";
import type { ImageResponse } from "../../workers/domain/image-uploads.ts";
import type { ListingJson, ListingResponse } from "../../workers/domain/listing-views.ts";
import type { AttachmentResponse } from "../../workers/routes/conversations.ts";
import { signedIn, type Actor } from "../support/accounts.ts";
import { createCategories, listingInput, publishedListing } from "../support/catalog.ts";
import { chatPair } from "../support/chat.ts";
import { Client, SITE_ORIGIN } from "../support/client.ts";
import { json } from "../support/json.ts";

type Session = Awaited<ReturnType<typeof signedIn>>;
/** "owner" is the user who owns what the call is about; the other actors are strangers to it. */
type Caller = Actor | "owner";

interface Target {
  owner: Session;
  listing?: ListingJson;
  imageId?: string;
  conversationId?: string;
  attachmentId?: string;
}

/** A small real JPEG (made by the global setup with sharp). */
const photo = () => Uint8Array.from(atob(inject("imageFixtures").smallJpeg!), (c) => c.charCodeAt(0));

interface Row {
  name: string;
  /** Who owns the object: a buyer, or a seller with a live listing. */
  target: "buyer" | "seller with listing" | "seller with draft" | "seller with photo" | "buyer in a conversation" | "buyer with a chat attachment";
  call: (caller: Session | undefined, target: Target) => { method: string; path: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> };
  expect: Record<Caller, number>;
}

let leafSlug: string | undefined;
const leaf = async () => (leafSlug ??= (await createCategories()).leaf.slug);

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
    name: "list search synonyms",
    target: "buyer",
    call: () => ({ method: "GET", path: "/api/admin/search/synonyms" }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 200, suspended: 401, owner: 403 },
  },
  {
    name: "add a search synonym",
    target: "buyer",
    call: () => ({ method: "POST", path: "/api/admin/search/synonyms", json: { term: `t${crypto.randomUUID().slice(0, 8)}`, synonym: "web design" } }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 201, suspended: 401, owner: 403 },
  },
  {
    name: "create a listing",
    target: "buyer",
    call: () => ({ method: "POST", path: "/api/listings", json: listingInput(leafSlug!) }),
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
    name: "upload a photo to a live listing",
    target: "seller with listing",
    call: (_caller, target) => ({ method: "POST", path: `/api/listings/${target.listing!.id}/images`, body: photo(), headers: { "Content-Type": "image/jpeg" } }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 403, suspended: 401, owner: 202 },
  },
  {
    name: "upload an avatar for one's own seller profile",
    target: "seller with listing",
    call: () => ({ method: "POST", path: "/api/seller/avatar", body: photo(), headers: { "Content-Type": "image/jpeg" } }),
    expect: { anonymous: 401, buyer: 403, seller: 202, admin: 403, suspended: 401, owner: 202 },
  },
  {
    name: "reorder a live listing's photos",
    target: "seller with photo",
    call: (_caller, target) => ({ method: "PUT", path: `/api/listings/${target.listing!.id}/images/order`, json: { imageIds: [target.imageId] } }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 403, suspended: 401, owner: 204 },
  },
  {
    name: "read a photo's processing status",
    target: "seller with photo",
    call: (_caller, target) => ({ method: "GET", path: `/api/images/${target.imageId}` }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 404, suspended: 401, owner: 200 },
  },
  {
    name: "delete a photo",
    target: "seller with photo",
    call: (_caller, target) => ({ method: "DELETE", path: `/api/images/${target.imageId}` }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 404, suspended: 401, owner: 204 },
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
  {
    name: "upload a chat attachment",
    target: "buyer in a conversation",
    call: (_caller, target) => ({ method: "POST", path: `/api/conversations/${target.conversationId}/attachments?name=a.txt`, body: "a", headers: { "Content-Type": "text/plain" } }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 403, suspended: 401, owner: 201 },
  },
  {
    name: "download a chat attachment",
    target: "buyer with a chat attachment",
    call: (_caller, target) => ({ method: "GET", path: `/api/conversations/${target.conversationId}/attachments/${target.attachmentId}` }),
    expect: { anonymous: 401, buyer: 404, seller: 404, admin: 403, suspended: 401, owner: 200 },
  },
];

const callers: Caller[] = ["anonymous", "buyer", "seller", "admin", "suspended", "owner"];

async function makeTarget(kind: Row["target"]): Promise<Target> {
  if (kind === "buyer") return { owner: await signedIn("buyer") };
  if (kind === "buyer in a conversation") {
    const { buyer, conversation } = await chatPair();
    return { owner: buyer, conversationId: conversation.id };
  }
  if (kind === "buyer with a chat attachment") {
    const { buyer, conversation } = await chatPair();
    const path = `/api/conversations/${conversation.id}/attachments?name=a.txt`;
    const res = await buyer.client.request(path, { method: "POST", body: "a", headers: { "Content-Type": "text/plain" } });
    return { owner: buyer, conversationId: conversation.id, attachmentId: (await json<AttachmentResponse>(res)).attachment.id };
  }
  const owner = await signedIn("seller");
  if (kind === "seller with listing") return { owner, listing: await publishedListing(owner.client, await leaf()) };
  if (kind === "seller with photo") {
    const listing = await publishedListing(owner.client, await leaf());
    const res = await owner.client.request(`/api/listings/${listing.id}/images`, { method: "POST", body: photo(), headers: { "Content-Type": "image/jpeg" } });
    return { owner, listing, imageId: (await json<ImageResponse>(res)).image.id };
  }
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
    const { path, ...options } = row.call(caller, target);
    const res = await (caller?.client ?? new Client()).request(path, options);
    if (res.webSocket) {
      res.webSocket.accept();
      res.webSocket.close(1000, "done");
    }
    expect(res.status, res.webSocket ? "a WebSocket" : await res.clone().text()).toBe(row.expect[actor]);
  });
});
