// Shared by the Neon stand-in tests (test/integration/neon-standin-*.test.ts): the driver configured
// for the stand-in, values that are awkward on the wire, and helpers for errors, clients and a scratch table.
import { env } from "cloudflare:workers";
import { neon, type NeonDbError, Pool, type PoolClient } from "@neondatabase/serverless";
import { afterAll, beforeAll, expect } from "vitest";
import { configureNeon } from "../../workers/data/neon-config.ts";

configureNeon(env);
export const sql = neon(env.DATABASE_URL);

export const BIG = "9007199254740993"; // 2^53 + 1: not a safe JS number
export const INSTANT = new Date("2024-02-29T23:59:58.123Z");
export const BYTES = [0, 1, 127, 128, 255];
export const TRICKY_TEXT = ["plain", "comma,inside", 'quote"inside', "back\\slash", "NULL", "", "{brace}", "ü 😀"];

/** Lets a test observe Postgres from outside the session under test. */
export async function backendAlive(pid: number): Promise<boolean> {
  const rows = await sql`select 1 from pg_stat_activity where pid = ${pid}`;
  return rows.length > 0;
}

export async function expectDbError(promise: Promise<unknown>): Promise<NeonDbError & Record<string, unknown>> {
  const error = await promise.then(
    () => expect.unreachable("query should have failed"),
    (e: unknown) => e,
  );
  return error as NeonDbError & Record<string, unknown>;
}

/** Runs `work` on one WebSocket connection from a Pool that lives only for this test. */
export async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  try {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

/**
 * A table under a name no other test file uses, `(id int primary key, note text not null)`: created
 * before the calling file's tests and dropped after them. Answers its name.
 */
export function scratchTable(): string {
  const table = `neon_standin_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;

  beforeAll(async () => {
    await sql.query(`create table ${table} (id int primary key, note text not null)`);
  });

  afterAll(async () => {
    await sql.query(`drop table if exists ${table}`);
  });

  return table;
}
