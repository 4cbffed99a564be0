// Shared by the tests of the migrated schema (migrations.test.ts, constraints.test.ts): a scratch
// database of the calling file's own, migrated from zero, and rows to arrange in it.
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { migrateDatabase } from "../../scripts/migrate.ts";
import { createScratchDatabase, type ScratchDatabase } from "./database.ts";

export let scratch: ScratchDatabase;
export let client: pg.Client;

/** Gives the calling test file its own scratch database, migrated from zero before its tests, with `client` connected to it; drops it after. */
export function useMigratedScratchDatabase(prefix: string): void {
  beforeAll(async () => {
    scratch = await createScratchDatabase(prefix);
    await migrateDatabase(scratch.url);
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await scratch?.drop();
  });
}

export async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query<T & pg.QueryResultRow>(text, params);
  return rows[0]!;
}

export async function user(): Promise<string> {
  return (await one<{ id: string }>("insert into users (email, name, password_hash) values ($1, 'Someone', 'x') returning id", [`u-${Math.random()}@example.com`])).id;
}

export async function category(): Promise<number> {
  return (await one<{ id: number }>("insert into categories (slug, name) values ($1, 'Test') returning id", [`c-${Math.random()}`])).id;
}

/** Active listings of a new seller, published a minute apart. */
export async function activeListings(count: number): Promise<{ sellerId: string; listingId: string }> {
  const sellerId = await user();
  await client.query(
    `insert into listings (seller_id, category_id, root_category_id, slug, title, seller_name, status, published_at, starting_price, min_delivery_days)
     select $1, $2, $2, $3 || i, 'Listing number ' || i, 'Seller', 'active', now() - i * interval '1 minute', 1000, 3
       from generate_series(1, $4::int) i`,
    [sellerId, await category(), `l-${Math.random()}-`, count],
  );
  return { sellerId, listingId: (await one<{ id: string }>("select id from listings where seller_id = $1 limit 1", [sellerId])).id };
}

/** Orders of one new buyer for a listing, placed an hour apart; returns the buyer and the first order. */
export async function orders(count: number): Promise<{ buyerId: string; orderId: string }> {
  const { sellerId, listingId } = await activeListings(1);
  const buyerId = await user();
  await client.query(
    `insert into orders (listing_id, buyer_id, seller_id, package_tier, snapshot, currency, subtotal, buyer_fee, total, seller_fee, created_at)
     select $1, $2, $3, 'basic', '{}', 'USD', 1000, 100, 1100, 200, now() - i * interval '1 hour' from generate_series(1, $4::int) i`,
    [listingId, buyerId, sellerId, count],
  );
  return { buyerId, orderId: (await one<{ id: string }>("select id from orders where buyer_id = $1 limit 1", [buyerId])).id };
}

export const username = () => `seller-${Math.random().toString(36).slice(2, 12)}`;

/** Every node of the query's plan, depth first. */
export async function planNodes(query: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  await client.query("begin");
  try {
    // The tables are small; the question is only whether an index can hand rows over in the query's order.
    await client.query("set local enable_seqscan = off");
    const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`explain (format json) ${query}`, params);
    const nodes: PlanNode[] = [];
    const walk = (node: PlanNode) => {
      nodes.push(node);
      node.Plans?.forEach(walk);
    };
    walk(rows[0]!["QUERY PLAN"][0].Plan);
    return nodes;
  } finally {
    await client.query("commit");
  }
}

export type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };
