import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/migrate.ts";
import { AlreadySeededError, DEMO_ACCOUNTS, RemoteResetError, seedDatabase, type SeedSummary } from "../../scripts/seed.ts";
import { verifyPassword } from "../../workers/domain/password.ts";
import { createScratchDatabase, type ScratchDatabase } from "./database.ts";

const LISTINGS = 300;

let scratch: ScratchDatabase;
let client: pg.Client;
let summary: SeedSummary;

beforeAll(async () => {
  scratch = await createScratchDatabase("seed_test");
  await migrateDatabase(scratch.url);
  summary = await seedDatabase(scratch.url, { listings: LISTINGS });
  client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.end();
  await scratch?.drop();
});

/** Runs a query expected to find nothing wrong; returns the offending rows. */
async function violations(sql: string): Promise<unknown[]> {
  return (await client.query<Record<string, unknown>>(sql)).rows;
}

async function count(sql: string): Promise<number> {
  const { rows } = await client.query<{ count: number }>(`select count(*)::int as count from (${sql}) q`);
  return rows[0]?.count ?? -1;
}

describe("seedDatabase", () => {
  it("writes the volumes it reports, scaled from the listing count", async () => {
    expect(summary.listings).toBe(LISTINGS);
    expect(summary.sellers).toBe(Math.round(LISTINGS / 8));
    expect(summary.buyers).toBe(Math.round(LISTINGS / 4));
    expect(await count("select 1 from listings")).toBe(LISTINGS);
    expect(await count("select 1 from users")).toBe(summary.users);
    expect(await count("select 1 from users where 'seller' = any(roles)")).toBe(summary.sellers);
    expect(await count("select 1 from categories")).toBe(summary.categories);
    expect(await count("select 1 from listing_packages")).toBe(summary.packages);
    expect(await count("select 1 from listing_extras")).toBe(summary.extras);
    expect(await count("select 1 from orders")).toBe(summary.orders);
    expect(await count("select 1 from reviews")).toBe(summary.reviews);
    expect(summary.reviews).toBeGreaterThan(LISTINGS / 2);
    expect(summary.reviews).toBeLessThanOrEqual(summary.orders);
  });

  it("builds a category tree of at least 8 roots with 3 to 6 subcategories each", async () => {
    const { rows } = await client.query<{ slug: string; children: number }>(
      "select p.slug, count(c.id)::int as children from categories p left join categories c on c.parent_id = p.id where p.parent_id is null group by p.slug",
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const root of rows) expect(root.children, root.slug).toBeGreaterThanOrEqual(3);
    for (const root of rows) expect(root.children, root.slug).toBeLessThanOrEqual(6);
    expect(await count("select 1 from categories c where parent_id is not null and exists (select 1 from categories g where g.parent_id = c.id)")).toBe(0);
  });

  it("gives every seller a valid profile, and puts listings in leaf categories", async () => {
    expect(await count("select 1 from users u where 'seller' = any(roles) and not exists (select 1 from seller_profiles p where p.user_id = u.id)")).toBe(0);
    expect(await count("select 1 from seller_profiles")).toBe(summary.sellers);
    const { rows } = await client.query<{ username: string; skills: string[]; languages: string[]; country: string }>(
      "select username::text, skills, languages, country from seller_profiles",
    );
    for (const profile of rows) {
      expect(profile.username).toMatch(/^[a-z0-9][a-z0-9_-]{2,29}$/);
      expect(profile.skills.length).toBeGreaterThan(0);
      expect(profile.languages).toContain("English");
      expect(profile.country).toMatch(/^[A-Z]{2}$/);
    }
    expect(await count("select 1 from listings l join categories c on c.id = l.category_id where c.parent_id is null")).toBe(0);
  });

  it("keeps listings consistent with their packages and sellers", async () => {
    expect(await count("select 1 from listings l where status = 'active' and not exists (select 1 from listing_packages p where p.listing_id = l.id)")).toBe(0);
    expect(
      await violations(`
        select l.id from listings l join listing_packages p on p.listing_id = l.id join seller_profiles s on s.user_id = l.seller_id
        group by l.id, s.display_name
        having l.starting_price <> min(p.price) or l.min_delivery_days <> min(p.delivery_days) or l.seller_name <> s.display_name`),
    ).toEqual([]);
    // Tiers get pricier: basic < standard < premium.
    expect(
      await violations(`
        select a.listing_id from listing_packages a join listing_packages b on b.listing_id = a.listing_id
        where array_position(array['basic','standard','premium'], a.tier) < array_position(array['basic','standard','premium'], b.tier)
          and a.price >= b.price`),
    ).toEqual([]);
    expect(await count("select 1 from listings where cardinality(tags) not between 3 and 6 or jsonb_array_length(faq) = 0")).toBe(0);
    expect(await count("select 1 from listings where status = 'active'")).toBeGreaterThan(LISTINGS * 0.8);
    expect(await count("select 1 from listings where (status = 'draft') <> (published_at is null)")).toBe(0);
    expect(await count("select distinct slug from listings")).toBe(LISTINGS);
  });

  it("backs every review with a completed order whose snapshot and money add up", async () => {
    expect(
      await violations(`
        select r.id from reviews r join orders o on o.id = r.order_id
        where o.status <> 'completed' or o.listing_id <> r.listing_id or o.buyer_id <> r.buyer_id or o.seller_id <> r.seller_id`),
    ).toEqual([]);
    expect(
      await violations(`
        select o.id from orders o join listings l on l.id = o.listing_id join listing_packages p on p.listing_id = o.listing_id and p.tier = o.package_tier
        where o.subtotal <> p.price or o.total <> o.subtotal + o.buyer_fee or o.currency <> 'USD' or o.completed_at is null
           or o.seller_id <> l.seller_id or o.snapshot->>'listingTitle' <> l.title or (o.snapshot->>'deliveryDays')::int <> p.delivery_days
           or o.completed_at > now() or o.created_at < l.published_at`),
    ).toEqual([]);
    const { rows } = await client.query<{ rating: number; share: number }>(
      "select rating, count(*)::float / sum(count(*)) over () as share from reviews group by rating",
    );
    const share = (rating: number) => rows.find((row) => row.rating === rating)?.share ?? 0;
    expect(share(5) + share(4)).toBeGreaterThan(0.75);
  });

  it("sets every rating and order counter to exactly what the reviews and orders add up to", async () => {
    for (const [table, key, id] of [
      ["listings", "listing_id", "id"],
      ["seller_profiles", "seller_id", "user_id"],
    ]) {
      const mismatches = await violations(`
        select t.${id} from ${table} t
        left join (select ${key} as key, sum(rating)::int as rating_sum, count(*)::int as rating_count from reviews group by ${key}) r on r.key = t.${id}
        left join (select ${key} as key, count(*)::int as completed from orders where status = 'completed' group by ${key}) o on o.key = t.${id}
        where t.rating_sum <> coalesce(r.rating_sum, 0) or t.rating_count <> coalesce(r.rating_count, 0) or t.completed_orders <> coalesce(o.completed, 0)`);
      expect(mismatches, table).toEqual([]);
    }
    expect(await count("select 1 from listings where rating_count > 0")).toBeGreaterThan(0);
  });

  it("creates the demo accounts with verified emails and the demo password", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const { rows } = await client.query<{ password_hash: string; roles: string[]; email_verified_at: Date | null }>(
        "select password_hash, roles, email_verified_at from users where email = $1",
        [account.email],
      );
      const [user] = rows;
      expect(user, account.email).toBeDefined();
      expect(user?.email_verified_at).not.toBeNull();
      expect((await verifyPassword(account.password, user?.password_hash ?? "")).ok).toBe(true);
    }
    const roles = async (email: string) => (await client.query<{ roles: string[] }>("select roles from users where email = $1", [email])).rows[0]?.roles;
    expect(await roles("buyer@example.com")).toEqual(["buyer"]);
    expect(await roles("seller@example.com")).toEqual(["buyer", "seller"]);
    expect(await roles("admin@example.com")).toEqual(["buyer", "admin"]);
    const demoListings = await count(
      "select 1 from listings l join seller_profiles p on p.user_id = l.seller_id where p.username = 'demo-seller' and l.status = 'active'",
    );
    expect(demoListings).toBeGreaterThan(0);
    expect(await count("select 1 from orders o join users u on u.id = o.buyer_id where u.email = 'buyer@example.com'")).toBeGreaterThan(0);
  });

  it("refuses to seed a database that already has users", async () => {
    await expect(seedDatabase(scratch.url, { listings: 10 })).rejects.toBeInstanceOf(AlreadySeededError);
    expect(await count("select 1 from listings")).toBe(LISTINGS);
  });

  it("refuses to reset a database that is not on this machine unless forced", async () => {
    /** The scratch database's URL with pg's `host` parameter, which wins over the URL's own host. */
    const via = (host: string) => {
      const url = new URL(scratch.url);
      url.searchParams.set("host", host);
      return url.toString();
    };
    await expect(seedDatabase("postgres://demo:demo@db.example.com/marketplace", { reset: true })).rejects.toBeInstanceOf(RemoteResetError);
    await expect(seedDatabase(via("db.example.com"), { reset: true })).rejects.toBeInstanceOf(RemoteResetError);
    // Forced, it goes on to connect: here to a Unix socket that does not exist, so nothing is touched.
    const forced = await seedDatabase(via("/nonexistent"), { reset: true, force: true }).catch((error: unknown) => error);
    expect(forced).not.toBeInstanceOf(RemoteResetError);
    expect((forced as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(await count("select 1 from listings")).toBe(LISTINGS);
  });

  it("reproduces the same data from the same seed, and different data from another", async () => {
    const snapshot = async () =>
      (
        await client.query<Record<string, unknown>>(
          `select l.id, l.slug::text, l.title, l.starting_price, p.username::text, c.slug::text as category
             from listings l join seller_profiles p on p.user_id = l.seller_id join categories c on c.id = l.category_id order by l.id`,
        )
      ).rows;
    const first = await snapshot();
    await seedDatabase(scratch.url, { listings: LISTINGS, reset: true });
    expect(await snapshot()).toEqual(first);
    await seedDatabase(scratch.url, { listings: LISTINGS, reset: true, seed: 7 });
    expect(await snapshot()).not.toEqual(first);
    expect(await count("select 1 from listings")).toBe(LISTINGS);
  }, 60_000);
});
