import type { Redis } from "@upstash/redis/cloudflare";
import type { RequestIdVariables } from "hono/request-id";
import type { TimingVariables } from "hono/timing";
import type { Db } from "./data/db.ts";
import type { AccessClaims } from "./domain/tokens.ts";
import type { Config } from "./lib/config.ts";

/** The one Hono context type: bindings plus the per-request services every route reads from `c.var`. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables &
    TimingVariables & {
      config: Config;
      /** Set by the services middleware, which runs before every route (see EarlyAppEnv for what runs before it). */
      db: Db;
      /** Undefined when Redis is not configured. */
      redis: Redis | undefined;
      /** Work started by the request that runs on after the response (see afterResponse). */
      afterResponse: Promise<unknown>[];
      /** The signed-in caller, or null for anonymous. */
      auth: AccessClaims | null;
      /** The caller holds a valid read-your-writes marker (set by recentWriter, before the edge cache). */
      justWrote: boolean;
      /** Set by a write that changed nothing (signing out without a session): no read-your-writes marker follows. */
      wroteNothing: boolean;
    };
}

/**
 * The context as middleware mounted before the services middleware sees it (request log, edge cache):
 * the per-request services may not exist yet, and the types say so.
 */
export interface EarlyAppEnv {
  Bindings: Env;
  Variables: Pick<AppEnv["Variables"], "requestId"> & Partial<Omit<AppEnv["Variables"], "requestId">>;
}
