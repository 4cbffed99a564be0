import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../scripts/local/bin.ts";
import type { LoadResult, LoadSpec } from "./load.ts";

const run = promisify(execFile);

/** Runs one autocannon load in its own process (see load.ts). */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, [join(projectRoot, "bench/load.ts"), JSON.stringify(spec)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Wall time of one request, start to last byte, from this process. */
export async function timeRequest(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const align = headers.map((_, i) => (i === 0 ? "---" : "---:"));
  return [headers, align, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/**
 * What a run shows works, whatever its figures: each load answered, and never with an error. A run ends
 * with one "N passed, N failed" line, which `.ci/run` adds to its totals.
 */
export class Checks {
  passed = 0;
  readonly failures: string[] = [];

  expect(what: string, ok: boolean): void {
    if (ok) this.passed++;
    else this.failures.push(what);
  }

  answered(what: string, result: LoadResult): void {
    const ok = result.total > 0 && result.non2xx + result.errors === 0;
    this.expect(`${what}: ${result.total} answers, ${result.non2xx} non-2xx, ${result.errors} errors`, ok);
  }

  summary(): string {
    return [...this.failures.map((failure) => `FAILED ${failure}`), `${this.passed} passed, ${this.failures.length} failed`].join("\n");
  }
}
