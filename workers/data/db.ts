import { neon, Pool } from "@neondatabase/serverless";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import { drizzle as drizzlePool, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { configureNeon, type DbStats } from "./neon-config.ts";

export type { DbStats };

export type HttpDb = NeonHttpDatabase;
export type PoolDb = NeonDatabase;
export type Tx = Parameters<Parameters<PoolDb["transaction"]>[0]>[0];
export type TransactionConfig = Parameters<PoolDb["transaction"]>[1];

export interface DbConfig {
  DATABASE_URL: string;
  DATABASE_REPLICA_URL?: string | undefined;
  NEON_LOCAL_PROXY?: string | undefined;
}

export interface Db {
  /** Plain reads over Neon's HTTP path: the replica when there is one, unless this client just wrote. */
  readonly read: HttpDb;
  /** Single statements on the primary over HTTP (one round trip, autocommit). */
  readonly primary: HttpDb;
  /** An interactive transaction on a WebSocket connection from this request's Pool. */
  transaction<T>(work: (tx: Tx) => Promise<T>, config?: TransactionConfig): Promise<T>;
  readonly stats: DbStats;
  /** Ends the request's Pool, if one was opened; pass to waitUntil once the response is out. */
  close(): Promise<void>;
}

// Column keys are camelCase in TypeScript and snake_case in Postgres.
const casing = "snake_case" as const;

/** Creates the per-request database access: cheap until used, since every connection is opened lazily. */
export function createDb(config: DbConfig, options: { preferPrimary?: boolean } = {}): Db {
  configureNeon(config);
  const stats: DbStats = { queries: 0, ms: 0 };
  let primary: HttpDb | undefined;
  let replica: HttpDb | undefined;
  let pool: Pool | undefined;
  const http = (url: string) => drizzleHttp({ client: neon(url, { fetchOptions: { dbStats: stats } }), casing });
  const primaryDb = () => (primary ??= http(config.DATABASE_URL));
  return {
    get primary() {
      return primaryDb();
    },
    get read() {
      if (!config.DATABASE_REPLICA_URL || options.preferPrimary) return primaryDb();
      return (replica ??= http(config.DATABASE_REPLICA_URL));
    },
    async transaction(work, txConfig) {
      pool ??= new Pool({ connectionString: config.DATABASE_URL });
      const db = drizzlePool({ client: pool, casing, logger: { logQuery: () => void stats.queries++ } });
      const started = performance.now();
      try {
        return await db.transaction(work, txConfig);
      } finally {
        stats.ms += performance.now() - started;
      }
    },
    stats,
    async close() {
      const open = pool;
      pool = undefined;
      await open?.end();
    },
  };
}
