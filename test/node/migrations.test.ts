import { is } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/migrate.ts";
import * as schema from "../../workers/data/schema/index.ts";
import { createScratchDatabase, type ScratchDatabase } from "./database.ts";

let scratch: ScratchDatabase;
let client: pg.Client;

beforeAll(async () => {
  scratch = await createScratchDatabase("migrations");
  await migrateDatabase(scratch.url);
  client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await scratch?.drop();
});

const tables: PgTable[] = Object.values(schema).flatMap((value) => (is(value, PgTable) ? [value] : []));

async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query<T & pg.QueryResultRow>(text, params);
  return rows[0]!;
}

async function user(): Promise<string> {
  return (await one<{ id: string }>("insert into users (email, name, password_hash) values ($1, 'Someone', 'x') returning id", [`u-${Math.random()}@example.com`])).id;
}

async function category(): Promise<number> {
  return (await one<{ id: number }>("insert into categories (slug, name) values ($1, 'Test') returning id", [`c-${Math.random()}`])).id;
}

/** Active listings of a new seller, published a minute apart. */
async function activeListings(count: number): Promise<{ sellerId: string; listingId: string }> {
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
async function orders(count: number): Promise<{ buyerId: string; orderId: string }> {
  const { sellerId, listingId } = await activeListings(1);
  const buyerId = await user();
  await client.query(
    `insert into orders (listing_id, buyer_id, seller_id, package_tier, snapshot, currency, subtotal, buyer_fee, total, seller_fee, created_at)
     select $1, $2, $3, 'basic', '{}', 'USD', 1000, 100, 1100, 200, now() - i * interval '1 hour' from generate_series(1, $4::int) i`,
    [listingId, buyerId, sellerId, count],
  );
  return { buyerId, orderId: (await one<{ id: string }>("select id from orders where buyer_id = $1 limit 1", [buyerId])).id };
}

const username = () => `seller-${Math.random().toString(36).slice(2, 12)}`;

/** Every node of the query's plan, depth first. */
async function planNodes(query: string, params: unknown[]): Promise<Record<string, unknown>[]> {
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

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

describe("migrations from zero", () => {
  it("create every table and column the drizzle schema declares", async () => {
    expect(tables.length).toBeGreaterThanOrEqual(20);
    for (const table of tables) {
      const config = getTableConfig(table);
      const { rows } = await client.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_schema = 'public' and table_name = $1",
        [config.name],
      );
      const actual = rows.map((row) => row.column_name).sort();
      // The app maps camelCase keys to snake_case columns (drizzle's `casing: "snake_case"`).
      const declared = config.columns.map((column) => (column.keyAsName ? toSnakeCase(column.name) : column.name)).sort();
      expect(actual, config.name).toEqual(declared);
    }
  });

  it("are recorded, and a second run changes nothing", async () => {
    const before = await client.query("select hash from drizzle.__drizzle_migrations order by id");
    await migrateDatabase(scratch.url);
    const after = await client.query("select hash from drizzle.__drizzle_migrations order by id");
    expect(after.rows).toEqual(before.rows);
    expect(before.rowCount).toBeGreaterThanOrEqual(3);
  });

  it("install the extensions search relies on", async () => {
    const { rows } = await client.query<{ extname: string }>("select extname from pg_extension");
    expect(rows.map((row) => row.extname)).toEqual(expect.arrayContaining(["citext", "pg_trgm", "unaccent", "pgcrypto"]));
  });

  it("index the hot read paths: active listings, search and foreign keys", async () => {
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where schemaname = 'public'",
    );
    const byName = new Map(rows.map((row) => [row.indexname, row.indexdef]));
    expect(byName.get("listings_active_category_idx")).toMatch(/WHERE \(status = 'active'::text\)/);
    expect(byName.get("listings_search_idx")).toMatch(/USING gin \(search\)/);
    expect(byName.get("listings_title_trgm_idx")).toMatch(/gin_trgm_ops/);
    for (const name of ["sessions_user_idx", "orders_buyer_idx", "orders_seller_idx", "reviews_listing_idx", "conversation_participants_inbox_idx"]) {
      expect(byName.has(name), name).toBe(true);
    }
    // `ORDER BY x DESC` means NULLS FIRST; an index built DESC NULLS LAST cannot serve it.
    expect(rows.filter((row) => row.indexdef.includes("NULLS LAST")).map((row) => row.indexname)).toEqual([]);
  });

  it("index every foreign key that cascades, sets null or is queried", async () => {
    const { rows } = await client.query<{ key: string; action: string }>(
      `select c.conrelid::regclass || '.' || a.attname as key, c.confdeltype as action
         from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.connamespace = 'public'::regnamespace
          and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1] and i.indpred is null)`,
    );
    expect(rows.filter((row) => row.action === "c" || row.action === "n")).toEqual([]);
    const queried = ["messages.sender_id", "conversations.seller_id", "conversations.listing_id", "reviews.buyer_id", "order_events.actor_id"];
    expect(rows.map((row) => row.key).filter((key) => queried.includes(key))).toEqual([]);
  });

  it("page active listings and a buyer's orders in keyset order straight from an index, with no sort", async () => {
    await activeListings(300);
    const { buyerId } = await orders(300);
    await client.query("analyze listings, orders");
    const pages = [
      { index: "listings_active_new_idx", nodes: await planNodes("select id from listings where status = 'active' order by published_at desc, id desc limit 20", []) },
      { index: "orders_buyer_idx", nodes: await planNodes("select id from orders where buyer_id = $1 order by created_at desc, id desc limit 20", [buyerId]) },
    ];
    for (const { index, nodes } of pages) {
      expect(nodes.map((node) => node["Index Name"]), index).toContain(index);
      expect(nodes.map((node) => String(node["Node Type"])).filter((type) => type.includes("Sort")), index).toEqual([]);
    }
  });
});

