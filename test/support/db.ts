import { env } from "cloudflare:workers";
import { createDb } from "../../workers/data/db.ts";
import { images, users } from "../../workers/data/schema/index.ts";

/** Direct database access for arranging and checking test data (the same driver path the Worker uses). */
export const testDb = () => createDb({ DATABASE_URL: env.DATABASE_URL, NEON_LOCAL_PROXY: env.NEON_LOCAL_PROXY });

export const uniqueSuffix = () => crypto.randomUUID().slice(0, 8);

export async function createUser(overrides: Partial<typeof users.$inferInsert> = {}) {
  const suffix = uniqueSuffix();
  const [user] = await testDb()
    .primary.insert(users)
    .values({ email: `user-${suffix}@example.com`, name: `User ${suffix}`, passwordHash: "not-a-real-hash", ...overrides })
    .returning();
  return user!;
}

export async function createImage(ownerId: string, overrides: Partial<typeof images.$inferInsert> = {}) {
  const [image] = await testDb()
    .primary.insert(images)
    .values({ ownerId, originalKey: `originals/${uniqueSuffix()}`, contentType: "image/jpeg", bytes: 1234, ...overrides })
    .returning();
  return image!;
}
