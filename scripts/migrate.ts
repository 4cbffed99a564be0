// `npm run db:migrate`: applies migrations/ to DATABASE_URL (the local cluster, or Neon in production).
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { fileURLToPath } from "node:url";

const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Migrations are not chatty: silence NOTICEs such as "extension already exists".
    await client.query("set client_min_messages = warning");
    await migrate(drizzle({ client }), { migrationsFolder });
  } finally {
    await client.end();
  }
}

if (import.meta.main) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgres://user:pass@host/db npm run db:migrate");
    process.exit(1);
  }
  await migrateDatabase(url);
  console.log("migrations applied");
}
