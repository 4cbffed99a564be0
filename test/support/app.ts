import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../../workers/app.ts";
import { signWriteMarker } from "../../workers/domain/tokens.ts";

const app = createApp();

/**
 * Sends a request through the same app the Worker serves, with some bindings changed: how tests point
 * the Worker at a stopped Redis, an unreachable database, or a replica.
 */
export async function fetchWith(
  overrides: Partial<Record<keyof Env | "DATABASE_REPLICA_URL", string>>,
  path: string,
  init?: RequestInit,
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(new URL(path, "http://example.com"), init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A loopback port where nothing listens: a dependency that is down. */
export const DEAD_ENDPOINT = "127.0.0.1:9";

/** The read-your-writes cookie a real write earns (an hour's worth): its holder reads past both caches, from the primary. */
export const justWroteCookie = async () => `rw=${await signWriteMarker(env.SESSION_SECRET, 3600)}`;
