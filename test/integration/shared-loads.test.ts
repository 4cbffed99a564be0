import { SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn } from "../support/accounts.ts";
import { testDb } from "../support/db.ts";
import { json } from "../support/json.ts";
import type { SellerPage } from "../../workers/domain/catalog-reads.ts";
import type { UserResponse } from "../../workers/domain/views.ts";

/** Fails instead of waiting for the test timeout when a request never answers. */
async function answerWithin(request: Promise<Response>, ms: number): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([request, hung]);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

describe("loads are never shared across requests", () => {
  it("a request that ends while its load is in flight does not strand later readers of the same key", async () => {
    const { client } = await signedIn("seller");
    const { user } = await json<UserResponse>(await client.request("/api/me"));
    const username = user.seller!.username;
    const path = `/api/sellers/${username}`;
    const hangUp = new AbortController();
    // Real separate requests (SELF), so each has its own I/O that the runtime cancels when it ends.
    await testDb().transaction(async (tx) => {
      // Holds every read of seller profiles, so the first request is mid-load when its caller hangs up.
      await tx.execute(sql`lock table seller_profiles in access exclusive mode`);
      const first = SELF.fetch(`https://market.example${path}`, { signal: hangUp.signal }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      hangUp.abort();
      await first;
    });
    const second = await answerWithin(SELF.fetch(`https://market.example${path}`), 8000);
    expect(second.status).toBe(200);
    expect((await json<SellerPage>(second)).seller.username).toBe(username);
  });
});
