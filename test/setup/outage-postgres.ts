import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { migrateDatabase } from "../../scripts/migrate.ts";
import { startNeonProxy, type NeonProxy } from "../../scripts/local/neon-proxy.ts";
import { startPostgres, type LocalPostgres } from "../../scripts/local/postgres.ts";

/** The Worker vars that point it at the outage cluster. */
export interface OutageDatabase {
  DATABASE_URL: string;
  NEON_LOCAL_PROXY: string;
}

/** The cluster's postmaster and every process it forked (backends, checkpointer, walwriter…). */
async function clusterPids(clusterDir: string): Promise<number[]> {
  const postmaster = Number((await readFile(join(clusterDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the command's closing parenthesis: state, then the parent's pid.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (parent === postmaster) children.push(Number(entry));
  }
  return [postmaster, ...children];
}

/**
 * A Postgres cluster of its own (with its Neon stand-in) that tests may pause with SIGSTOP, as a
 * network partition or a stuck compute looks, and resume: never the shared cluster other test files
 * use. Started on first use, so runs that never pause a database do not pay for it.
 */
export function outagePostgres(dataDir: string) {
  let running: Promise<{ postgres: LocalPostgres; neon: NeonProxy; vars: OutageDatabase }> | undefined;
  const start = async () => {
    const postgres = await startPostgres({ dataDir, fast: true });
    await postgres.createDatabase("marketplace_outage");
    const url = postgres.url("marketplace_outage");
    await migrateDatabase(url);
    const neon = await startNeonProxy({ postgresPort: postgres.port });
    return { postgres, neon, vars: { DATABASE_URL: url, NEON_LOCAL_PROXY: neon.address } };
  };
  const signal = async (name: "SIGSTOP" | "SIGCONT") => {
    if (!running) throw new Error("the outage database was never started");
    await running;
    for (const pid of await clusterPids(join(dataDir, "cluster"))) {
      try {
        process.kill(pid, name);
      } catch (error) {
        // A backend that ended between the listing and the signal (its client hung up) needs no signal.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    }
  };
  return {
    start: async () => (await (running ??= start())).vars,
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    async stop() {
      if (!running) return;
      await signal("SIGCONT");
      const { postgres, neon } = await running;
      await neon.close();
      await postgres.stop();
    },
  };
}

export type OutagePostgres = ReturnType<typeof outagePostgres>;
