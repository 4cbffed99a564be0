import { createDb, type Db } from "./data/db.ts";
import { getRedis } from "./data/redis.ts";
import type { Config } from "./lib/config.ts";

/**
 * The one place the Worker's stores are opened, for requests (the services middleware), queue
 * consumers and Durable Objects alike. Cheap: every connection opens lazily on first use.
 */
export function openStores(config: Config, options: { preferPrimary?: boolean } = {}) {
  return { db: createDb(config, options), redis: getRedis(config) };
}

export type { Db };
