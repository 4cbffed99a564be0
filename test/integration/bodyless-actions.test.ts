// Actions that take no body work without a Content-Type, however the client says "no body".
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listings } from "../../workers/data/schema/index.ts";
import { createApp } from "../../workers/app.ts";
import type { ListingResponse } from "../../workers/domain/listing-views.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, listingInput } from "../support/catalog.ts";
import { Client, type RequestOptions } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type ErrorBody } from "../support/json.ts";

/** The ways a client sends a bodyless request; each makes a fresh body, since a stream is read once. */
const NO_BODY: Record<string, () => RequestOptions> = {
  "no body at all": () => ({}),
  "Content-Length: 0 with no type": () => ({ body: new Uint8Array(0), headers: { "Content-Length": "0" } }),
  "an empty string (fetch adds text/plain)": () => ({ body: "" }),
  "an empty chunked stream": () => ({ body: new ReadableStream({ start: (controller) => controller.close() }) }),
};
const variants = Object.entries(NO_BODY);

/** Every API route that changes something, from the app's own route table, with a made-up id. */
const writeRoutes = [...new Map(createApp().routes.filter((r) => r.path.startsWith("/api/") && ["POST", "PUT", "PATCH", "DELETE"].includes(r.method)).map((r) => [`${r.method} ${r.path}`, r])).values()].map(
  (r) => ({ method: r.method, path: r.path.replaceAll(/:\w+/g, crypto.randomUUID()) }),
);

async function draft(seller: Client) {
  const { leaf } = await createCategories();
  const res = await seller.post("/api/listings", listingInput(leaf.slug));
  expect(res.status).toBe(201);
  return (await json<ListingResponse>(res)).listing;
}

describe("bodyless requests to the API", () => {
  it("lists the known action endpoints in the route table", () => {
    const names = writeRoutes.map((r) => `${r.method} ${r.path.replaceAll(/[0-9a-f-]{36}/g, ":id")}`);
    expect(names).toEqual(expect.arrayContaining(["POST /api/auth/logout", "POST /api/listings/:id/publish", "DELETE /api/listings/:id", "POST /api/admin/users/:id/suspend"]));
  });

  it.each(variants)("are never refused with 415 by any write route: %s", async (_, variant) => {
    const client = new Client();
    for (const route of writeRoutes) {
      const res = await client.request(route.path, { ...variant(), method: route.method });
      expect.soft(res.status, `${route.method} ${route.path}`).not.toBe(415);
      await res.body?.cancel();
    }
  });

  it("still refuses a body with bytes in it unless it is JSON", async () => {
    const client = new Client();
    for (const options of [{ body: "{}" }, { body: new Uint8Array([123, 125]) }, { body: "x", headers: { "Content-Type": "text/plain" } }]) {
      const res = await client.request("/api/auth/logout", { ...options, method: "POST" });
      expect(res.status).toBe(415);
      expect((await json<ErrorBody>(res)).error.code).toBe("unsupported_media_type");
    }
  });

  it("refuse a body other than {} on an action that takes none, and do nothing", async () => {
    const { client } = await signedIn("seller");
    const listing = await draft(client);
    const refusals = [
      ['{"x":', "application/json", 400, "malformed_json"],
      ['{"x":1}', "application/json", 400, "invalid_input"],
      ["x", "text/plain", 415, "unsupported_media_type"],
    ] as const;
    for (const [body, type, status, code] of refusals) {
      const res = await client.request(`/api/listings/${listing.id}/publish`, { body, headers: { "Content-Type": type }, method: "POST" });
      expect(res.status, body).toBe(status);
      expect((await json<ErrorBody>(res)).error.code).toBe(code);
    }
    const status = async () => (await testDb().primary.select({ status: listings.status }).from(listings).where(eq(listings.id, listing.id)))[0]?.status;
    expect(await status()).toBe("draft");
    expect((await client.post(`/api/listings/${listing.id}/publish`, {})).status).toBe(200);
    expect(await status()).toBe("active");
  });

  it.each(variants)("sign a user out, out everywhere, and resend their verification: %s", async (_, variant) => {
    for (const [path, status] of [["/api/auth/verify-email/resend", 202], ["/api/auth/logout-all", 204], ["/api/auth/logout", 204]] as const) {
      const { client } = await signedIn("buyer");
      expect((await client.request(path, { ...variant(), method: "POST" })).status, path).toBe(status);
    }
  });

  it.each(variants)("publish, pause and delete a listing: %s", async (_, variant) => {
    const { client } = await signedIn("seller");
    const listing = await draft(client);
    for (const [method, action, status] of [["POST", "/publish", 200], ["POST", "/pause", 200], ["DELETE", "", 204]] as const) {
      expect((await client.request(`/api/listings/${listing.id}${action}`, { ...variant(), method })).status, action).toBe(status);
    }
  });

  it.each(variants)("let an admin suspend and unsuspend users and listings: %s", async (_, variant) => {
    const [{ client: admin }, seller] = await Promise.all([signedIn("admin"), signedIn("seller")]);
    const listing = await draft(seller.client);
    const calls = [
      [`/api/admin/listings/${listing.id}/suspend`, 200],
      [`/api/admin/listings/${listing.id}/unsuspend`, 200],
      [`/api/admin/users/${seller.id}/suspend`, 204],
      [`/api/admin/users/${seller.id}/unsuspend`, 204],
    ] as const;
    for (const [path, status] of calls) expect((await admin.request(path, { ...variant(), method: "POST" })).status, path).toBe(status);
  });
});
