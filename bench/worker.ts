import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { compileModuleRules, convertV4MiniflareOptions, Miniflare, testRegExps, type Json, type V4ModuleDefinition, type V4ModuleRule } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { packageBin } from "../scripts/local/bin.ts";

export interface BenchWorker {
  url: string;
  dispose(): Promise<void>;
}

const wranglerBin = packageBin("wrangler", "bin/wrangler.js");

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; external?: boolean }[] }>;
}

/**
 * The modules of the bundle wrangler wrote to `outDir`, read from its esbuild metafile: the entry, then
 * every file the entry imports from beside itself (external relative imports), each typed by wrangler's
 * own module rules (its defaults plus wrangler.toml's `rules`) as Miniflare matches them. A module no
 * rule types is an error here rather than a workerd that will not start.
 */
function bundleModules(outDir: string, metafilePath: string, rules: V4ModuleRule[]): V4ModuleDefinition[] {
  const { outputs } = JSON.parse(readFileSync(metafilePath, "utf8")) as Metafile;
  const entry = Object.entries(outputs).find(([, output]) => output.entryPoint !== undefined);
  if (!entry) throw new Error(`no entry point in ${metafilePath}`);
  const [entryPath, { imports }] = entry;
  const compiled = compileModuleRules(rules);
  const modules: V4ModuleDefinition[] = [{ type: "ESModule", path: join(outDir, basename(entryPath)) }];
  for (const { path } of imports) {
    if (!path.startsWith("./")) continue; // node:*, cloudflare:* and other runtime modules
    const file = path.slice(2);
    const rule = compiled.find((r) => testRegExps(r.include, file));
    if (!rule) throw new Error(`${entryPath} imports ${file}, which no module rule types`);
    modules.push({ type: rule.type, path: join(outDir, file) });
  }
  return modules;
}

/** What `wrangler deploy --dry-run --outdir` wrote: the bundle and esbuild's account of it. */
export interface WorkerBuild {
  outDir: string;
  metafile: string;
}

/** Builds the Worker exactly as `wrangler deploy` would, plus any bench-only `defines` (global name → JS value). */
export function buildWorker(root: string, outDir: string, defines: Record<string, string> = {}): WorkerBuild {
  const metafile = `${outDir}.meta.json`;
  const defineArgs = Object.entries(defines).flatMap(([name, value]) => ["--define", `${name}:${value}`]);
  execFileSync(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", outDir, "--metafile", metafile, ...defineArgs], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  return { outDir, metafile };
}

export interface BenchRuntime {
  inspectorPort?: number | undefined;
  /**
   * Serves the Worker on a socket of its own instead of behind Miniflare's entry worker, a JavaScript
   * worker in the same workerd that forwards every request and whose own compatibility flags, not the
   * Worker's, decide a WebSocket's compression. In production the Worker answers the client itself.
   */
  direct?: boolean;
  /**
   * Where Miniflare keeps Durable Object storage (a tmpfs for the socket benches). workerd commits an
   * object's SQLite with an fsync, and on a disk shared with other work those commits held up every
   * conversation's sockets (docs/benchmarks.md, Chat fan-out); the bench's Postgres skips fsync likewise.
   */
  storageDir?: string | undefined;
}

/**
 * Runs a built bundle in workerd through Miniflare, with no wrangler dev proxy in front: requests go
 * straight to workerd's socket.
 */
export async function startBenchWorker(root: string, build: WorkerBuild, vars: Record<string, string>, runtime: BenchRuntime = {}): Promise<BenchWorker> {
  // wrangler reads the secrets wrangler.toml requires from the environment.
  Object.assign(process.env, vars);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  // The bundle is already built: the module rules only type the modules wrangler wrote beside it.
  // Static assets are left out: in production Cloudflare's asset router answers them before the Worker
  // runs, but locally Miniflare runs that router as extra JavaScript workers in front of every request,
  // which would swamp the figures.
  const { modulesRules = [], assets: _assets, ...options } = workerOptions as typeof workerOptions & { assets?: unknown };
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      ...options,
      modules: bundleModules(build.outDir, build.metafile, modulesRules),
      modulesRoot: build.outDir,
      // wrangler's published types leave the bindings `unknown`; they are the vars from wrangler.toml.
      bindings: { ...(workerOptions.bindings as Record<string, Json> | undefined), ...vars },
      host: "127.0.0.1",
      port: 0,
      ...(runtime.direct ? { unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }] } : {}),
    }),
    // The Worker still writes its log line per request; the bench just does not print them, and
    // Miniflare's own per-request log (a loopback call back into Node) is off.
    handleStructuredLogs: () => {},
    logRequests: false,
    ...(runtime.inspectorPort === undefined ? {} : { inspectorPort: runtime.inspectorPort }),
    ...(runtime.storageDir === undefined ? {} : { resourcePersistencePath: runtime.storageDir }),
  });
  const entry = await mf.ready;
  const url = runtime.direct ? await mf.unsafeGetDirectURL() : entry;
  return { url: url.origin, dispose: () => mf.dispose() };
}
