import type { Config } from "./config.ts";
import { log } from "./log.ts";

/** Cloudflare's purge API takes at most 100 tags per call on every plan. */
const TAGS_PER_CALL = 100;
const PURGE_TIMEOUT_MS = 5000;

export type ZonePurgeConfig = Pick<Config, "CLOUDFLARE_API_URL" | "CLOUDFLARE_ZONE_ID" | "CLOUDFLARE_PURGE_TOKEN">;

/**
 * Drops every cached response carrying one of `tags` at every location of the zone: the Cache API's
 * delete reaches only the location it runs in. Cloudflare's purge_cache API, when the zone and a token
 * with the Cache Purge permission are configured; without them (local dev) there is only one location
 * and nothing to do. A failure is logged, never thrown: the objects are gone already, so the copies left
 * answer only until they expire or a later purge.
 */
export async function purgeZoneTags(config: ZonePurgeConfig, tags: string[]): Promise<void> {
  const { CLOUDFLARE_API_URL: api, CLOUDFLARE_ZONE_ID: zone, CLOUDFLARE_PURGE_TOKEN: token } = config;
  if (!zone || !token) return;
  for (let start = 0; start < tags.length; start += TAGS_PER_CALL) {
    const batch = tags.slice(start, start + TAGS_PER_CALL);
    try {
      const res = await fetch(`${api}/zones/${encodeURIComponent(zone)}/purge_cache`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ tags: batch }),
        signal: AbortSignal.timeout(PURGE_TIMEOUT_MS),
      });
      if (!res.ok) log("error", "zone purge refused", { status: res.status, body: (await res.text()).slice(0, 500), tags: batch });
    } catch (error) {
      log("error", "zone purge failed", { error: String(error), tags: batch });
    }
  }
}
