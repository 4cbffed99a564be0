// `npm run check`: every static check, each reported on its own, then one plain summary line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageBin, projectRoot } from "./local/bin.ts";
import { gzipSync } from "node:zlib";

const BUNDLE_LIMIT_BYTES = 1024 * 1024;
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

function run(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8", env, maxBuffer: 64 << 20 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** `wrangler deploy --dry-run` bundles exactly what would ship; its gzipped size must stay under the limit. */
function bundleCheck(): { ok: boolean; output: string } {
  const outDir = mkdtempSync(join(tmpdir(), "marketplace-bundle-"));
  try {
    const build = run([packageBin("wrangler", "bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outDir]);
    if (!build.ok) return build;
    const files = readdirSync(outDir).filter((file) => !file.endsWith(".map") && !file.endsWith(".md"));
    const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length, 0);
    const output = `bundle: ${files.join(", ")}; ${(gzipped / 1024).toFixed(1)} KiB gzipped (limit ${BUNDLE_LIMIT_BYTES / 1024} KiB)`;
    return { ok: gzipped < BUNDLE_LIMIT_BYTES, output };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const checks: [string, () => { ok: boolean; output: string }][] = [
  ["type-check the Worker (tsc strict)", () => run([packageBin("typescript", "bin/tsc"), "--noEmit", "-p", "tsconfig.json"])],
  ["type-check the Node scripts (tsc strict)", () => run([packageBin("typescript", "bin/tsc"), "--noEmit", "-p", "tsconfig.node.json"])],
  ["lint (eslint)", () => run([packageBin("eslint", "bin/eslint.js"), "."])],
  ["generated Env types match wrangler.toml", () => run([packageBin("wrangler", "bin/wrangler.js"), "types", "--check", "--strict-vars=false"])],
  ["deploy dry-run bundle under 1 MiB gzipped", bundleCheck],
];

let passed = 0;
let failed = 0;
for (const [name, check] of checks) {
  const { ok, output } = check();
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "✓" : "✗"} ${name}`);
  if (!ok || name.startsWith("deploy")) console.log(output.trim().split("\n").map((line) => `    ${line}`).join("\n"));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
