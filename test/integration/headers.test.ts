// Security headers on pages (docs/security.md, "Headers"); static assets: test/e2e/static-headers.test.ts.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("security headers", () => {
  it("forbids framing pages outright, as their CSP's frame-ancestors 'none' does", async () => {
    for (const path of ["/login", "/api/categories", "/no-such-page"]) {
      const res = await exports.default.fetch(`http://example.com${path}`, { headers: { Accept: "text/html" } });
      expect(res.headers.get("X-Frame-Options"), path).toBe("DENY");
      expect(res.headers.get("Content-Security-Policy"), path).toContain("frame-ancestors 'none'");
      await res.body?.cancel();
    }
  });
});
