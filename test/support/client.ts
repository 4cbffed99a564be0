import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../../workers/app.ts";
import type { UserResponse } from "../../workers/domain/views.ts";
import { json } from "./json.ts";

/** The origin every test request is made to (and a browser form would come from). */
export const SITE_ORIGIN = "https://market.example";

const app = createApp();

/** A random address in 10/8, so each test's rate limits are its own. */
export const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join(".")}`;

export const uniqueEmail = (label = "user") => `${label}-${crypto.randomUUID().slice(0, 12)}@example.com`;

export const STRONG_PASSWORD = "correct horse battery staple 42";

export interface RequestOptions {
  method?: string;
  json?: unknown;
  /** A raw body, such as a form's URLSearchParams (which sets its own Content-Type). */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Bindings to replace for this request (a stopped Redis, another secret…). */
  env?: Partial<Record<string, string>>;
}

/**
 * One browser-like client: keeps the cookies the app sets (honouring Max-Age=0 deletions) and sends
 * them back, from its own IP. Requests go through the same app the Worker serves.
 */
export class Client {
  readonly cookies = new Map<string, string>();
  readonly ip: string;

  constructor(ip = randomIp()) {
    this.ip = ip;
  }

  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers = new Headers(options.headers);
    headers.set("CF-Connecting-IP", this.ip);
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    if (options.json !== undefined) headers.set("Content-Type", "application/json");
    const init: RequestInit = { method: options.method ?? (options.json === undefined ? "GET" : "POST"), headers };
    if (options.json !== undefined) init.body = JSON.stringify(options.json);
    if (options.body !== undefined) init.body = options.body;
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(new URL(path, SITE_ORIGIN), init), { ...env, ...options.env }, ctx);
    await waitOnExecutionContext(ctx);
    for (const line of res.headers.getSetCookie()) this.store(line);
    return res;
  }

  post(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request(path, { ...options, method: "POST", json: json ?? {} });
  }

  /** Submits an HTML form as the site's own page would (urlencoded, from its own origin, accepting HTML). */
  form(path: string, fields: Record<string, string>, options: RequestOptions = {}) {
    const headers = { Origin: SITE_ORIGIN, Accept: "text/html", ...options.headers };
    return this.request(path, { ...options, method: "POST", body: new URLSearchParams(fields), headers });
  }

  private store(line: string) {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const [name = "", value = ""] = pair.split(/=(.*)/s);
    const expired = attributes.some((attribute) => /^max-age=0$/i.test(attribute) || /^expires=thu, 01 jan 1970/i.test(attribute));
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /** Signs up a fresh account; returns its credentials and the API's answer. */
  async signUp(overrides: { email?: string; password?: string; name?: string } = {}) {
    const credentials = { email: overrides.email ?? uniqueEmail(), password: overrides.password ?? STRONG_PASSWORD, name: overrides.name ?? "Test User" };
    const res = await this.post("/api/auth/signup", credentials);
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    const { user } = await json<UserResponse>(res);
    return { ...credentials, id: user.id };
  }
}
