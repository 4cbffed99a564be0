import { randomBytes } from "node:crypto";
import { startNeonProxy, type NeonProxy } from "./neon-proxy.ts";
import { startPostgres, type LocalPostgres } from "./postgres.ts";
import { redisServerAvailable, startRedis, type LocalRedis } from "./redis.ts";
import { startUpstashProxy, type UpstashProxy } from "./upstash-proxy.ts";

export interface StackOptions {
  /** Where the Postgres cluster lives (kept between runs for dev, a temp dir for tests). */
  dataDir: string;
  database: string;
  /** Throw-away clusters skip fsync. */
  fast?: boolean;
  /** An existing Redis to use instead of starting redis-server (REDIS_URL). */
  redisUrl?: string | undefined;
  log?: (line: string) => void;
}

export interface LocalStack {
  postgres: LocalPostgres;
  /** The redis-server child, when the stack started one. */
  redis: LocalRedis | undefined;
  neon: NeonProxy;
  upstash: UpstashProxy | undefined;
  databaseUrl: string;
  /** Why Redis is missing, when it is (the site then runs degraded). */
  redisProblem: string | undefined;
  /** The Worker's vars and secrets that point it at this stack. */
  workerVars: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts what the Worker depends on, all on free loopback ports: real Postgres with the Neon stand-in in
 * front, and Redis (ours, or REDIS_URL) behind the Upstash stand-in. Never touches the machine's own 5432/6379.
 */
export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const postgres = await startPostgres({ dataDir: options.dataDir, fast: options.fast ?? false, log });
  const stopping: (() => Promise<void>)[] = [() => postgres.stop()];
  const stop = async () => {
    for (const step of stopping.reverse()) await step().catch(() => {});
  };
  try {
    await postgres.createDatabase(options.database);
    const neon = await startNeonProxy({ postgresPort: postgres.port, log });
    stopping.push(() => neon.close());

    let redis: LocalRedis | undefined;
    let redisUrl = options.redisUrl;
    let redisProblem: string | undefined;
    if (!redisUrl && redisServerAvailable()) {
      redis = await startRedis();
      stopping.push(() => redis!.stop());
      redisUrl = redis.url;
    } else if (!redisUrl) {
      redisProblem = "redis-server is not installed and REDIS_URL is not set";
    }
    const token = randomBytes(24).toString("base64url");
    const upstash = redisUrl ? await startUpstashProxy({ redisUrl, token, log }) : undefined;
    if (upstash) stopping.push(() => upstash.close());

    const databaseUrl = postgres.url(options.database);
    return {
      postgres,
      redis,
      neon,
      upstash,
      databaseUrl,
      redisProblem,
      workerVars: {
        DATABASE_URL: databaseUrl,
        NEON_LOCAL_PROXY: neon.address,
        UPSTASH_REDIS_REST_URL: upstash?.url ?? "",
        UPSTASH_REDIS_REST_TOKEN: upstash ? token : "",
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
