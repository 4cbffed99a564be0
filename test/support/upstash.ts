// Shared by the Upstash stand-in tests (test/integration/upstash-standin-*.test.ts): the stand-in's
// address and token, unique key names, raw requests as the clients make them, and what they answer.
import { env } from "cloudflare:workers";
import { expect } from "vitest";

export const url = env.UPSTASH_REDIS_REST_URL;
export const token = env.UPSTASH_REDIS_REST_TOKEN;

/** Key names under a prefix no other test uses. */
export function keys(): (name: string) => string {
  const id = crypto.randomUUID();
  return (name) => `standin:${id}:${name}`;
}

export interface Answer {
  status: number;
  body: unknown;
  syncToken: string | null;
}

/** One raw request to the stand-in, as the clients make them, with this bearer token (or none). */
export async function request(auth: string | undefined, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { ...(auth === undefined ? {} : { Authorization: `Bearer ${auth}` }), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json<unknown>(), syncToken: response.headers.get("upstash-sync-token") };
}

export const post = (path: string, body: unknown, headers?: Record<string, string>) => request(token, path, body, headers);

/** The status and body alone, for exact comparison. */
export const reply = ({ status, body }: Answer) => ({ status, body });

/** The text of an answer that must be exactly `{ "error": "<text>" }` with this status. */
export function errorText(answer: Answer, status: number): string {
  expect(answer.status).toBe(status);
  const { error, ...rest } = answer.body as { error?: unknown };
  expect(rest).toEqual({});
  expect(error).toBeTypeOf("string");
  return error as string;
}

export const BASE64 = { "Upstash-Encoding": "base64" };
export const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

export async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
