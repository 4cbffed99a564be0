import { neon, Pool } from "@neondatabase/serverless";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import { drizzle as drizzlePool, type NeonDatabase } from "drizzle-orm/neon-serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
import { errorFields, errorMessage, log } from "../lib/log.ts";
import { configureNeon, type DbStats } from "./neon-config.ts";

export type { DbStats };

export type HttpDb = NeonHttpDatabase;
/** Either path (HTTP or a transaction on the Pool): queries that run on both take this. */
export type AnyDb = PgDatabase<PgQueryResultHKT>;
export type PoolDb = NeonDatabase;
export type Tx = Parameters<Parameters<PoolDb["transaction"]>[0]>[0];
export type TransactionConfig = Parameters<PoolDb["transaction"]>[1];

export interface DbConfig {
  DATABASE_URL: string;
  /** Every query's deadline (ms): connecting, running and answering. A database that stops answering costs this, not a hang. */
  DATABASE_TIMEOUT_MS?: number | undefined;
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

const DEFAULT_TIMEOUT_MS = 5000;

// Column keys are camelCase in TypeScript and snake_case in Postgres.
const casing = "snake_case" as const;

/** Creates the per-request database access: cheap until used, since every connection is opened lazily. */
export function createDb(config: DbConfig, options: { preferPrimary?: boolean } = {}): Db {
  configureNeon(config);
  const stats: DbStats = { queries: 0, ms: 0 };
  let primary: HttpDb | undefined;
  let replica: HttpDb | undefined;
  let pool: Pool | undefined;
  let closed = false;
  const deadlineMs = config.DATABASE_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS;
  const http = (url: string) => drizzleHttp({ client: neon(url, { fetchOptions: { dbStats: stats, deadlineMs } }), casing });
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
      if (closed) throw new Error("this request's database connections are closed");
      if (!pool) {
        // The pg client's own deadlines: for a connection, and for each statement's answer.
        pool = new Pool({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: deadlineMs, query_timeout: deadlineMs });
        // An idle connection that breaks is re-emitted on the Pool, which throws without a listener.
        pool.on("error", (error: Error) => log("warn", "database pool connection failed", errorFields(error)));
      }
      const db = drizzlePool({ client: pool, casing, logger: { logQuery: () => void stats.queries++ } });
      const started = performance.now();
      try {
        return await db.transaction(work, txConfig);
      } catch (error) {
        // A failed WebSocket rejects with an ErrorEvent, which is no Error: Hono's onError, queue retries
        // and callers' `instanceof Error` checks would all miss it.
        if (error instanceof Error) throw error;
        throw new Error(`Error connecting to database: ${errorMessage(error)}`, { cause: error });
      } finally {
        stats.ms += performance.now() - started;
      }
    },
    stats,
    async close() {
      closed = true;
      await pool?.end();
    },
  };
}

/** Raw SQL on either path (both drivers answer with `{ rows }`); rows use the database's column names. */
export async function queryRows<Row>(db: AnyDb, statement: SQL): Promise<Row[]> {
  const result = (await db.execute(statement)) as { rows: Row[] };
  return result.rows;
}

/** One round trip to the primary: what readiness checks. */
export async function pingPrimary(db: Db): Promise<void> {
  await db.primary.execute(sql`select 1`);
}