describe("constraints that protect the data", () => {
  it("weights the search document title over tags over description, ignoring accents", async () => {
    const sellerId = await user();
    await client.query("insert into categories (slug, name) values ('search-test', 'Search test') on conflict do nothing");
    const { rows } = await client.query<{ search: string }>(
      `insert into listings (seller_id, category_id, root_category_id, slug, title, description, tags, seller_name)
       values ($1, (select id from categories where slug = 'search-test'), (select id from categories where slug = 'search-test'),
               'café-logo', 'Café logo design', 'Vector artwork', '{branding}', 'Seller')
       returning search::text`,
      [sellerId],
    );
    expect(rows[0]!.search).toContain("'cafe':1A");
    expect(rows[0]!.search).toContain("'brand':4B");
    expect(rows[0]!.search).toMatch(/'vector':\d+C/);
  });

  it("refuse an unbalanced ledger transaction at commit", async () => {
    await client.query("begin");
    const { rows: accounts } = await client.query<{ id: string }>(
      `insert into ledger_accounts (kind, currency, normal_side, allow_negative) values
         ('payment_clearing', 'EUR', 'debit', true), ('escrow', 'EUR', 'credit', false) returning id`,
    );
    const { rows: txs } = await client.query<{ id: string }>(
      "insert into ledger_transactions (kind, idempotency_key) values ('test', $1) returning id",
      [`unbalanced-${Math.random()}`],
    );
    await client.query("insert into ledger_entries (transaction_id, account_id, amount) values ($1, $2, 100), ($1, $3, -60)", [
      txs[0]!.id,
      accounts[0]!.id,
      accounts[1]!.id,
    ]);
    await expect(client.query("commit")).rejects.toThrow(/does not balance/);
  });

  it("keep balances on each account's normal side and never let an account overdraw", async () => {
    await client.query("begin");
    const { rows: accounts } = await client.query<{ id: string }>(
      `insert into ledger_accounts (kind, currency, normal_side, allow_negative) values
         ('payment_clearing', 'GBP', 'debit', true), ('escrow', 'GBP', 'credit', false) returning id`,
    );
    const [cash, escrow] = [accounts[0]!.id, accounts[1]!.id];
    const post = async (debit: string, credit: string, amount: number) => {
      const { rows } = await client.query<{ id: string }>(
        "insert into ledger_transactions (kind, idempotency_key) values ('test', $1) returning id",
        [`t-${Math.random()}`],
      );
      await client.query("insert into ledger_entries (transaction_id, account_id, amount) values ($1, $2, $3), ($1, $4, $5)", [
        rows[0]!.id,
        debit,
        amount,
        credit,
        -amount,
      ]);
    };
    await post(cash, escrow, 2500);
    await client.query("commit");
    const { rows } = await client.query<{ balance: string }>("select balance from ledger_accounts where id = any($1) order by kind", [[cash, escrow]]);
    expect(rows.map((row) => Number(row.balance))).toEqual([2500, 2500]);

    await client.query("begin");
    await expect(post(escrow, cash, 3000)).rejects.toThrow(/ledger_accounts_no_overdraft/);
    await client.query("rollback");
    await expect(client.query("update ledger_entries set amount = 1")).rejects.toThrow(/append-only/);
    await expect(client.query("delete from ledger_entries")).rejects.toThrow(/append-only/);
  });

  it("refuse a ledger transaction that balances only across currencies, or has fewer than two entries", async () => {
    await client.query("begin");
    const { rows: accounts } = await client.query<{ id: string }>(
      `insert into ledger_accounts (kind, currency, normal_side) values ('payment_clearing', 'USD', 'debit'), ('escrow', 'EUR', 'credit') returning id`,
    );
    const { id } = await one<{ id: string }>("insert into ledger_transactions (kind, idempotency_key) values ('test', $1) returning id", [`fx-${Math.random()}`]);
    await client.query("insert into ledger_entries (transaction_id, account_id, amount) values ($1, $2, 100), ($1, $3, -100)", [id, accounts[0]!.id, accounts[1]!.id]);
    await expect(client.query("commit")).rejects.toThrow(/does not balance in (USD|EUR)/);
    const empty = client.query("insert into ledger_transactions (kind, idempotency_key) values ('test', $1)", [`empty-${Math.random()}`]);
    await expect(empty).rejects.toThrow(/fewer than two entries/);
  });

  it("tie each ledger account's normal side to its kind, and a payout's postings to the payout", async () => {
    const account = (kind: string, side: string) =>
      client.query("insert into ledger_accounts (kind, currency, normal_side, allow_negative) values ($1, 'JPY', $2, true)", [kind, side]);
    await expect(account("escrow", "debit")).rejects.toThrow(/ledger_accounts_normal_side/);
    await expect(account("payment_clearing", "credit")).rejects.toThrow(/ledger_accounts_normal_side/);
    const posting = client.query("insert into ledger_transactions (kind, payout_id, idempotency_key) values ('payout', gen_random_uuid(), $1)", [
      `payout-${Math.random()}`,
    ]);
    await expect(posting).rejects.toThrow(/ledger_transactions_payout_id_payouts_id_fk/);
  });

  it("never refund more than a payment took", async () => {
    const { orderId } = await orders(1);
    const payment = await one<{ id: string; refunded_amount: number }>(
      "insert into payments (order_id, provider, amount, currency) values ($1, 'test', 1100, 'USD') returning id, refunded_amount",
      [orderId],
    );
    expect(payment.refunded_amount).toBe(0);
    const refund = (amount: number) => client.query("update payments set refunded_amount = $1 where id = $2", [amount, payment.id]);
    await refund(1100);
    await expect(refund(1101)).rejects.toThrow(/payments_refunded_amount/);
    await expect(refund(-1)).rejects.toThrow(/payments_refunded_amount/);
  });

  it("refuse an active listing without a publication date, price or delivery time", async () => {
    const { listingId } = await activeListings(1);
    for (const column of ["published_at", "starting_price", "min_delivery_days"]) {
      await expect(client.query(`update listings set ${column} = null where id = $1`, [listingId]), column).rejects.toThrow(/listings_active_complete/);
    }
    await client.query("update listings set status = 'draft', published_at = null, starting_price = null where id = $1", [listingId]);
  });

  it("point covers and avatars at existing images, and let go when the image is deleted", async () => {
    const { sellerId, listingId } = await activeListings(1);
    await client.query("insert into seller_profiles (user_id, username, display_name) values ($1, $2, 'Seller')", [sellerId, username()]);
    const image = await one<{ id: string }>(
      "insert into images (owner_id, listing_id, original_key, content_type, bytes) values ($1, $2, 'key', 'image/png', 1) returning id",
      [sellerId, listingId],
    );
    await client.query("update listings set cover_image_id = $1 where id = $2", [image.id, listingId]);
    await client.query("update seller_profiles set avatar_image_id = $1 where user_id = $2", [image.id, sellerId]);
    await client.query("delete from images where id = $1", [image.id]);
    expect(
      await one("select cover_image_id, avatar_image_id from listings l join seller_profiles p on p.user_id = l.seller_id where l.id = $1", [listingId]),
    ).toEqual({ cover_image_id: null, avatar_image_id: null });
    await expect(client.query("update listings set cover_image_id = gen_random_uuid() where id = $1", [listingId])).rejects.toThrow(
      /listings_cover_image_id_images_id_fk/,
    );
    await expect(client.query("update seller_profiles set avatar_image_id = gen_random_uuid() where user_id = $1", [sellerId])).rejects.toThrow(
      /seller_profiles_avatar_image_id_images_id_fk/,
    );
  });

  it("keep usernames lower case, although citext compares them ignoring case", async () => {
    const profile = async (name: string) =>
      client.query("insert into seller_profiles (user_id, username, display_name) values ($1, $2, 'Seller')", [await user(), name]);
    const name = username();
    await expect(profile(name.toUpperCase())).rejects.toThrow(/seller_profiles_username_format/);
    await profile(name);
  });

  it("keep idempotency keys per signed-in user", async () => {
    const remember = (userId: string | null) =>
      client.query("insert into idempotency_keys (user_id, key, scope, request_hash) values ($1, 'same-key', 'POST /test', 'hash')", [userId]);
    await expect(remember(null)).rejects.toThrow(/null value in column "user_id"/);
    const [first, second] = [await user(), await user()];
    await remember(first);
    await remember(second);
    await expect(remember(first)).rejects.toThrow(/idempotency_keys_user_key/);
  });
});
