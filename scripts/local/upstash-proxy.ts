// Local stand-in for Upstash's Redis REST API, so the unchanged @upstash/redis and @upstash/ratelimit
// clients can talk to a local redis-server. It serves what those clients send: `POST /` (one
// command), `/pipeline`, `/multi-exec`, and `/subscribe/<channel>` + `/psubscribe/<pattern>` as
// server-sent events. Only for `npm run dev` and tests.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis, ReplyError as UntypedReplyError, type RedisOptions } from "ioredis";
import { createLuaCompat, type Command } from "./upstash-lua.ts";
import { decodeSegment, HttpError, parseCommand, readJson, respond, syncTokenHeaders, toJson, type Headers, type Outcome, type Reply } from "./upstash-wire.ts";

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

const BLOCKING = new Set(["BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF"]);
// They would change the state of the connection every request shares; Upstash's REST API refuses them too.
const CONNECTION_STATE = new Set([
  "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR",
  "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SELECT", "QUIT", "RESET", "HELLO", "AUTH",
  // CLIENT REPLY OFF, CLIENT TRACKING and READONLY would desynchronise every later reply on it.
  "CLIENT", "READONLY", "READWRITE",
]);
// Redis's own error replies (ioredis declares the class as `any`).
const ReplyError = UntypedReplyError as ErrorConstructor;

// Fail fast while Redis is down instead of queueing: every request gets an answer at once.
const FAIL_FAST: RedisOptions = { protocol: 2, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000 };

/**
 * The Redis side of the stand-in: one shared connection every plain request uses (it reconnects on its
 * own), and the connections of their own that blocking commands and subscriptions get.
 */
interface Backend {
  redisUrl: string;
  shared: Redis;
  own: Set<Redis>;
  lua: ReturnType<typeof createLuaCompat>;
}

/** What a request is served with. */
interface Context {
  backend: Backend;
  token: string;
  headers: Headers;
  log: (line: string) => void;
}

/** The shared connection, logging when Redis goes and comes back; `disconnect` is the deliberate close. */
function connectShared(redisUrl: string, log: (line: string) => void) {
  const redis = new Redis(redisUrl, { ...FAIL_FAST, retryStrategy: (times) => Math.min(times * 50, 250) });
  let connected = false;
  redis.on("ready", () => {
    connected = true;
    log("upstash proxy: connected to Redis");
  });
  redis.on("error", (error) => {
    if (connected) log(`upstash proxy: lost Redis (${error.message}); retrying`);
    connected = false;
  });
  redis.on("close", () => {
    if (connected) log("upstash proxy: lost Redis; retrying");
    connected = false;
  });
  return {
    redis,
    disconnect() {
      connected = false;
      redis.disconnect();
    },
  };
}

/** A connection of its own, for blocking commands and subscriptions; never reconnects. */
async function ownConnection(backend: Backend, res: ServerResponse): Promise<Redis> {
  const conn = new Redis(backend.redisUrl, { ...FAIL_FAST, lazyConnect: true, retryStrategy: () => null });
  conn.on("error", () => {});
  backend.own.add(conn);
  conn.once("end", () => backend.own.delete(conn));
  res.once("close", () => conn.disconnect());
  try {
    await conn.connect();
  } catch (error) {
    conn.disconnect();
    throw unavailable(error);
  }
  return conn;
}

function send(backend: Backend, conn: Redis, command: Command): Promise<Reply> {
  const { command: [name, ...args], reply } = backend.lua.translate(command);
  const upper = name.toUpperCase();
  if (CONNECTION_STATE.has(upper)) return Promise.reject(notSupported(upper));
  // Upper-case, because ioredis reshapes some replies (HGETALL into an object, …) by lower-case command name.
  const sent = conn.callBuffer(upper, ...args.map(String)) as Promise<Reply>;
  return reply ? sent.then(reply as (r: Reply) => Reply) : sent;
}

async function pipeline(backend: Backend, commands: Command[], res: ServerResponse): Promise<Outcome[]> {
  const blocks = commands.some(isBlocking);
  const conn = blocks ? await ownConnection(backend, res) : backend.shared;
  try {
    const settled = await Promise.allSettled(commands.map((command) => send(backend, conn, command)));
    return settled.map((s) => (s.status === "fulfilled" ? { result: s.value } : { error: replyText(s.reason) }));
  } finally {
    if (blocks) conn.disconnect();
  }
}

