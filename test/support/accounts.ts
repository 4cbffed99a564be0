import { eq, sql } from "drizzle-orm";
import { users } from "../../workers/data/schema/index.ts";
import { Client } from "./client.ts";
import { testDb } from "./db.ts";
import { latestEmailTo } from "./mail.ts";

export type Actor = "anonymous" | "buyer" | "seller" | "admin" | "suspended";

/** Verifies the client's email through the link the app sent. */
export async function verifyEmail(client: Client, email: string) {
  const mail = await latestEmailTo(email);
  const res = await client.post("/api/auth/verify-email", { token: mail?.token });
  if (res.status !== 200) throw new Error(`verification failed: ${res.status}`);
}

/** A signed-in client in the given role, made through the public API (admins and suspensions through the database, as in real life). */
export async function signedIn(actor: Exclude<Actor, "anonymous">) {
  const client = new Client();
  const account = await client.signUp();
  if (actor === "seller") {
    await verifyEmail(client, account.email);
    const username = `s${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const res = await client.post("/api/seller/onboard", { username, displayName: "Test Seller", country: "US" });
    if (res.status !== 201) throw new Error(`onboarding failed: ${res.status} ${await res.text()}`);
  }
  if (actor === "admin") {
    await testDb().primary.update(users).set({ roles: sql`'{buyer,admin}'` }).where(eq(users.id, account.id));
    client.cookies.delete("__Host-session"); // the next request renews the token with the new role
  }
  if (actor === "suspended") {
    await testDb().primary.update(users).set({ status: "suspended" }).where(eq(users.id, account.id));
  }
  return { client, ...account };
}
