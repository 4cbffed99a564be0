// Static assets are answered by Workers Static Assets without running the Worker, so their security
// headers come from web/public/_headers: checked here on `wrangler dev`, which serves assets as production does.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startWorkerDev, type WorkerDev } from "../../scripts/local/wrangler-dev.ts";

let worker: WorkerDev;
let persistTo: string;
beforeAll(async () => {
  persistTo = await mkdtemp(join(tmpdir(), "marketplace-headers-"));
  worker = await startWorkerDev({ vars: inject("workerVars"), persistTo, output: "ignore" });
});
afterAll(async () => {
  await worker?.stop();
  await rm(persistTo, { recursive: true, force: true });
});

describe("headers on wrangler dev", () => {
  it.each(["/styles.css", "/favicon.svg"])("sends nosniff, a CSP, HSTS and DENY with the static asset %s", async (path) => {
    const res = await fetch(`${worker.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{8}/);
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("sends X-Frame-Options: DENY with pages, matching their CSP", async () => {
    const res = await fetch(`${worker.url}/login`, { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });
});
