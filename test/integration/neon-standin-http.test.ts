// The local Neon stand-in (scripts/local/neon-proxy.ts), driven from workerd by the unchanged
// @neondatabase/serverless driver over its HTTP transport (neon()). The WebSocket transport (Pool)
// is in neon-standin-ws.test.ts.
import { env } from "cloudflare:workers";
import { neon, NeonDbError } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { BIG, BYTES, expectDbError, INSTANT, scratchTable, sql, TRICKY_TEXT } from "../support/neon.ts";
import { eventually } from "../support/wait.ts";

const table = scratchTable();

/** A raw request to the stand-in's /sql, as the driver makes it. */
const post = (body: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(`http://${env.NEON_LOCAL_PROXY}/sql`, {
    method: "POST",
    headers: { "Neon-Connection-String": env.DATABASE_URL, "Content-Type": "text/plain", ...headers },
    body,
    signal,
  });

describe("HTTP path: neon()", () => {
  it("round-trips parameter types exactly", async () => {
    const rows = await sql`
      select ${null}::text as nothing, ${42}::int as int, ${BIG}::bigint as big, ${BigInt(BIG)}::bigint as big_from_bigint,
             ${"12345678901234567890.000001"}::numeric as num, ${true}::boolean as yes, ${false}::boolean as no,
             ${TRICKY_TEXT}::text[] as texts, ${[1, null, -3]}::int[] as ints,
             ${{ a: 1, nested: { b: [true, null, "x"] } }}::json as json, ${{ k: "v" }}::jsonb as jsonb,
             ${INSTANT}::timestamptz as instant, ${new Uint8Array(BYTES)}::bytea as bytes`;
    const { bytes, ...row } = rows[0] as Record<string, unknown>;
    expect(Array.from(bytes as Uint8Array)).toEqual(BYTES);
    expect(row).toEqual({
      nothing: null,
      int: 42,
      big: BIG,
      big_from_bigint: BIG,
      num: "12345678901234567890.000001",
      yes: true,
      no: false,
      texts: TRICKY_TEXT,
      ints: [1, null, -3],
      json: { a: 1, nested: { b: [true, null, "x"] } },
      jsonb: { k: "v" },
      instant: INSTANT,
    });
  });

  it("answers Neon's full result shape, with Postgres text behind the driver's parsing", async () => {
    const result = await sql.query(`select 1::int8 as one, null::text as gap, 'a'::varchar(5) as v`, [], {
      fullResults: true,
      arrayMode: true,
    });
    expect(result.command).toBe("SELECT");
    expect(result.rowCount).toBe(1);
    expect(result.rows).toEqual([["1", null, "a"]]);
    expect(result.fields).toEqual([
      { name: "one", dataTypeID: 20, tableID: 0, columnID: 0, dataTypeSize: 8, dataTypeModifier: -1, format: "text" },
      { name: "gap", dataTypeID: 25, tableID: 0, columnID: 0, dataTypeSize: -1, dataTypeModifier: -1, format: "text" },
      { name: "v", dataTypeID: 1043, tableID: 0, columnID: 0, dataTypeSize: -1, dataTypeModifier: 9, format: "text" },
    ]);
  });

  it("speaks Neon's wire format: Postgres text output in rows, types only in fields", async () => {
    const query = JSON.stringify({
      query: "select $1::int as int, $2::bool as bool, $3::jsonb as doc, $4::timestamptz as at, $5::int[] as ints",
      params: ["42", "true", '{"a": 1}', "2024-01-02 03:04:05+00", [1, null]],
    });

    const raw = await post(query, { "Neon-Raw-Text-Output": "true", "Neon-Array-Mode": "true" });
    expect(raw.status).toBe(200);
    const body = await raw.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(["command", "fields", "rowAsArray", "rowCount", "rows"]);
    expect(body.rows).toEqual([["42", "t", '{"a": 1}', "2024-01-02 03:04:05+00", "{1,NULL}"]]);
    expect((body.fields as { dataTypeID: number }[]).map((field) => field.dataTypeID)).toEqual([23, 16, 3802, 1184, 1007]);

    // Without those headers Neon answers objects of JSON values.
    const parsed = await (await post(query)).json<Record<string, unknown>>();
    expect(parsed.rowAsArray).toBe(false);
    expect(parsed.rows).toEqual([{ int: 42, bool: true, doc: { a: 1 }, at: "2024-01-02 03:04:05+00", ints: [1, null] }]);

    const malformed = await post("{not json");
    expect(malformed.status).toBe(400);
    expect((await malformed.json<{ message: string }>()).message).toMatch(/JSON/);
    const badLevel = await post(JSON.stringify({ queries: [] }), { "Neon-Batch-Isolation-Level": "Snapshot" });
    expect(badLevel.status).toBe(400);
    expect(await badLevel.json()).toMatchObject({ message: "invalid isolation level", code: "", severity: "", detail: null });
  });

  it("reports command tags and row counts", async () => {
    const insert = await sql.query(`insert into ${table} values (1, 'a'), (2, 'b')`, [], { fullResults: true });
    expect([insert.command, insert.rowCount]).toEqual(["INSERT", 2]);
    const update = await sql.query(`update ${table} set note = note || '!' where id > $1`, [0], { fullResults: true });
    expect([update.command, update.rowCount]).toEqual(["UPDATE", 2]);
    const remove = await sql.query(`delete from ${table} returning id`, [], { fullResults: true });
    expect([remove.command, remove.rowCount, remove.rows.length]).toEqual(["DELETE", 2, 2]);
    expect(remove.fields[0]).toMatchObject({ name: "id", dataTypeID: 23, columnID: 1 });
    expect(remove.fields[0]!.tableID).toBeGreaterThan(0);
    const create = await sql.query(`create temp table if not exists scratch (x int)`, [], { fullResults: true });
    expect([create.command, create.rowCount]).toEqual(["CREATE", null]);
  });

  it("runs every statement with the extended protocol, so two statements fail with 42601", async () => {
    const withoutParams = await expectDbError(sql.query("select 1; select 2"));
    expect(withoutParams).toBeInstanceOf(NeonDbError);
    expect(withoutParams.code).toBe("42601");
    const withParams = await expectDbError(sql.query("select $1::int; select 2", [1]));
    expect(withParams.code).toBe("42601");
  });

  it("passes Postgres' error fields through", async () => {
    await sql.query(`insert into ${table} values (10, 'x')`);
    const duplicate = await expectDbError(sql.query(`insert into ${table} values (10, 'y')`));
    expect(duplicate).toMatchObject({
      code: "23505",
      severity: "ERROR",
      table,
      schema: "public",
      constraint: `${table}_pkey`,
      detail: "Key (id)=(10) already exists.",
    });
    expect(duplicate.message).toContain("duplicate key value violates unique constraint");
    expect(typeof duplicate.routine).toBe("string");

    const syntax = await expectDbError(sql.query("select from where"));
    expect([syntax.code, syntax.position]).toEqual(["42601", "13"]);
    await sql.query(`delete from ${table}`);
  });

  it("commits a transaction() batch and answers every result in order", async () => {
    const [inserted, counted] = await sql.transaction([
      sql`insert into ${sql.unsafe(table)} values (20, 'batch') returning note`,
      sql`select count(*)::int as n from ${sql.unsafe(table)} where id = 20`,
    ]);
    expect(inserted).toEqual([{ note: "batch" }]);
    expect(counted).toEqual([{ n: 1 }]);
    await sql.query(`delete from ${table}`);
  });

  it("rolls a failing batch back and answers its first error", async () => {
    const error = await expectDbError(
      sql.transaction([
        sql`insert into ${sql.unsafe(table)} values (30, 'kept?')`,
        sql`insert into ${sql.unsafe(table)} values (30, 'clash')`,
        sql`insert into ${sql.unsafe(table)} values (31, 'never runs')`,
      ]),
    );
    expect(error.code).toBe("23505");
    expect(await sql.query(`select id from ${table} where id in (30, 31)`)).toEqual([]);
  });

  it("applies the batch isolation level, read-only and deferrable options", async () => {
    const settings = sql`select current_setting('transaction_isolation') as isolation,
      current_setting('transaction_read_only') as read_only, current_setting('transaction_deferrable') as deferrable`;
    const serializable = await sql.transaction([settings], {
      isolationLevel: "Serializable",
      readOnly: true,
      deferrable: true,
    });
    expect(serializable).toEqual([[{ isolation: "serializable", read_only: "on", deferrable: "on" }]]);
    const repeatable = await sql.transaction([settings], { isolationLevel: "RepeatableRead" });
    expect(repeatable).toEqual([[{ isolation: "repeatable read", read_only: "off", deferrable: "off" }]]);

    const readOnly = await expectDbError(sql.transaction([sql`delete from ${sql.unsafe(table)}`], { readOnly: true }));
    expect(readOnly.code).toBe("25006");
  });

  it("never hands out a connection left inside a transaction", async () => {
    const marker = `begin /* ${table} left open */`;
    await sql.query(marker);
    // The connection that ran the lone BEGIN is closed rather than pooled, so its backend goes away.
    await eventually(async () => (await sql`select 1 from pg_stat_activity where query = ${marker}`).length === 0);
  });

  it("reports a wrong password in Neon's words: the proxy checks it, so there is no SQLSTATE", async () => {
    const url = new URL(env.DATABASE_URL);
    url.password = "not-the-password";
    const error = await expectDbError(neon(url.toString())`select 1`);
    expect(error.message).toBe(`password authentication failed for user '${url.username}'`);
    expect(error.code).toBe("");
  });

  it("serves concurrent queries from its pool", async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const [row] = await sql`select ${i}::int as i, pg_backend_pid() as pid, pg_sleep(0.1)`;
        return row as { i: number; pid: number };
      }),
    );
    expect(results.map((row) => row.i)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // More than one backend answered: the requests were spread over the pool, not queued on one connection.
    expect(new Set(results.map((row) => row.pid)).size).toBeGreaterThan(1);
  });
});

