// `npm run dev` itself, as a newcomer runs it: from no local state to a working site, demo logins
// included, and Ctrl-C stopping everything it started. Vitest compiles the TypeScript it runs; this
// runs the dev script under plain Node, exactly as `npm run dev` does.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/local/ports.ts";
import { eventually } from "../support/wait.ts";

/** Whether anything still accepts connections on this loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A front end on another local origin, allowed through CORS_ORIGINS from the shell. */
const FRONT_END = "http://localhost:5173";
const stateDir = await mkdtemp(join(tmpdir(), "marketplace-dev-"));
await chmod(stateDir, 0o755); // as a checkout's .local/ is: as root, Postgres runs as another user and must get through
afterAll(() => rm(stateDir, { recursive: true, force: true }));

describe("npm run dev", () => {
  it("starts the whole marketplace from nothing, with demo data, and Ctrl-C stops all of it", async () => {
    const dev = spawn(process.execPath, ["scripts/local/dev.ts"], {
      // NODE_ENV unset as in a terminal: vitest's "test" would keep Miniflare from fetching request.cf at all.
      env: { ...process.env, NODE_ENV: undefined, MARKETPLACE_STATE_DIR: stateDir, PORT: String(await freePort()), CORS_ORIGINS: FRONT_END },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    dev.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => dev.on("exit", resolve));

    await eventually(() => /Marketplace is ready: http:\/\/\S+/.test(output) || dev.exitCode !== null, 110_000);
    const url = /Marketplace is ready: (http:\/\/\S+)/.exec(output)?.[1];
    expect(url, output).toBeDefined();
    expect(output).toContain("seller@example.com");
    expect(output, "no network: nothing reaches workers.cloudflare.com").not.toMatch(/ENOTFOUND|workers\.cloudflare\.com|Request\.cf/);

    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ok" });
    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "seller@example.com", password: "marketplace-demo" }),
    });
    expect(login.status).toBe(200);
    const home = await (await fetch(url!, { headers: { Accept: "text/html" } })).text();
    expect(home).toContain('class="card');
    const crossOrigin = await fetch(`${url}/api/categories`, { headers: { Origin: FRONT_END } });
    expect(crossOrigin.headers.get("Access-Control-Allow-Origin")).toBe(FRONT_END);
    await crossOrigin.body?.cancel();

    const ports = [/127\.0\.0\.1:(\d+)\/marketplace/, /Neon stand-in at 127\.0\.0\.1:(\d+)/, /Upstash stand-in at http:\/\/127\.0\.0\.1:(\d+)/, /redis-server on port (\d+)/]
      .map((pattern) => Number(pattern.exec(output)?.[1]));
    expect(ports.every((port) => port > 0), output).toBe(true);

    dev.kill("SIGINT"); // only the dev process: a terminal's Ctrl-C would reach its children too
    expect(await exited, output).toBe(0);
    expect(existsSync(join(stateDir, "postgres", "postmaster.pid"))).toBe(false);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow(); // the Worker is gone,
    for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false); // and so is every server it started
  }, 180_000);
});
