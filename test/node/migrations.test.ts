import { is } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/migrate.ts";
import * as schema from "../../workers/data/schema/index.ts";
import { activeListings, client, orders, planNodes, scratch, useMigratedScratchDatabase } from "./fixtures.ts";

useMigratedScratchDatabase("migrations");

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
