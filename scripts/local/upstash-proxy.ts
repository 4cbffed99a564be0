// Local stand-in for Upstash's Redis REST API, so the unchanged @upstash/redis and @upstash/ratelimit
// clients can talk to a local redis-server. It serves what those clients send: `POST /` (one
// command), `/pipeline`, `/multi-exec`, and `/subscribe/<channel>` + `/psubscribe/<pattern>` as
// server-sent events. Only for `npm run dev` and tests.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { Redis, ReplyError as UntypedReplyError, type RedisOptions } from "ioredis";
import { createLuaCompat, type Command } from "./upstash-lua.ts";

export interface UpstashProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface UpstashProxyOptions {
  redisUrl: string;
  token: string;
  port?: number;
  log?: (line: string) => void;
}

type Reply = Buffer | string | number | null | Error | Reply[];
type Outcome = { result: Reply } | { error: string };

class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const BLOCKING = new Set(["BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF"]);
// They would change the state of the connection every request shares; Upstash's REST API refuses them too.
const CONNECTION_STATE = new Set([
  "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR",
  "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SELECT", "QUIT", "RESET", "HELLO", "AUTH",
  // CLIENT REPLY OFF, CLIENT TRACKING and READONLY would desynchronise every later reply on it.
  "CLIENT", "READONLY", "READWRITE",
]);
const OK = Buffer.from("OK");
// Redis's own error replies (ioredis declares the class as `any`).
const ReplyError = UntypedReplyError as ErrorConstructor;

// Fail fast while Redis is down instead of queueing: every request gets an answer at once.
const FAIL_FAST: RedisOptions = { protocol: 2, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000 };

