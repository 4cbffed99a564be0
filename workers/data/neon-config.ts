import { neonConfig } from "@neondatabase/serverless";

/** Per-request tally of database round trips, handed to the driver through `fetchOptions`. */
export interface DbStats {
  queries: number;
  ms: number;
}

type InstrumentedInit = RequestInit & { dbStats?: DbStats; deadlineMs?: number };

/** Why a query failed when the database did not answer in time; the error handler answers 503 for it. */
export const deadlineMessage = (ms: number) => `the database did not answer within ${ms} ms`;

/**
 * Counts and times every HTTP query, and gives each its deadline (the request and reading its answer);
 * the driver passes each neon() instance's fetchOptions through to here.
 */
async function instrumentedFetch(url: string, init: InstrumentedInit): Promise<Response> {
  const { dbStats, deadlineMs, ...rest } = init;
  const started = performance.now();
  const signal = deadlineMs ? AbortSignal.timeout(deadlineMs) : undefined;
  try {
    return await fetch(url, signal ? { ...rest, signal } : rest);
  } catch (error) {
    if (signal?.aborted && deadlineMs) throw new Error(deadlineMessage(deadlineMs), { cause: error });
    throw error;
  } finally {
    if (dbStats) {
      dbStats.queries++;
      dbStats.ms += performance.now() - started;
    }
  }
}

let configuredProxy: string | undefined | null = null;

/**
 * Points the Neon driver at the local stand-in (scripts/local/neon-proxy.ts) when NEON_LOCAL_PROXY is set.
 * Production leaves every connection setting at the driver's defaults: only configuration differs.
 */
export function configureNeon(env: { NEON_LOCAL_PROXY?: string | undefined }): void {
  const proxy = env.NEON_LOCAL_PROXY || undefined;
  if (proxy === configuredProxy) return;
  configuredProxy = proxy;
  neonConfig.fetchFunction = instrumentedFetch;
  if (!proxy) return;
  neonConfig.fetchEndpoint = () => `http://${proxy}/sql`;
  neonConfig.wsProxy = () => `${proxy}/v2`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.forceDisablePgSSL = true;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}
