import { Redis } from "@upstash/redis/cloudflare";

export interface RedisConfig {
  UPSTASH_REDIS_REST_URL?: string | undefined;
  UPSTASH_REDIS_REST_TOKEN?: string | undefined;
  /** Redis is a cache: a slow or absent Redis must cost a bounded delay, never a hung request. */
  REDIS_TIMEOUT_MS: number;
}

const clients = new Map<string, Redis>();

/** The shared Upstash client for this isolate, or undefined when Redis is not configured (degraded mode). */
export function getRedis(config: RedisConfig): Redis | undefined {
  const url = config.UPSTASH_REDIS_REST_URL;
  const token = config.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) return undefined;
  const timeout = config.REDIS_TIMEOUT_MS;
  const key = `${url} ${token} ${timeout}`;
  let client = clients.get(key);
  if (!client) {
    client = new Redis({
      url,
      token,
      retry: { retries: 0 },
      signal: () => AbortSignal.timeout(timeout),
      enableTelemetry: false,
      // Auto-pipelining (the package's default) batches commands from concurrent requests into one fetch
      // made by one of them: when that request ended, the runtime cancelled the fetch and the others'
      // commands never settled. Each request sends its own commands.
      enableAutoPipelining: false,
    });
    clients.set(key, client);
  }
  return client;
}
