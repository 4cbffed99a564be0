// The Upstash REST wire format, for the local stand-in (upstash-proxy.ts): reading a request's body and
// commands, and writing replies as the hosted API encodes them.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Command } from "./upstash-lua.ts";

export type Reply = Buffer | string | number | null | Error | Reply[];
export type Outcome = { result: Reply } | { error: string };

/** An answer with this status and `{ error: message }` as its body. */
export class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const OK = Buffer.from("OK");

export function parseCommand(value: unknown): Command {
  const valid =
    Array.isArray(value) &&
    typeof value[0] === "string" &&
    value.every((a) => typeof a === "string" || typeof a === "boolean" || (typeof a === "number" && Number.isFinite(a)));
  if (!valid) throw new HttpError(400, `ERR a command must be a JSON array of a name and string, number or boolean arguments, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as Command;
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
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
export function decodeSegment(segment: string): string {
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
export function toJson(value: Reply, base64: boolean, topLevel = false): unknown {
  if (value === null || typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((item) => toJson(item, base64));
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value instanceof Error ? value.message : value);
  if (topLevel && bytes.equals(OK)) return "OK";
  return bytes.toString(base64 ? "base64" : "utf8");
}

export type Headers = (contentType: string) => Record<string, string>;

/** The headers of every answer: each carries a new `upstash-sync-token`, as the hosted API's do. */
export function syncTokenHeaders(): Headers {
  const prefix = randomBytes(4).toString("hex");
  let counter = 0;
  return (contentType) => ({ "Content-Type": contentType, "upstash-sync-token": `${prefix}-${++counter}` });
}

export function respond(res: ServerResponse, headers: Headers, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, headers("application/json")).end(JSON.stringify(body));
}
