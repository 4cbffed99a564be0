// A database that stops answering: the harness pauses its own Postgres cluster with SIGSTOP (never the
// shared one), as a network partition or a stuck compute looks, then resumes it. Every test that pauses
// it lives in this file, so they run one after another.
import { Redis } from "@upstash/redis/cloudflare";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../workers/data/db.ts";
import { sellerProfiles, users } from "../../workers/data/schema/index.ts";
import { cacheKeys } from "../../workers/domain/cache-keys.ts";
import type { SellerPage } from "../../workers/domain/catalog-reads.ts";
import type { ErrorBody } from "../../workers/lib/errors.ts";
import { fetchWith } from "../support/app.ts";
import { cacheLevel } from "../support/catalog.ts";
import { json } from "../support/json.ts";
import { eventually } from "../support/wait.ts";

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });
const control = (action: "start" | "pause" | "resume") => fetch(`${inject("harnessUrl")}/outage-postgres/${action}`, { method: "POST" });
let outage: { DATABASE_URL: string; NEON_LOCAL_PROXY: string };
/** The Worker pointed at the pausable database, with a short deadline so the test is quick. */
const read = (path: string, headers: Record<string, string> = {}) => fetchWith({ ...outage, DATABASE_TIMEOUT_MS: "1000" }, path, { headers });

beforeAll(async () => {
  const res = await control("start");
  expect(res.status).toBe(200);
  outage = await res.json();
}, 120_000);

afterEach(async () => {
  expect((await control("resume")).status).toBe(204);
});

/** Fails instead of waiting for the test timeout when a request never answers (a hang detector, not a speed limit). */
async function answered(request: Promise<Response>): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("no answer: the request hangs")), 15_000)));
  try {
    return await Promise.race([request, hung]);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

async function createSeller() {
  const db = createDb(outage).primary;
  const username = `o${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const [user] = await db.insert(users).values({ email: `${username}@example.com`, name: "Outage Seller", passwordHash: "not-a-real-hash" }).returning();
  await db.insert(sellerProfiles).values({ userId: user!.id, username, displayName: "Outage Studio" });
  return username;
}

describe("a database that stops answering", () => {
  it("serves a public read's stale copy (stale-if-error), answers 503 without one, and recovers by itself", async () => {
    const username = await createSeller();
    const first = await read(`/api/sellers/${username}?visit=1`);
    expect(first.status).toBe(200);
    expect(cacheLevel(first)).toBe("db");
    const key = cacheKeys.seller(username);
    await eventually(async () => (await redis.get(key)) !== null);
    // The copy has gone stale: a fresh read would ask the database.
    const entry = await redis.get<{ value: SellerPage; freshUntil: number }>(key);
    await redis.set(key, { ...entry!, freshUntil: Date.now() - 1000 }, { ex: 600 });

    expect((await control("pause")).status).toBe(204);
    const stale = await answered(read(`/api/sellers/${username}?visit=2`));
    expect(stale.status).toBe(200);
    expect(cacheLevel(stale)).toBe("stale-if-error");
    expect((await json<SellerPage>(stale)).seller.username).toBe(username);

    const uncached = await answered(read(`/api/sellers/nobody-cached-${crypto.randomUUID().slice(0, 8)}`));
    expect(uncached.status).toBe(503);
    expect(uncached.headers.get("Retry-After")).toBeTruthy();
    expect((await json<ErrorBody>(uncached)).error.code).toBe("unavailable");
    const page = await answered(read(`/listings/not-cached-${crypto.randomUUID().slice(0, 8)}`, { Accept: "text/html" }));
    expect(page.status).toBe(503);
    expect(page.headers.get("Retry-After")).toBeTruthy();

    expect((await control("resume")).status).toBe(204);
    await eventually(async () => {
      const res = await read(`/api/sellers/${username}?visit=${crypto.randomUUID()}`);
      return res.status === 200 && cacheLevel(res) === "db";
    }, 10_000);
  });

  it("gives a transaction (the WebSocket path) the same deadline: 503, not a hang", async () => {
    expect((await control("pause")).status).toBe(204);
    const res = await answered(fetchWith({ ...outage, DATABASE_TIMEOUT_MS: "1000", BENCH_ROUTES: "on" }, `/__bench/listings/${crypto.randomUUID()}/ws`));
    expect(res.status).toBe(503);
    expect((await json<ErrorBody>(res)).error.code).toBe("unavailable");
  });
});
