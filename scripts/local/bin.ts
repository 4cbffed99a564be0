import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A package's command-line script by file path (their `exports` hide bin files from require.resolve).
 * Run it with `process.execPath`, so it gets the project's pinned Node rather than whatever is on PATH.
 */
export function packageBin(pkg: string, file: string): string {
  return join(projectRoot, "node_modules", pkg, file);
}
