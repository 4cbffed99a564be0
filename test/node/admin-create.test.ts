import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin } from "../../scripts/admin-create.ts";
import { migrateDatabase } from "../../scripts/migrate.ts";
import { verifyPassword } from "../../workers/domain/password.ts";
import { createScratchDatabase, type ScratchDatabase } from "./database.ts";

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchDatabase("admin_create");
  await migrateDatabase(scratch.url);
});
afterAll(async () => scratch?.drop());

async function user(email: string) {
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const { rows } = await client.query<{ roles: string[]; password_hash: string; email_verified_at: Date | null }>(
    "select roles, password_hash, email_verified_at from users where email = $1",
    [email],
  );
  await client.end();
  return rows[0];
}

describe("npm run admin:create", () => {
  it("creates a verified admin with a one-time password that works", async () => {
    const result = await createAdmin(scratch.url, "  Root@Example.com ");
    expect(result.created).toBe(true);
    const created = await user("root@example.com");
    expect(created?.roles).toEqual(["buyer", "admin"]);
    expect(created?.email_verified_at).not.toBeNull();
    expect((await verifyPassword(result.password!, created!.password_hash)).ok).toBe(true);
  });

  it("promotes an existing account once, however often it runs", async () => {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    await client.query("insert into users (email, name, password_hash) values ('member@example.com', 'Member', 'x')");
    await client.end();
    expect(await createAdmin(scratch.url, "member@example.com")).toEqual({ created: false });
    expect(await createAdmin(scratch.url, "member@example.com")).toEqual({ created: false });
    expect((await user("member@example.com"))?.roles).toEqual(["buyer", "admin"]);
  });

  it("refuses something that is not an email address", async () => {
    await expect(createAdmin(scratch.url, "not-an-email")).rejects.toThrow(/not an email address/);
  });
});
