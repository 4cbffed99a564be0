// Neon's "SQL over HTTP" endpoint (POST /sql) for the local Neon stand-in, served from pooled
// node-postgres connections to the local Postgres. The wire format follows what
// @neondatabase/serverless sends and parses, which in turn mirrors Neon's proxy.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";
import { toNeonResult, toPostgresText } from "./neon-http-values.ts";

export interface PostgresTarget {
  host: string;
  port: number;
}

export interface SqlOverHttp {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

interface Statement {
  query: string;
  params: (string | null)[];
  arrayMode?: boolean;
}

interface RequestOptions {
  user: string;
  password: string;
  database: string;
  rawTextOutput: boolean;
  arrayMode: boolean;
  begin: string;
}

/** An error of the proxy's own (not Postgres's): Neon answers it with this status and just a message. */
class ProxyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** An error about the request itself. */
class RequestError extends ProxyError {
  constructor(message: string) {
    super(400, message);
  }
}

// Neon's proxy defaults (sql_over_http_max_request_size_bytes / _max_response_size_bytes).
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const ISOLATION_LEVELS = new Map([
  ["Serializable", "SERIALIZABLE"],
  ["RepeatableRead", "REPEATABLE READ"],
  ["ReadCommitted", "READ COMMITTED"],
  ["ReadUncommitted", "READ UNCOMMITTED"],
]);

const ERROR_FIELDS = [
  "code", "detail", "hint", "position", "internalPosition", "internalQuery", "severity", "where",
  "table", "column", "schema", "dataType", "constraint", "file", "line", "routine",
] as const;

// Every value stays exactly as Postgres printed it; the driver parses by fields[].dataTypeID itself.
const TEXT_AS_IS = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

export function createSqlOverHttp(target: PostgresTarget, log: (line: string) => void): SqlOverHttp {
  const pools = new Map<string, pg.Pool>();
  let closed = false;

  const poolKey = (options: RequestOptions) => JSON.stringify([options.user, options.password, options.database]);

  function poolFor(options: RequestOptions): pg.Pool {
    const key = poolKey(options);
    let pool = pools.get(key);
    if (!pool) {
      pool = new pg.Pool({
        host: target.host,
        port: target.port,
        user: options.user,
        password: options.password,
        database: options.database,
        application_name: "neon-local-proxy (http)",
        types: TEXT_AS_IS,
        max: 16,
        idleTimeoutMillis: 30_000,
      });
      // An idle connection can die (e.g. pg_terminate_backend); the pool drops it, we only note it.
      pool.on("error", (error) => closed || log(`neon proxy: idle HTTP connection failed: ${error.message}`));
      pools.set(key, pool);
    }
    return pool;
  }

  async function connect(options: RequestOptions): Promise<pg.PoolClient> {
    const pool = poolFor(options);
    try {
      return await pool.connect();
    } catch (error) {
      // Don't keep a pool per wrong password or missing database around.
      if (pool.totalCount === 0 && pools.get(poolKey(options)) === pool) {
        pools.delete(poolKey(options));
        void pool.end();
      }
      // Neon checks the password itself, and says so in its own words, without a SQLSTATE.
      if (error instanceof pg.DatabaseError && error.code === "28P01") throw new RequestError(`password authentication failed for user '${options.user}'`);
      if (error instanceof pg.DatabaseError) throw error;
      // Neon cannot reach its compute: a server error, not the caller's.
      throw new ProxyError(500, `could not connect to Postgres at ${target.host}:${target.port}: ${describe(error)}`);
    }
  }

  /** Cancels what a backend is running, from another connection (as Neon does when its caller goes away). */
  function cancelBackend(options: RequestOptions, pid: number): void {
    poolFor(options)
      .query("select pg_cancel_backend($1)", [pid])
      .catch((error: unknown) => log(`neon proxy: could not cancel backend ${pid}: ${describe(error)}`));
  }

  async function answer(request: IncomingMessage, callerGone: AbortSignal): Promise<unknown> {
    const options = parseHeaders(request.headers);
    const payload = parsePayload(await readBody(request));
    const client = await connect(options);
    const pid = (client as unknown as { processID: number }).processID;
    const cancel = () => cancelBackend(options, pid);
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

  return {
    async handle(request, response) {
      const callerGone = new AbortController();
      response.on("close", () => response.writableFinished || callerGone.abort());
      let status = 200;
      let body: unknown;
      try {
        body = await answer(request, callerGone.signal);
      } catch (error) {
        // Postgres's errors are 400 (the driver reads their details only then); the proxy's have their own.
        status = error instanceof ProxyError ? error.status : 400;
        body = errorBody(error);
      }
      if (callerGone.signal.aborted) return;
      response.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
      response.end(JSON.stringify(body));
    },
    async close() {
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.end()));
    },
  };
}

function parseHeaders(headers: IncomingHttpHeaders): RequestOptions {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const connectionString = header("neon-connection-string");
  if (!connectionString) throw new RequestError("missing Neon-Connection-String header");
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new RequestError("Neon-Connection-String is not a valid URL");
  }
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!/^postgres(ql)?:$/.test(url.protocol) || !url.username || !database) {
    throw new RequestError("Neon-Connection-String must look like postgresql://user:password@host/database");
  }

  // Only the literal "true" switches an option on, as on Neon.
  const isTrue = (name: string) => header(name) === "true";
  let begin = "BEGIN";
  const isolation = header("neon-batch-isolation-level");
  if (isolation !== undefined) {
    const level = ISOLATION_LEVELS.get(isolation);
    if (!level) throw new RequestError("invalid isolation level");
    begin += ` ISOLATION LEVEL ${level}`;
  }
  if (isTrue("neon-batch-read-only")) begin += " READ ONLY";
  if (isTrue("neon-batch-deferrable")) begin += " DEFERRABLE";

  return {
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    rawTextOutput: isTrue("neon-raw-text-output"),
    arrayMode: isTrue("neon-array-mode"),
    begin,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new ProxyError(413, `request is too large (max is ${MAX_REQUEST_BYTES} bytes)`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A single statement, or an array for a batch. The body is JSON whatever its Content-Type says. */
function parsePayload(text: string): Statement | Statement[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError("request body is not valid JSON");
  }
  if (isObject(body) && typeof body.query === "string") return parseStatement(body, "body");
  if (isObject(body) && Array.isArray(body.queries)) {
    return body.queries.map((query, i) => parseStatement(query, `queries[${i}]`));
  }
  throw new RequestError('request body must be {"query": string, "params"?: array} or {"queries": [...]}');
}

function parseStatement(value: unknown, where: string): Statement {
  if (!isObject(value) || typeof value.query !== "string") throw new RequestError(`${where}.query must be a string`);
  const params = value.params ?? [];
  if (!Array.isArray(params)) throw new RequestError(`${where}.params must be an array`);
  const arrayMode = typeof value.arrayMode === "boolean" ? value.arrayMode : undefined;
  return { query: value.query, params: params.map(toPostgresText), arrayMode };
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
