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
  });
});

describe("constraints that protect the data", () => {
  async function seller() {
    const { rows } = await client.query<{ id: string }>(
      "insert into users (email, name, password_hash) values ($1, 'Seller', 'x') returning id",
      [`s-${Math.random()}@example.com`],
    );
    return rows[0]!.id;
  }

  it("weights the search document title over tags over description, ignoring accents", async () => {
    const sellerId = await seller();
    await client.query("insert into categories (slug, name) values ('search-test', 'Search test') on conflict do nothing");
    const { rows } = await client.query<{ search: string }>(
      `insert into listings (seller_id, category_id, slug, title, description, tags, seller_name)
       values ($1, (select id from categories where slug = 'search-test'), 'café-logo', 'Café logo design', 'Vector artwork', '{branding}', 'Seller')
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
    await client.query("insert into ledger_entries (transaction_id, account_id, amount) values ($1, $2, 100)", [txs[0]!.id, accounts[0]!.id]);
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
});
