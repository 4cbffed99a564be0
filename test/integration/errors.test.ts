import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEAD_ENDPOINT, fetchWith, justWroteCookie } from "../support/app.ts";
import { json, type ErrorBody } from "../support/json.ts";

/** The home page is shared through the edge and Redis; a caller who just wrote reads past both, so the request reaches the database. */
const JUST_WROTE = { Cookie: await justWroteCookie() };

const bench = { BENCH_ROUTES: "on" };

/** A sign-in request with this body, labelled with this content type. */
const postLogin = (contentType: string, body: string) =>
  exports.default.fetch("http://example.com/api/auth/login", { method: "POST", headers: { "Content-Type": contentType }, body });

describe("the error envelope", () => {
  it("answers an unknown API path with 404 JSON carrying a stable code and the request id", async () => {
    const res = await exports.default.fetch("http://example.com/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toMatch(/no-such-thing/);
    expect(body.error.requestId).toBe(res.headers.get("X-Request-Id"));
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("keeps the caller's request id when it sends one", async () => {
    const res = await exports.default.fetch("http://example.com/api/missing", { headers: { "X-Request-Id": "trace-abc-123" } });
    expect(res.headers.get("X-Request-Id")).toBe("trace-abc-123");
    expect((await json<ErrorBody>(res)).error.requestId).toBe("trace-abc-123");
  });

  it("shows browsers an HTML error page instead of JSON", async () => {
    const res = await exports.default.fetch("http://example.com/no-such-page", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(await res.text()).toContain("Page not found");
  });

  it("rejects invalid input with 400 invalid_input and names the field", async () => {
    const res = await fetchWith(bench, "/__bench/listings/not-a-uuid/http");
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.message).toMatch(/id/);
    expect(body.error.details).toMatchObject({ issues: [{ path: "id" }] });
  });

  it("refuses an oversized API body with 413 before reading it all", async () => {
    const res = await exports.default.fetch("http://example.com/api/anything", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ blob: "x".repeat(300 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect((await json<ErrorBody>(res)).error.code).toBe("payload_too_large");
  });

  it("refuses an API body that is not JSON with 415 instead of reading it as empty", async () => {
    const res = await postLogin("text/plain", JSON.stringify({ email: "a@example.com", password: "whatever" }));
    expect(res.status).toBe(415);
    const { error } = await json<ErrorBody>(res);
    expect(error.code).toBe("unsupported_media_type");
    expect(error.message).toMatch(/no body.*or as JSON/);
  });

  it("names the wrong field of a JSON body that parsed, without calling the JSON invalid", async () => {
    const res = await postLogin("application/json", JSON.stringify({ email: "not an address", password: "whatever" }));
    expect(res.status).toBe(400);
    const { error } = await json<ErrorBody>(res);
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/^email: /);
  });

  it("answers malformed JSON with 400 malformed_json", async () => {
    const res = await postLogin("application/json", "{not json");
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("malformed_json");
  });

  it("answers 503 when a transaction cannot reach the database (WebSocket path)", async () => {
    const res = await fetchWith({ NEON_LOCAL_PROXY: DEAD_ENDPOINT, BENCH_ROUTES: "on" }, `/__bench/listings/${crypto.randomUUID()}/ws`);
    expect(res.status).toBe(503);
    expect((await json<ErrorBody>(res)).error.code).toBe("unavailable");
  });

  it("answers 503 unavailable with Retry-After when the database cannot be reached", async () => {
    const res = await fetchWith({ NEON_LOCAL_PROXY: DEAD_ENDPOINT }, "/", { headers: JUST_WROTE });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
    expect((await json<ErrorBody>(res)).error.code).toBe("unavailable");
  });

  it("fails closed with 503 when configuration is wrong, telling the log and not the caller", async () => {
    const broken = [{ SESSION_SECRET: "short" }, { APP_ENV: "staging", PUBLIC_ORIGIN: "" }];
    for (const env of broken) {
      const res = await fetchWith(env, "/", { headers: JUST_WROTE });
      expect(res.status).toBe(503);
      const body = await json<ErrorBody>(res);
      expect(body.error.code).toBe("unavailable");
      for (const leak of ["SESSION_SECRET", "PUBLIC_ORIGIN", "short"]) expect(JSON.stringify(body)).not.toContain(leak);
    }
  });

  it("hides the bench routes unless the bench turns them on", async () => {
    const res = await exports.default.fetch("http://example.com/__bench/hello");
    expect(res.status).toBe(404);
  });
});

describe("response headers", () => {
  it("sends secure defaults and Server-Timing with the database cost", async () => {
    const res = await exports.default.fetch("http://example.com/", { headers: { Accept: "text/html", ...JUST_WROTE } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(res.headers.get("Strict-Transport-Security")).toContain("max-age=");
    const timing = res.headers.get("Server-Timing") ?? "";
    expect(timing).toMatch(/db;dur=[\d.]+;desc="\d+ queries"/);
    expect(timing).toMatch(/total;dur=/);
  });

  it("allows only listed origins to call the API with credentials", async () => {
    const allowed = await fetchWith({ CORS_ORIGINS: "https://app.example.org" }, "/api/anything", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example.org", "Access-Control-Request-Method": "POST" },
    });
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.org");
    expect(allowed.headers.get("Access-Control-Allow-Credentials")).toBe("true");

    const refused = await fetchWith({ CORS_ORIGINS: "https://app.example.org" }, "/api/anything", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
