import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare, type Json } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { packageBin } from "../scripts/local/bin.ts";

export interface BenchWorker {
  url: string;
  dispose(): Promise<void>;
}

const wranglerBin = packageBin("wrangler", "bin/wrangler.js");

/**
 * Builds the Worker exactly as `wrangler deploy` would and runs that bundle in workerd through Miniflare,
 * with no wrangler dev proxy in front: requests go straight to workerd's socket.
 */
export async function startBenchWorker(root: string, outDir: string, vars: Record<string, string>): Promise<BenchWorker> {
  execFileSync(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", outDir], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  // wrangler reads the secrets wrangler.toml requires from the environment.
  Object.assign(process.env, vars);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  // The bundle is already built, so source module rules do not apply. Static assets are left out: in
  // production Cloudflare's asset router answers them before the Worker runs, but locally Miniflare runs
  // that router as extra JavaScript workers in front of every request, which would swamp the figures.
  const { modulesRules: _built, assets: _assets, ...options } = workerOptions as typeof workerOptions & { assets?: unknown };
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      ...options,
      // The entry plus the WebAssembly modules wrangler wrote beside it (module rules no longer apply).
      modules: [
        { type: "ESModule", path: join(outDir, "index.js") },
        ...readdirSync(outDir)
          .filter((file) => file.endsWith(".wasm"))
          .map((file) => ({ type: "CompiledWasm" as const, path: join(outDir, file) })),
      ],
      modulesRoot: outDir,
      // wrangler's published types leave the bindings `unknown`; they are the vars from wrangler.toml.
      bindings: { ...(workerOptions.bindings as Record<string, Json> | undefined), ...vars },
      host: "127.0.0.1",
      port: 0,
    }),
    // The Worker still writes its log line per request; the bench just does not print them, and
    // Miniflare's own per-request log (a loopback call back into Node) is off.
    handleStructuredLogs: () => {},
    logRequests: false,
  });
  const url = await mf.ready;
  return { url: url.origin, dispose: () => mf.dispose() };
}
