// The local Neon stand-in (scripts/local/neon-proxy.ts), driven from workerd by the unchanged
// @neondatabase/serverless driver over its WebSocket transport (Pool). The HTTP transport (neon())
// is in neon-standin-http.test.ts.
import { env } from "cloudflare:workers";
import { Pool } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { backendAlive, BIG, BYTES, expectDbError, INSTANT, scratchTable, sql, TRICKY_TEXT, withClient } from "../support/neon.ts";
import { eventually } from "../support/wait.ts";

const table = scratchTable();

describe("WebSocket path: Pool and Client", () => {
  it("round-trips parameter types exactly", async () => {
    await withClient(async (client) => {
      const { rows } = await client.query<Record<string, unknown>>(
        `select $1::text as nothing, $2::bigint as big, $3::numeric as num, $4::boolean as yes, $5::text[] as texts,
                $6::int[] as ints, $7::json as json, $8::jsonb as jsonb, $9::timestamptz as instant, $10::bytea as bytes`,
        [null, BIG, "0.1", true, TRICKY_TEXT, [1, null, -3], { a: [1, "b"] }, { k: null }, INSTANT, new Uint8Array(BYTES)],
      );
      const { bytes, ...row } = rows[0]!;
      expect(Array.from(bytes as Uint8Array)).toEqual(BYTES);
      expect(row).toEqual({
        nothing: null,
        big: BIG,
        num: "0.1",
        yes: true,
        texts: TRICKY_TEXT,
        ints: [1, null, -3],
        json: { a: [1, "b"] },
        jsonb: { k: null },
        instant: INSTANT,
      });
    });
  });

  it("keeps an interactive transaction on one session: ROLLBACK undoes, COMMIT keeps", async () => {
    await withClient(async (client) => {
      await client.query("create temp table session_rows (id int)");
      await client.query("begin");
      await client.query("insert into session_rows values (1)");
      expect((await client.query("select count(*)::int as n from session_rows")).rows).toEqual([{ n: 1 }]);
      await client.query("rollback");
      expect((await client.query("select count(*)::int as n from session_rows")).rows).toEqual([{ n: 0 }]);
      await client.query("begin");
      await client.query("insert into session_rows values (2)");
      await client.query("commit");
      expect((await client.query("select id from session_rows")).rows).toEqual([{ id: 2 }]);
    });
  });

  it("carries several MiB each way", async () => {
    const upload = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    await withClient(async (client) => {
      const { rows } = await client.query<{ text: string; bytes: Uint8Array }>(
        "select repeat('x', 6 * 1024 * 1024) as text, $1::bytea as bytes",
        [upload],
      );
      expect(rows[0]!.text.length).toBe(6 * 1024 * 1024);
      const bytes = rows[0]!.bytes;
      expect(bytes.length).toBe(upload.length);
      expect(bytes.every((byte, i) => byte === upload[i])).toBe(true);
    });
  });

  it("ends the backend and frees its locks when the WebSocket drops", async () => {
    const pool = new Pool({ connectionString: env.DATABASE_URL });
    const client = await pool.connect();
    client.on("error", () => {}); // the drop below is deliberate
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    const pid = rows[0]!.pid;
    await client.query("begin");
    await client.query(`lock table ${table} in access exclusive mode`);

    // Close the WebSocket under the driver, without Postgres' Terminate message: only the proxy can end the backend.
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await eventually(async () => !(await backendAlive(pid)));
    // The lock is gone with it: a statement that needs it does not wait.
    await sql.transaction([sql`set local lock_timeout = '1s'`, sql`lock table ${sql.unsafe(table)} in access exclusive mode`]);
    client.release(true);
    await pool.end();
  });

  it("lets Postgres authenticate: a wrong password fails with 28P01", async () => {
    const url = new URL(env.DATABASE_URL);
    url.password = "not-the-password";
    const pool = new Pool({ connectionString: url.toString() });
    try {
      const error = await expectDbError(pool.query("select 1"));
      expect(error.code).toBe("28P01");
    } finally {
      await pool.end();
    }
  });

  it("refuses with 403 an upgrade that carries an Origin, as only a web page's would", async () => {
    const response = await fetch(`http://${env.NEON_LOCAL_PROXY}/v2`, { headers: { Upgrade: "websocket", Origin: "https://example.com" } });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("ends the backend when the client closes normally", async () => {
    const pool = new Pool({ connectionString: env.DATABASE_URL });
    const client = await pool.connect();
    const pid = (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
    expect(await backendAlive(pid)).toBe(true);
    client.release();
    await pool.end();
    await eventually(async () => !(await backendAlive(pid)));
  });
});
