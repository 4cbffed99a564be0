import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A brand-new empty database on the run's Postgres server, for tests that must start from zero. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const serverUrl = inject("workerVars").DATABASE_URL!;
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
