// Every endpoint that needs an identity, against every kind of caller. Later features add rows.
import { describe, expect, it } from "vitest";
import { signedIn, type Actor } from "../support/accounts.ts";
import { Client } from "../support/client.ts";

type Session = Awaited<ReturnType<typeof signedIn>>;

interface Call {
  method: string;
  path: string;
  json?: unknown;
}

interface Row {
  name: string;
  /** Builds the request for this caller; `target` is another user who owns whatever the call is about. */
  call: (caller: Session | undefined, target: Session) => Call;
  expect: Record<Actor, number>;
}

const rows: Row[] = [
  { name: "read own account", call: () => ({ method: "GET", path: "/api/me" }), expect: { anonymous: 401, buyer: 200, seller: 200, admin: 200, suspended: 401 } },
  {
    name: "rename own account",
    call: () => ({ method: "PATCH", path: "/api/me", json: { name: "Renamed" } }),
    expect: { anonymous: 401, buyer: 200, seller: 200, admin: 200, suspended: 401 },
  },
  {
    name: "change own password",
    call: (caller) => ({ method: "POST", path: "/api/me/password", json: { currentPassword: caller?.password ?? "x", newPassword: "a different passphrase 5" } }),
    expect: { anonymous: 401, buyer: 204, seller: 204, admin: 204, suspended: 401 },
  },
  {
    name: "resend verification email",
    call: () => ({ method: "POST", path: "/api/auth/verify-email/resend", json: {} }),
    expect: { anonymous: 401, buyer: 202, seller: 202, admin: 202, suspended: 401 },
  },
  {
    name: "sign out everywhere",
    call: () => ({ method: "POST", path: "/api/auth/logout-all", json: {} }),
    expect: { anonymous: 401, buyer: 204, seller: 204, admin: 204, suspended: 401 },
  },
  {
    name: "become a seller (needs a verified email)",
    call: () => ({ method: "POST", path: "/api/seller/onboard", json: { username: `u${crypto.randomUUID().slice(0, 8)}`, displayName: "New Seller", country: "FR" } }),
    expect: { anonymous: 401, buyer: 403, seller: 409, admin: 403, suspended: 401 },
  },
  {
    name: "suspend another user",
    call: (_caller, target) => ({ method: "POST", path: `/api/admin/users/${target.id}/suspend`, json: {} }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 204, suspended: 401 },
  },
  {
    name: "lift another user's suspension",
    call: (_caller, target) => ({ method: "POST", path: `/api/admin/users/${target.id}/unsuspend`, json: {} }),
    expect: { anonymous: 401, buyer: 403, seller: 403, admin: 204, suspended: 401 },
  },
];

const actors: Actor[] = ["anonymous", "buyer", "seller", "admin", "suspended"];

describe.each(rows)("$name", (row) => {
  it.each(actors)("as %s", async (actor) => {
    const target = await signedIn("buyer");
    const caller = actor === "anonymous" ? undefined : await signedIn(actor);
    // A suspended user is signed out once their short-lived token runs out: model that moment.
    if (actor === "suspended") caller!.client.cookies.delete("__Host-session");
    const { method, path, json } = row.call(caller, target);
    const res = await (caller?.client ?? new Client()).request(path, { method, json });
    expect(res.status, await res.clone().text()).toBe(row.expect[actor]);
  });
});
