import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDb } from "../../workers/data/db.ts";
import { categories } from "../../workers/data/schema/index.ts";
import { fetchWith, justWroteCookie } from "../support/app.ts";

const replicaUrl = inject("replicaDatabaseUrl");
const unique = () => `routing-${crypto.randomUUID().slice(0, 8)}`;

/** The replica is a second database here, so which one answered is visible in the data. */
async function categoryOnlyInReplica() {
  const replicaOnly = createDb({ DATABASE_URL: replicaUrl, NEON_LOCAL_PROXY: env.NEON_LOCAL_PROXY });
  const slug = unique();
  await replicaOnly.primary.insert(categories).values({ slug, name: `Replica ${slug}` });
  return slug;
}

describe("read routing", () => {
  it("sends reads to the replica and writes to the primary", async () => {
    const slug = await categoryOnlyInReplica();
    const db = createDb({ DATABASE_URL: env.DATABASE_URL, DATABASE_REPLICA_URL: replicaUrl, NEON_LOCAL_PROXY: env.NEON_LOCAL_PROXY });
    expect(await db.read.select().from(categories).where(eq(categories.slug, slug))).toHaveLength(1);
    expect(await db.primary.select().from(categories).where(eq(categories.slug, slug))).toHaveLength(0);
  });

  it("reads from the primary for a client that just wrote", async () => {
    const slug = await categoryOnlyInReplica();
    const db = createDb(
      { DATABASE_URL: env.DATABASE_URL, DATABASE_REPLICA_URL: replicaUrl, NEON_LOCAL_PROXY: env.NEON_LOCAL_PROXY },
      { preferPrimary: true },
    );
    expect(await db.read.select().from(categories).where(eq(categories.slug, slug))).toHaveLength(0);
  });

  it("routes a page's reads by the (signed) read-your-writes cookie", async () => {
    const slug = await categoryOnlyInReplica();
    const withReplica = { DATABASE_REPLICA_URL: replicaUrl };
    // Without Redis, and at an address no edge copy exists for, the home page's reads reach a database.
    const anonymous = await (await fetchWith({ ...withReplica, UPSTASH_REDIS_REST_URL: "" }, `/?fresh=${slug}`, { headers: { Accept: "text/html" } })).text();
    expect(anonymous).toContain(`Replica ${slug}`);
    const justWrote = await (await fetchWith(withReplica, "/", { headers: { Accept: "text/html", Cookie: await justWroteCookie() } })).text();
    expect(justWrote).not.toContain(`Replica ${slug}`);
  });

  it("counts every round trip in the request's stats", async () => {
    const db = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_LOCAL_PROXY: env.NEON_LOCAL_PROXY });
    await db.read.select().from(categories).limit(1);
    await db.primary.select().from(categories).limit(1);
    await db.transaction(async (tx) => {
      await tx.select().from(categories).limit(1);
    });
    expect(db.stats.queries).toBeGreaterThanOrEqual(3);
    expect(db.stats.ms).toBeGreaterThan(0);
    await db.close();
  });

  it("rolls back an interactive transaction as a whole", async () => {
    const db = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_LOCAL_PROXY: env.NEON_LOCAL_PROXY });
    const slug = unique();
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(categories).values({ slug, name: "Rolled back" });
        const [row] = await tx.select().from(categories).where(eq(categories.slug, slug));
        expect(row?.name).toBe("Rolled back");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db.primary.select().from(categories).where(eq(categories.slug, slug))).toHaveLength(0);
    await db.close();
  });
});
