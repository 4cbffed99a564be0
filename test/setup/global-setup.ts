import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../scripts/migrate.ts";
import { startLocalStack } from "../../scripts/local/stack.ts";
import { startRedis } from "../../scripts/local/redis.ts";
import { startUpstashProxy } from "../../scripts/local/upstash-proxy.ts";
import { startHarnessControl } from "./harness-control.ts";
import { outagePostgres } from "./outage-postgres.ts";

import "../support/provided-context.ts";

/**
 * Starts one fresh stack per test run: a new Postgres cluster in a temp dir, migrated from zero,
 * Redis, and both stand-ins. Every test file reaches them through the Worker's bindings.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), "marketplace-test-"));
  const stack = await startLocalStack({ dataDir, database: "marketplace_test", fast: true, redisUrl: process.env.REDIS_URL });
  if (!stack.upstash) throw new Error(`Tests need Redis: ${stack.redisProblem}`);
  await migrateDatabase(stack.databaseUrl);
  await stack.postgres.createDatabase("marketplace_replica");
  const replicaDatabaseUrl = stack.postgres.url("marketplace_replica");
  await migrateDatabase(replicaDatabaseUrl);

  const outageRedis = await startRedis();
  const outageToken = "outage-token";
  const outageUpstash = await startUpstashProxy({ redisUrl: outageRedis.url, token: outageToken });
  const pausable = outagePostgres(join(dataDir, "outage-postgres"));
  const control = await startHarnessControl({ outageRedis, outagePostgres: pausable });

  project.provide("workerVars", { ...stack.workerVars, SESSION_SECRET: "test-session-secret-that-is-long-enough", APP_ENV: "test" });
  project.provide("replicaDatabaseUrl", replicaDatabaseUrl);
  project.provide("outageRedis", { url: outageUpstash.url, token: outageToken });
  project.provide("harnessUrl", control.url);

  return async () => {
    await control.close();
    await outageUpstash.close();
    await outageRedis.stop();
    await pausable.stop();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
