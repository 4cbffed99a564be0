// `npm run seed [-- --listings N] [--seed N] [--reset [--force]]`: fills a migrated DATABASE_URL with demo data.
import pg from "pg";
import { parseArgs } from "node:util";
import { hashPassword } from "../workers/domain/password.ts";
import { insertRows, withDeferredIndexes, type Columns, type Row } from "./seed/bulk-load.ts";
import { CATEGORY_TREE, insertCategories } from "./seed/categories.ts";
import { startOfToday } from "./seed/clock.ts";
import { EXTRA_COLUMNS, generateListings, LISTING_COLUMNS, PACKAGE_COLUMNS } from "./seed/listings.ts";
import { generateSales, ORDER_COLUMNS, REVIEW_COLUMNS } from "./seed/orders.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, generatePeople, PROFILE_COLUMNS, USER_COLUMNS } from "./seed/people.ts";
import { Random } from "./seed/random.ts";

export { DEMO_ACCOUNTS };

export const DEFAULT_LISTINGS = 400;
const DEFAULT_SEED = 20240917;
const SEEDED_TABLES = ["users", "seller_profiles", "listings", "listing_packages", "listing_extras", "orders", "reviews"];

export interface SeedOptions {
  /** How many listings to create; sellers, buyers and orders scale with it. */
  listings?: number;
  /** PRNG seed: the same seed and count always produce the same data. */
  seed?: number;
  /** Empty every domain table first instead of refusing a database that already has users. */
  reset?: boolean;
  /** Allow `reset` on a database that is not on this machine (loopback). */
  force?: boolean;
  log?: (line: string) => void;
}

export interface SeedSummary {
  categories: number;
  users: number;
  sellers: number;
  buyers: number;
  listings: number;
  packages: number;
  extras: number;
  orders: number;
  reviews: number;
}

/** Thrown instead of mixing demo data into a database that already has users. */
export class AlreadySeededError extends Error {
  constructor(users: number) {
    super(`the database already has ${users} users; pass --reset to wipe it and seed again`);
    this.name = "AlreadySeededError";
  }
}

/** Thrown instead of emptying a database on another machine, which may well be production. */
export class RemoteResetError extends Error {
  constructor(host: string) {
    super(`--reset empties every table, and ${host} is not this machine; add --force if that is really what you want`);
    this.name = "RemoteResetError";
  }
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

/** Seeds everything in one transaction: either the whole demo data set is there, or nothing is. */
export async function seedDatabase(databaseUrl: string, options: SeedOptions = {}): Promise<SeedSummary> {
  const count = options.listings ?? DEFAULT_LISTINGS;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`listings must be a positive integer, got ${count}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  // pg's own reading of the URL (a `host` parameter, PGHOST): where it is about to connect.
  if (options.reset && !options.force && !LOOPBACK_HOSTS.has(client.host.toLowerCase())) throw new RemoteResetError(client.host);
  const log = options.log ?? (() => {});
  const random = new Random(seed);
  const now = startOfToday();
  // Hashing is slow by design: hash once, every demo account shares the stored string.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await client.connect();
  try {
    await client.query("begin");
    if (options.reset) await truncateDomainTables(client);
    const { rows } = await client.query<{ users: number }>("select count(*)::int as users from users");
    const existing = rows[0]?.users ?? 0;
    if (existing > 0) throw new AlreadySeededError(existing);

    const write = async <R extends Row>(table: string, columns: Columns<R>, rows: readonly R[]) => {
      await insertRows(client, table, columns, rows);
      log(`${table}: ${rows.length} rows`);
    };
    const leaves = await insertCategories(client);
    const people = generatePeople(random, {
      sellers: Math.max(20, Math.round(count / 8)),
      buyers: Math.max(30, Math.round(count / 4)),
      roots: CATEGORY_TREE,
      passwordHash,
      now,
    });
    const listings = generateListings(random, { count, sellers: people.sellers, leaves, now });
    const packages = listings.flatMap((listing) => listing.packages);
    const extras = listings.flatMap((listing) => listing.extras);
    const sales = generateSales(random, listings, people.buyerIds, now);
    log("data generated");

    await withDeferredIndexes(client, SEEDED_TABLES, async () => {
      await write("users", USER_COLUMNS, people.users);
      await write("seller_profiles", PROFILE_COLUMNS, people.profiles);
      await write("listings", LISTING_COLUMNS, listings.map((listing) => listing.row));
      await write("listing_packages", PACKAGE_COLUMNS, packages);
      await write("listing_extras", EXTRA_COLUMNS, extras);
      await write("orders", ORDER_COLUMNS, sales.orders);
      await write("reviews", REVIEW_COLUMNS, sales.reviews);
      // Before the indexes come back, so the update does not maintain them row by row.
      await updateAggregates(client);
      log("rating and order counters computed");
    });
    log("indexes and foreign keys restored");
    await client.query("commit");
    return {
      categories: CATEGORY_TREE.reduce((sum, root) => sum + 1 + root.leaves.length, 0),
      users: people.users.length,
      sellers: people.sellers.length,
      buyers: people.buyerIds.length,
      listings: listings.length,
      packages: packages.length,
      extras: extras.length,
      orders: sales.orders.length,
      reviews: sales.reviews.length,
    };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Every table of the app's schema (migration bookkeeping lives in its own schema and is kept). */
async function truncateDomainTables(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public'");
  if (rows.length === 0) return;
  const tables = rows.map((row) => `public.${client.escapeIdentifier(row.name)}`).join(", ");
  await client.query(`truncate table ${tables} restart identity cascade`);
}

/** The denormalised counters, computed from the rows just written so they match exactly. */
async function updateAggregates(client: pg.ClientBase): Promise<void> {
  for (const [table, key, id] of [
    ["listings", "listing_id", "id"],
    ["seller_profiles", "seller_id", "user_id"],
  ] as const) {
    await client.query(`
      update ${table} t
         set rating_sum = coalesce(r.rating_sum, 0), rating_count = coalesce(r.rating_count, 0), completed_orders = o.completed_orders
        from (select ${key} as key, count(*)::int as completed_orders from orders where status = 'completed' group by ${key}) o
        left join (select ${key} as key, sum(rating)::int as rating_sum, count(*)::int as rating_count from reviews group by ${key}) r using (key)
       where t.${id} = o.key`);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      listings: { type: "string" },
      seed: { type: "string" },
      reset: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgres://user:pass@host/db npm run seed -- --listings 400");
    process.exit(1);
  }
  const started = performance.now();
  try {
    const summary = await seedDatabase(url, {
      listings: values.listings === undefined ? undefined : Number(values.listings),
      seed: values.seed === undefined ? undefined : Number(values.seed),
      reset: values.reset,
      force: values.force,
      log: (line) => console.log(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}`),
    });
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s:`);
    console.log(Object.entries(summary).map(([name, value]) => `  ${name.padEnd(10)} ${value}`).join("\n"));
    console.log(`demo accounts (password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((account) => account.email).join(", ")}`);
  } catch (error) {
    if (!(error instanceof AlreadySeededError || error instanceof RemoteResetError)) throw error;
    console.error(`not seeding: ${error.message}`);
    process.exit(1);
  }
}
