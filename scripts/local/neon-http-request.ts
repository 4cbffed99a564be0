// Reading a request to the Neon stand-in's "SQL over HTTP" (neon-http-sql.ts) as Neon's proxy does: its
// headers into connection and transaction options, its JSON body into statements.
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { toPostgresText } from "./neon-http-values.ts";

export interface Statement {
  query: string;
  params: (string | null)[];
  arrayMode?: boolean;
}

export interface RequestOptions {
  user: string;
  password: string;
  database: string;
  rawTextOutput: boolean;
  arrayMode: boolean;
  begin: string;
}

/** An error of the proxy's own (not Postgres's): Neon answers it with this status and just a message. */
export class ProxyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** An error about the request itself. */
export class RequestError extends ProxyError {
  constructor(message: string) {
    super(400, message);
  }
}

// Neon's proxy default (sql_over_http_max_request_size_bytes).
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const ISOLATION_LEVELS = new Map([
  ["Serializable", "SERIALIZABLE"],
  ["RepeatableRead", "REPEATABLE READ"],
  ["ReadCommitted", "READ COMMITTED"],
  ["ReadUncommitted", "READ UNCOMMITTED"],
]);

export function parseHeaders(headers: IncomingHttpHeaders): RequestOptions {
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

export async function readBody(request: IncomingMessage): Promise<string> {
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
export function parsePayload(text: string): Statement | Statement[] {
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
