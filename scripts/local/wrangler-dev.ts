import { spawn } from "node:child_process";
import { packageBin } from "./bin.ts";
import { freePort, portIsFree } from "./ports.ts";

export interface WorkerDev {
  url: string;
  stop(): Promise<void>;
}

export interface WorkerDevOptions {
  vars: Record<string, string>;
  /** Preferred port; a free one is used when it is taken. */
  port?: number;
  persistTo: string;
  /** Show wrangler's own output (dev) or keep it quiet (tests). */
  output: "inherit" | "ignore";
  readyTimeoutMs?: number;
}

const wranglerBin = packageBin("wrangler", "bin/wrangler.js");

/** Runs `wrangler dev` (workerd via Miniflare) for the whole Worker, pointed at the local stack through vars. */
export async function startWorkerDev(options: WorkerDevOptions): Promise<WorkerDev> {
  const port = options.port !== undefined && (await portIsFree(options.port)) ? options.port : await freePort();
  const args = [wranglerBin, "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", options.persistTo];
  args.push("--show-interactive-dev-session=false", "--log-level", options.output === "inherit" ? "info" : "error");
  for (const [name, value] of Object.entries(options.vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", options.output, options.output],
    // Also in the environment, where wrangler looks for the secrets wrangler.toml marks as required.
    // No network: no metrics, and Miniflare's placeholder `request.cf` instead of fetching
    // workers.cloudflare.com/cf.json (offline that printed `getaddrinfo ENOTFOUND` and waited).
    env: { ...process.env, ...options.vars, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    const ready = await fetch(`${url}/healthz`).then((res) => res.ok, () => false);
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error("wrangler dev did not become ready in time");
}
