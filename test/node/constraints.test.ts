import { describe, expect, it } from "vitest";
import { activeListings, client, one, orders, user, username, useMigratedScratchDatabase } from "./fixtures.ts";

useMigratedScratchDatabase("constraints");

describe("constraints that protect the data", () => {
  it("weights the search document title over tags over category names over description, ignoring accents", async () => {
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
    expect(rows[0]!.search).toMatch(/'search':\d+C/); // the category's name
    expect(rows[0]!.search).toMatch(/'vector':\d+(\s|$)/); // the description: weight D, which Postgres prints without a letter
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
