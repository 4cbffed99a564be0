// The bench's local stack (Postgres, the Neon and Upstash stand-ins) in a child process of its own, so
// that the stand-ins' work (parsing SQL over HTTP, node-postgres) does not run on the event loop that
// timestamps the bench's sockets. In production Neon and Upstash are other machines; in one process
// the stand-in's turns delayed the clients' receipts and counted as latency.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { migrateDatabase } from "../scripts/migrate.ts";
import { startLocalStack } from "../scripts/local/stack.ts";

export interface StackHandle {
  databaseUrl: string;
  workerVars: Record<string, string>;
  /** The child's pid, so a bench can read its CPU time from /proc. */
  pid: number;
  stop(): Promise<void>;
}

/** Starts a fresh, migrated stack (a throw-away cluster in `dataDir`) in a child process; answers once it is up. */
export async function startStackProcess(dataDir: string, database: string): Promise<StackHandle> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), dataDir, database], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const [line] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((next) => [next.done ? undefined : next.value]),
    exited.then(() => [undefined]),
  ]);
  if (!line) throw new Error("the bench stack process exited before the stack was up");
  const { databaseUrl, workerVars } = JSON.parse(line) as Pick<StackHandle, "databaseUrl" | "workerVars">;
  return {
    databaseUrl,
    workerVars,
    pid: child.pid!,
    async stop() {
      // Closing its stdin is the signal: it stops the stack (Postgres included) and exits.
      child.stdin.end();
      await exited;
    },
  };
}

/** In the child: start the stack, say where it is on stdout, and stop it when the parent closes stdin (or dies). */
async function serveStack(dataDir: string, database: string): Promise<void> {
  const stack = await startLocalStack({ dataDir, database, fast: true, redisUrl: process.env.REDIS_URL });
  try {
    await migrateDatabase(stack.databaseUrl);
    process.stdout.write(`${JSON.stringify({ databaseUrl: stack.databaseUrl, workerVars: stack.workerVars })}\n`);
    await new Promise((resolve) => process.stdin.on("end", resolve).on("close", resolve).resume());
  } finally {
    await stack.stop();
  }
}

if (import.meta.main) {
  const [dataDir, database] = process.argv.slice(2);
  await serveStack(dataDir!, database!);
  process.exit(0);
}