describe("HTTP path: Neon's limits", () => {
  it("refuses a response over 10 MiB with 507, as the driver reports it", async () => {
    const error = await expectDbError(sql`select repeat('x', 1024 * 1024) from generate_series(1, 11)`);
    // The driver reads the body of a status other than 400 as text: Neon's JSON error, as it is.
    const [prefix, body] = error.message.split(/(?<=\): )/);
    expect(prefix).toBe("Server error (HTTP status 507): ");
    expect(JSON.parse(body!)).toMatchObject({ message: "response is too large (max is 10485760 bytes)", code: "", severity: "" });
    expect((await sql`select length(repeat('x', 1024 * 1024)) as n`)[0]).toEqual({ n: 1048576 }); // a large one is fine
  });

  it("refuses a request body over 10 MiB with 413", async () => {
    const res = await post(JSON.stringify({ query: "select $1::text", params: ["x".repeat(10 * 1024 * 1024)] }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ message: "request is too large (max is 10485760 bytes)", code: "" });
  });

  it("cancels the query when its caller goes away", async () => {
    const marker = `select pg_sleep(30) /* ${crypto.randomUUID()} */`;
    const running = () => sql`select 1 from pg_stat_activity where query = ${marker} and state = 'active'`;
    const caller = new AbortController();
    const request = post(JSON.stringify({ query: marker }), {}, caller.signal).catch(() => "aborted");
    await eventually(async () => (await running()).length === 1);
    caller.abort();
    expect(await request).toBe("aborted");
    await eventually(async () => (await running()).length === 0);
  });
});
