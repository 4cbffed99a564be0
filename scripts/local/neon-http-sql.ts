// Neon's "SQL over HTTP" endpoint (POST /sql) for the local Neon stand-in, served from pooled
// node-postgres connections to the local Postgres. The wire format follows what
// @neondatabase/serverless sends and parses, which in turn mirrors Neon's proxy.
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";
import { parseHeaders, parsePayload, ProxyError, readBody, RequestError, type RequestOptions, type Statement } from "./neon-http-request.ts";
import { toNeonResult } from "./neon-http-values.ts";

export interface PostgresTarget {
  host: string;
  port: number;
}

export interface SqlOverHttp {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

// Neon's proxy default (sql_over_http_max_response_size_bytes).
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const ERROR_FIELDS = [
  "code", "detail", "hint", "position", "internalPosition", "internalQuery", "severity", "where",
  "table", "column", "schema", "dataType", "constraint", "file", "line", "routine",
] as const;

// Every value stays exactly as Postgres printed it; the driver parses by fields[].dataTypeID itself.
const TEXT_AS_IS = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

/** One node-postgres pool per user, password and database that requests name. */
interface Pools {
  target: PostgresTarget;
  log: (line: string) => void;
  byKey: Map<string, pg.Pool>;
  closed: boolean;
}

export function createSqlOverHttp(target: PostgresTarget, log: (line: string) => void): SqlOverHttp {
  const pools: Pools = { target, log, byKey: new Map(), closed: false };
  return {
    handle: (request, response) => handle(pools, request, response),
    async close() {
      pools.closed = true;
      const all = [...pools.byKey.values()];
      pools.byKey.clear();
      await Promise.all(all.map((pool) => pool.end()));
    },
  };
}

const poolKey = (options: RequestOptions) => JSON.stringify([options.user, options.password, options.database]);

function poolFor(pools: Pools, options: RequestOptions): pg.Pool {
  const key = poolKey(options);
  let pool = pools.byKey.get(key);
  if (!pool) {
    pool = new pg.Pool({
      host: pools.target.host,
      port: pools.target.port,
      user: options.user,
      password: options.password,
      database: options.database,
      application_name: "neon-local-proxy (http)",
      types: TEXT_AS_IS,
      max: 16,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection can die (e.g. pg_terminate_backend); the pool drops it, we only note it.
    pool.on("error", (error) => pools.closed || pools.log(`neon proxy: idle HTTP connection failed: ${error.message}`));
    pools.byKey.set(key, pool);
  }
  return pool;
}

async function connect(pools: Pools, options: RequestOptions): Promise<pg.PoolClient> {
  const pool = poolFor(pools, options);
  try {
    return await pool.connect();
  } catch (error) {
    // Don't keep a pool per wrong password or missing database around.
    if (pool.totalCount === 0 && pools.byKey.get(poolKey(options)) === pool) {
      pools.byKey.delete(poolKey(options));
      void pool.end();
    }
    // Neon checks the password itself, and says so in its own words, without a SQLSTATE.
    if (error instanceof pg.DatabaseError && error.code === "28P01") throw new RequestError(`password authentication failed for user '${options.user}'`);
    if (error instanceof pg.DatabaseError) throw error;
    // Neon cannot reach its compute: a server error, not the caller's.
    throw new ProxyError(500, `could not connect to Postgres at ${pools.target.host}:${pools.target.port}: ${describe(error)}`);
  }
}

/** Cancels what a backend is running, from another connection (as Neon does when its caller goes away). */
function cancelBackend(pools: Pools, options: RequestOptions, pid: number): void {
  poolFor(pools, options)
    .query("select pg_cancel_backend($1)", [pid])
    .catch((error: unknown) => pools.log(`neon proxy: could not cancel backend ${pid}: ${describe(error)}`));
}

async function handle(pools: Pools, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const callerGone = new AbortController();
  response.on("close", () => response.writableFinished || callerGone.abort());
  let status = 200;
  let body: unknown;
  try {
    body = await answer(pools, request, callerGone.signal);
  } catch (error) {
    // Postgres's errors are 400 (the driver reads their details only then); the proxy's have their own.
    status = error instanceof ProxyError ? error.status : 400;
    body = errorBody(error);
  }
  if (callerGone.signal.aborted) return;
  response.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
  response.end(JSON.stringify(body));
}

/** Runs a request's statement (or batch, in one transaction) on a pooled connection, and Neon's JSON for it. */
async function answer(pools: Pools, request: IncomingMessage, callerGone: AbortSignal): Promise<unknown> {
  const options = parseHeaders(request.headers);
  const payload = parsePayload(await readBody(request));
  const client = await connect(pools, options);
  const pid = (client as unknown as { processID: number }).processID;
  const cancel = () => cancelBackend(pools, options, pid);
  callerGone.addEventListener("abort", cancel);
  let healthy = false;
  try {
    const budget = { bytes: 0 };
    const body = Array.isArray(payload)
      ? { results: await runBatch(client, payload, options, budget) }
      : await runStatement(client, payload, options, budget);
    healthy = true;
    return body;
  } catch (error) {
    healthy = error instanceof pg.DatabaseError;
    throw error;
  } finally {
    callerGone.removeEventListener("abort", cancel);
    // A connection left inside a transaction (e.g. a lone BEGIN) must never serve another request, nor
    // one whose caller left: the cancel may still be on its way and would hit the next query.
    client.release(!healthy || callerGone.aborted || client.getTransactionStatus() !== "I");
  }
}

/** Bytes of row data a request has produced so far; Neon counts them across a batch. */
interface Budget {
  bytes: number;
}

async function runBatch(client: pg.PoolClient, statements: Statement[], options: RequestOptions, budget: Budget) {
  await client.query(options.begin);
  try {
    const results = [];
    for (const statement of statements) results.push(await runStatement(client, statement, options, budget));
    await client.query("COMMIT");
    return results;
  } catch (error) {
    if (client.getTransactionStatus() !== "I") await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function runStatement(client: pg.PoolClient, statement: Statement, options: RequestOptions, budget: Budget) {
  // queryMode "extended" forces Parse/Bind/Execute even without parameters, so several
  // statements in one query fail with 42601 exactly as they do on Neon.
  const config = { text: statement.query, values: statement.params, rowMode: "array" as const, queryMode: "extended" };
  const result = await client.query<(string | null)[]>(config);
  for (const row of result.rows) for (const value of row) budget.bytes += value === null ? 0 : Buffer.byteLength(value);
  if (budget.bytes > MAX_RESPONSE_BYTES) throw new ProxyError(507, `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)`);
  return toNeonResult(result, { arrayMode: statement.arrayMode ?? options.arrayMode, rawTextOutput: options.rawTextOutput });
}

// Neon fills these two with "" when the error is not Postgres's (Rust's default for a string); the rest are null.
const ALWAYS_STRINGS = new Set<string>(["code", "severity"]);

function errorBody(error: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { message: describe(error) };
  const details = error instanceof pg.DatabaseError ? (error as unknown as Record<string, unknown>) : {};
  for (const field of ERROR_FIELDS) {
    body[field] = typeof details[field] === "string" ? details[field] : ALWAYS_STRINGS.has(field) ? "" : null;
  }
  return body;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node reports a refused connection as an AggregateError with an empty message.
  return error.message || (error as NodeJS.ErrnoException).code || error.name;
}
