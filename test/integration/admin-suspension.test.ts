// The suspension rule: an admin suspends members, never themselves nor another admin (accounts.ts, setSuspended).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../workers/data/schema/index.ts";
import { signedIn } from "../support/accounts.ts";
import { testDb } from "../support/db.ts";
import { json, type ErrorBody } from "../support/json.ts";

const statusOf = async (id: string) => (await testDb().primary.select({ status: users.status }).from(users).where(eq(users.id, id)))[0]?.status;

describe("admin suspension", () => {
  it("refuses an admin suspending their own account, which stays active and signed in", async () => {
    const admin = await signedIn("admin");
    const res = await admin.client.post(`/api/admin/users/${admin.id}/suspend`);
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/your own account/) as string });
    expect(await statusOf(admin.id)).toBe("active");
    expect((await admin.client.request("/api/me")).status).toBe(200);
  });

  it("refuses an admin suspending another admin", async () => {
    const [admin, other] = await Promise.all([signedIn("admin"), signedIn("admin")]);
    const res = await admin.client.post(`/api/admin/users/${other.id}/suspend`);
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error.code).toBe("forbidden");
    expect(await statusOf(other.id)).toBe("active");
    expect((await other.client.request("/api/me")).status).toBe(200);
  });

  it("still suspends and restores members, and answers 404 for no such user", async () => {
    const [{ client: admin }, member] = await Promise.all([signedIn("admin"), signedIn("seller")]);
    expect((await admin.post(`/api/admin/users/${member.id}/suspend`)).status).toBe(204);
    expect(await statusOf(member.id)).toBe("suspended");
    expect((await admin.post(`/api/admin/users/${member.id}/unsuspend`)).status).toBe(204);
    expect(await statusOf(member.id)).toBe("active");
    expect((await admin.post(`/api/admin/users/${crypto.randomUUID()}/suspend`)).status).toBe(404);
  });
});
