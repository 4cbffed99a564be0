// `npm test`: every vitest project (Workers runtime, Node scripts, browser), then one plain summary line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageBin } from "./local/bin.ts";

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

const vitestBin = packageBin("vitest", "vitest.mjs");
const dir = mkdtempSync(join(tmpdir(), "marketplace-vitest-"));
const outputFile = join(dir, "results.json");
const run = spawnSync(
  process.execPath,
  [vitestBin, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${outputFile}`, ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
);

let results: VitestJson | undefined;
try {
  results = JSON.parse(readFileSync(outputFile, "utf8")) as VitestJson;
} catch {
  results = undefined;
}
rmSync(dir, { recursive: true, force: true });

if (!results) {
  console.log("0 passed, 1 failed");
  process.exit(run.status || 1);
}
// A skipped or todo test is a defect here: count it as failed so it cannot hide.
const failed = results.numFailedTests + results.numPendingTests + results.numTodoTests;
const errored = run.status !== 0 && failed === 0 ? 1 : 0;
console.log(`${results.numPassedTests} passed, ${failed + errored} failed`);
process.exit(failed + errored > 0 ? 1 : 0);
