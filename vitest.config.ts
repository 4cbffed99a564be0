import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// One global setup starts the run's stack (Postgres, Redis, the Neon and Upstash stand-ins) for every project.
export default defineConfig({
  test: {
    globalSetup: ["./test/setup/global-setup.ts"],
    // The Worker's per-request info lines would drown the report; warnings and errors still show.
    onConsoleLog: (log) => !log.includes('"level":"info"'),
    projects: [
      {
        // Worker code, inside workerd, against the real stack.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: inject("workerVars") },
          })),
        ],
        // The timeout only catches a hang: tests that write many rows take seconds on a busy 2-core machine.
        test: { name: "workers", include: ["test/unit/**/*.test.{ts,tsx}", "test/integration/**/*.test.{ts,tsx}"], testTimeout: 20_000 },
      },
      {
        // The local stack's scripts (migrate, seed), in Node against the same Postgres.
        test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"] },
      },
      {
        // Pages in Debian's Chromium, driven by playwright-core, against `wrangler dev`.
        test: { name: "e2e", environment: "node", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
      },
    ],
  },
});
