import { describe, expect, it } from "vitest";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn } from "../support/accounts.ts";
import { json, type ErrorBody } from "../support/json.ts";

describe("cross-site request forgery", () => {
  it("refuses a cookie-carrying write from another site, JSON included", async () => {
    const { client } = await signedIn("buyer");
    const attempts: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }, { Origin: "null" }];
    for (const headers of attempts) {
      const res = await client.request("/api/me", { method: "PATCH", json: { name: "Pwned" }, headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe("csrf_rejected");
    }
    const me = await json<UserResponse>(await client.request("/api/me"));
    expect(me.user.name).not.toBe("Pwned");
  });

  it("refuses a cross-site form post to sign someone in (login CSRF)", async () => {
    const { client, email, password } = await signedIn("buyer");
    const res = await client.post("/api/auth/login", { email, password }, { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(403);
  });

  it("accepts the site's own pages and non-browser clients", async () => {
    const { client } = await signedIn("buyer");
    const own = await client.request("/api/me", {
      method: "PATCH",
      json: { name: "Same Origin" },
      headers: { Origin: "https://market.example", "Sec-Fetch-Site": "same-origin" },
    });
    expect(own.status).toBe(200);
    const script = await client.request("/api/me", { method: "PATCH", json: { name: "Script" } });
    expect(script.status).toBe(200);
  });

  it("accepts origins listed in CORS_ORIGINS", async () => {
    const { client } = await signedIn("buyer");
    const res = await client.request("/api/me", {
      method: "PATCH",
      json: { name: "Partner" },
      headers: { Origin: "https://partner.example", "Sec-Fetch-Site": "cross-site" },
      env: { CORS_ORIGINS: "https://partner.example" },
    });
    expect(res.status).toBe(200);
  });
});