async function transaction(backend: Backend, commands: Command[]): Promise<Outcome[]> {
  const refused = commands.find(([name]) => CONNECTION_STATE.has(name.toUpperCase()));
  if (refused) throw new HttpError(400, notSupported(refused[0].toUpperCase()).message);
  const translated = commands.map((command) => backend.lua.translate(command));
  const multi = backend.shared.multi();
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

/** `/subscribe/<channel>` and `/psubscribe/<pattern>`: Redis's messages as server-sent events. */
async function subscribe(context: Context, kind: "subscribe" | "psubscribe", targets: string[], res: ServerResponse): Promise<void> {
  const conn = await ownConnection(context.backend, res);
  const event = (...fields: string[]) => res.write(`data: ${fields.join(",")}\n\n`);
  conn.on("messageBuffer", (channel: Buffer, message: Buffer) => event("message", String(channel), String(message)));
  conn.on("pmessageBuffer", (pattern: Buffer, channel: Buffer, message: Buffer) =>
    event("pmessage", String(pattern), String(channel), String(message)),
  );
  conn.once("end", () => res.end());
  res.writeHead(200, { ...context.headers("text/event-stream"), "Cache-Control": "no-cache", Connection: "keep-alive" });
  res.flushHeaders();
  try {
    for (const target of targets) event(kind, target, String(await conn[kind](target)));
  } catch (error) {
    context.log(`upstash proxy: ${kind} ${targets.join(" ")} failed: ${(error as Error).message}`);
    res.end();
  }
}

/** The endpoint a request names (`""` for one command) and the rest of its path, once its token checks out. */
function route(context: Context, req: IncomingMessage) {
  const auth = req.headers.authorization;
  if (auth !== `Bearer ${context.token}`) throw new HttpError(401, auth ? "ERR invalid auth token" : "ERR missing auth token");
  const [endpoint = "", ...rest] = new URL(req.url ?? "/", "http://localhost").pathname.slice(1).split("/");
  if (!["", "pipeline", "multi-exec", "subscribe", "psubscribe"].includes(endpoint)) {
    throw new HttpError(404, `ERR unknown endpoint /${endpoint}`);
  }
  if (req.method !== "POST") throw new HttpError(405, `ERR method ${req.method} not allowed`);
  return { endpoint, rest };
}

async function handle(context: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { endpoint, rest } = route(context, req);
  const base64 = String(req.headers["upstash-encoding"]).toLowerCase() === "base64";
  const body = await readJson(req);

  if (endpoint === "subscribe" || endpoint === "psubscribe") {
    // The client joins one channel (or pattern) into the path as it is, slashes included.
    const target = decodeSegment(rest.join("/"));
    const targets = target ? [target] : [];
    if (targets.length === 0) throw new HttpError(400, `ERR /${endpoint} needs a ${endpoint === "subscribe" ? "channel" : "pattern"}`);
    return subscribe(context, endpoint, targets, res);
  }
  if (rest.some(Boolean)) throw new HttpError(404, `ERR unknown endpoint ${req.url}`);
  if (endpoint === "") {
    const outcome = (await pipeline(context.backend, [parseCommand(body)], res))[0]!;
    if ("error" in outcome) return respond(res, context.headers, 400, outcome);
    return respond(res, context.headers, 200, { result: toJson(outcome.result, base64, true) });
  }
  if (!Array.isArray(body) || body.length === 0) throw new HttpError(400, `ERR /${endpoint} expects a non-empty JSON array of commands`);
  const commands = body.map(parseCommand);
  const outcomes = endpoint === "pipeline" ? await pipeline(context.backend, commands, res) : await transaction(context.backend, commands);
  respond(res, context.headers, 200, outcomes.map((o) => ("error" in o ? o : { result: toJson(o.result, base64, true) })));
}

export async function startUpstashProxy(options: UpstashProxyOptions): Promise<UpstashProxy> {
  const log = options.log ?? (() => {});
  const shared = connectShared(options.redisUrl, log);
  const backend: Backend = { redisUrl: options.redisUrl, shared: shared.redis, own: new Set(), lua: createLuaCompat() };
  const context: Context = { backend, token: options.token, headers: syncTokenHeaders(), log };

  const server = createServer((req, res) => {
    handle(context, req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`upstash proxy: ${req.url}: ${(error as Error).message}`);
      respond(res, context.headers, status, { error: (error as Error).message });
    });
  });

  // Outlive the client's keep-alive (it sends keepalive: true and never retries here), so a reused
  // connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  await once(shared.redis, "ready").catch(() => log("upstash proxy: Redis is not reachable yet; will keep retrying"));
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
      for (const conn of backend.own) conn.disconnect();
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
