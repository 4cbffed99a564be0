import { Redis } from "@upstash/redis/cloudflare";

export interface RedisConfig {
  UPSTASH_REDIS_REST_URL?: string | undefined;
  UPSTASH_REDIS_REST_TOKEN?: string | undefined;
  /** Redis is a cache: a slow or absent Redis must cost a bounded delay, never a hung request. */
  REDIS_TIMEOUT_MS: number;
}

/**
 * The deadline of writes no one waits on (cache fills, run after the response): on a saturated isolate
 * every wait grows with the queue of work, and fills given a reader's deadline mostly ran out. It stays
 * well within the 30 s a Worker's waitUntil work may run.
 */
const DEFERRED_WRITE_TIMEOUT_MS = 5000;

const clients = new Map<string, Redis>();
/** Each request-path client's twin for deferred writes: same Redis, the longer deadline. */
const deferredWriteClients = new WeakMap<Redis, Redis>();

function connect(url: string, token: string, timeout: number): Redis {
  return new Redis({
    url,
    token,
    retry: { retries: 0 },
    // One deadline for every command: a per-command signal (streamOptions) would make an abort look like
    // a reply, so a second deadline takes a second client.
    signal: () => AbortSignal.timeout(timeout),
    enableTelemetry: false,
    // Auto-pipelining (the package's default) batches commands from concurrent requests into one fetch
    // made by one of them: when that request ended, the runtime cancelled the fetch and the others'
    // commands never settled. Each request sends its own commands.
    enableAutoPipelining: false,
  });
}

/** The shared Upstash client for this isolate, or undefined when Redis is not configured (degraded mode). */
export function getRedis(config: RedisConfig): Redis | undefined {
  const url = config.UPSTASH_REDIS_REST_URL;
  const token = config.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) return undefined;
  const timeout = config.REDIS_TIMEOUT_MS;
  const key = `${url} ${token} ${timeout}`;
  let client = clients.get(key);
  if (!client) {
    client = connect(url, token, timeout);
    deferredWriteClients.set(client, connect(url, token, Math.max(timeout, DEFERRED_WRITE_TIMEOUT_MS)));
    clients.set(key, client);
  }
  return client;
}

/** The client for writes run after the response; a client getRedis did not make is its own. */
export function forDeferredWrites(redis: Redis): Redis {
  return deferredWriteClients.get(redis) ?? redis;
}
