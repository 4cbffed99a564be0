// `npm run admin:create -- <email>`: makes that account an admin, creating it if needed. Admins are
// never made through the public API. Needs DATABASE_URL (the local one is printed by `npm run dev`).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../workers/domain/password.ts";

export async function createAdmin(databaseUrl: string, rawEmail: string): Promise<{ created: boolean; password?: string }> {
  const email = rawEmail.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`"${rawEmail}" is not an email address`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const promoted = await client.query(
      `update users set roles = array_append(array_remove(roles, 'admin'), 'admin'), updated_at = now()
        where email = $1 returning id`,
      [email],
    );
    if (promoted.rowCount) return { created: false };
    const password = randomBytes(18).toString("base64url");
    await client.query(
      `insert into users (email, name, password_hash, roles, email_verified_at) values ($1, 'Administrator', $2, '{buyer,admin}', now())`,
      [email, await hashPassword(password)],
    );
    return { created: true, password };
  } finally {
    await client.end();
  }
}

if (import.meta.main) {
  const email = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!email || !url) {
    console.error("usage: DATABASE_URL=postgres://… npm run admin:create -- <email>");
    process.exit(1);
  }
  const result = await createAdmin(url, email);
  console.log(
    result.created
      ? `created admin ${email} with password ${result.password} (shown once: change it after signing in)`
      : `${email} is now an admin (it takes effect within a minute for sessions already signed in)`,
  );
}