export async function startUpstashProxy(options: UpstashProxyOptions): Promise<UpstashProxy> {
  const log = options.log ?? (() => {});
  const syncPrefix = randomBytes(4).toString("hex");
  let syncCounter = 0;
  const own = new Set<Redis>();
  const lua = createLuaCompat();

  const shared = new Redis(options.redisUrl, { ...FAIL_FAST, retryStrategy: (times) => Math.min(times * 50, 250) });
  let connected = false;
  shared.on("ready", () => {
    connected = true;
    log("upstash proxy: connected to Redis");
  });
  shared.on("error", (error) => {
    if (connected) log(`upstash proxy: lost Redis (${error.message}); retrying`);
    connected = false;
  });
  shared.on("close", () => {
    if (connected) log("upstash proxy: lost Redis; retrying");
    connected = false;
  });

  /** A connection of its own, for blocking commands and subscriptions; never reconnects. */
  async function ownConnection(res: ServerResponse): Promise<Redis> {
    const conn = new Redis(options.redisUrl, { ...FAIL_FAST, lazyConnect: true, retryStrategy: () => null });
    conn.on("error", () => {});
    own.add(conn);
    conn.once("end", () => own.delete(conn));
    res.once("close", () => conn.disconnect());
    try {
      await conn.connect();
    } catch (error) {
      conn.disconnect();
      throw unavailable(error);
    }
    return conn;
  }

  function send(conn: Redis, command: Command): Promise<Reply> {
    const { command: [name, ...args], reply } = lua.translate(command);
    const upper = name.toUpperCase();
    if (CONNECTION_STATE.has(upper)) return Promise.reject(notSupported(upper));
    // Upper-case, because ioredis reshapes some replies (HGETALL into an object, …) by lower-case command name.
    const sent = conn.callBuffer(upper, ...args.map(String)) as Promise<Reply>;
    return reply ? sent.then(reply as (r: Reply) => Reply) : sent;
  }

  async function pipeline(commands: Command[], res: ServerResponse): Promise<Outcome[]> {
    const blocks = commands.some(isBlocking);
    const conn = blocks ? await ownConnection(res) : shared;
    try {
      const settled = await Promise.allSettled(commands.map((command) => send(conn, command)));
      return settled.map((s) => (s.status === "fulfilled" ? { result: s.value } : { error: replyText(s.reason) }));
    } finally {
      if (blocks) conn.disconnect();
    }
  }

  async function transaction(commands: Command[]): Promise<Outcome[]> {
    const refused = commands.find(([name]) => CONNECTION_STATE.has(name.toUpperCase()));
    if (refused) throw new HttpError(400, notSupported(refused[0].toUpperCase()).message);
    const translated = commands.map((command) => lua.translate(command));
    const multi = shared.multi();
    for (const { command: [name, ...args] } of translated) multi.callBuffer(name.toUpperCase(), ...args.map(String));
    let results: [Error | null, unknown][] | null;
    try {
      results = await multi.exec();
    } catch (error) {
      // EXECABORT: a command was refused while queueing (unknown, wrong arity), so nothing ran.
      if (!(error instanceof ReplyError)) throw unavailable(error);
      const cause = (error as { previousErrors?: Error[] }).previousErrors?.[0] ?? error;
      throw new HttpError(400, cause.message);
    }
    // EXEC answers nil only to a WATCHed transaction, and WATCH is refused above.
    return results!.map(([error, result], i) =>
      error ? { error: replyText(error) } : { result: (translated[i]?.reply?.(result) ?? result) as Reply },
    );
  }

  async function subscribe(kind: "subscribe" | "psubscribe", targets: string[], res: ServerResponse): Promise<void> {
    const conn = await ownConnection(res);
    const event = (...fields: string[]) => res.write(`data: ${fields.join(",")}\n\n`);
    conn.on("messageBuffer", (channel: Buffer, message: Buffer) => event("message", String(channel), String(message)));
    conn.on("pmessageBuffer", (pattern: Buffer, channel: Buffer, message: Buffer) =>
      event("pmessage", String(pattern), String(channel), String(message)),
    );
    conn.once("end", () => res.end());
    res.writeHead(200, { ...headers("text/event-stream"), "Cache-Control": "no-cache", Connection: "keep-alive" });
    res.flushHeaders();
    try {
      for (const target of targets) event(kind, target, String(await conn[kind](target)));
    } catch (error) {
      log(`upstash proxy: ${kind} ${targets.join(" ")} failed: ${(error as Error).message}`);
      res.end();
    }
  }

  function headers(contentType: string): Record<string, string> {
    return { "Content-Type": contentType, "upstash-sync-token": `${syncPrefix}-${++syncCounter}` };
  }

  function respond(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return void res.end();
    res.writeHead(status, headers("application/json")).end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${options.token}`) throw new HttpError(401, auth ? "ERR invalid auth token" : "ERR missing auth token");
    const [route = "", ...rest] = new URL(req.url ?? "/", "http://localhost").pathname.slice(1).split("/");
    if (!["", "pipeline", "multi-exec", "subscribe", "psubscribe"].includes(route)) {
      throw new HttpError(404, `ERR unknown endpoint /${route}`);
    }
    if (req.method !== "POST") throw new HttpError(405, `ERR method ${req.method} not allowed`);
    const base64 = String(req.headers["upstash-encoding"]).toLowerCase() === "base64";
    const body = await readJson(req);

    if (route === "subscribe" || route === "psubscribe") {
      // The client joins one channel (or pattern) into the path as it is, slashes included.
      const target = decodeSegment(rest.join("/"));
      const targets = target ? [target] : [];
      if (targets.length === 0) throw new HttpError(400, `ERR /${route} needs a ${route === "subscribe" ? "channel" : "pattern"}`);
      return subscribe(route, targets, res);
    }
    if (rest.some(Boolean)) throw new HttpError(404, `ERR unknown endpoint ${req.url}`);
    if (route === "") {
      const outcome = (await pipeline([parseCommand(body)], res))[0]!;
      if ("error" in outcome) return respond(res, 400, outcome);
      return respond(res, 200, { result: toJson(outcome.result, base64, true) });
    }
    if (!Array.isArray(body) || body.length === 0) throw new HttpError(400, `ERR /${route} expects a non-empty JSON array of commands`);
    const commands = body.map(parseCommand);
    const outcomes = route === "pipeline" ? await pipeline(commands, res) : await transaction(commands);
    respond(res, 200, outcomes.map((o) => ("error" in o ? o : { result: toJson(o.result, base64, true) })));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`upstash proxy: ${req.url}: ${(error as Error).message}`);
      respond(res, status, { error: (error as Error).message });
    });
  });

  // Outlive the client's keep-alive (it sends keepalive: true and never retries here), so a reused
  // connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  await once(shared, "ready").catch(() => log("upstash proxy: Redis is not reachable yet; will keep retrying"));
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      for (const conn of own) conn.disconnect();
      connected = false;
      shared.disconnect();
    },
  };
}

function isBlocking([name, ...args]: Command): boolean {
  const upper = name.toUpperCase();
  if (upper === "XREAD" || upper === "XREADGROUP") return args.some((a) => String(a).toUpperCase() === "BLOCK");
  return BLOCKING.has(upper);
}

function notSupported(name: string): Error {
  return new ReplyError(`ERR ${name} is not supported over the REST API`);
}

/** Redis's own error text; anything else means Redis is unreachable, which fails the whole request. */
function replyText(error: unknown): string {
  if (error instanceof ReplyError) return error.message;
  throw unavailable(error);
}

function unavailable(error: unknown): HttpError {
  return new HttpError(503, `ERR Redis is unavailable: ${(error as Error).message}`);
}

function parseCommand(value: unknown): Command {
  const valid =
    Array.isArray(value) &&
    typeof value[0] === "string" &&
    value.every((a) => typeof a === "string" || typeof a === "boolean" || (typeof a === "number" && Number.isFinite(a)));
  if (!valid) throw new HttpError(400, `ERR a command must be a JSON array of a name and string, number or boolean arguments, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as Command;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new HttpError(400, "ERR request body is not valid JSON");
  }
}

/** The channel as the client wrote it: fetch percent-encodes what a URL cannot hold, but a lone % stays. */
function decodeSegment(segment: string): string {
  return segment.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });
}

/**
 * Replies as the hosted API encodes them: integers stay numbers, nil is null, and with
 * `Upstash-Encoding: base64` every string is base64 of Redis's raw bytes, except a top-level OK
 * (hosted leaves the OK status unencoded; a bulk "OK" looks the same here, and clients read both alike).
 */
function toJson(value: Reply, base64: boolean, topLevel = false): unknown {
  if (value === null || typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((item) => toJson(item, base64));
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value instanceof Error ? value.message : value);
  if (topLevel && bytes.equals(OK)) return "OK";
  return bytes.toString(base64 ? "base64" : "utf8");
}
