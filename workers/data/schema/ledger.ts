import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, char, check, index, integer, pgTable, text, unique, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { at, descending, id, timestamps } from "./columns.ts";
import { users } from "./accounts.ts";
import { orders } from "./orders.ts";

/**
 * Double-entry bookkeeping. Every movement of money is one ledger transaction of at least two entries that
 * sum to zero in each currency (checked by deferred constraint triggers at commit; an entry's currency is its
 * account's, migrations/0005_ledger_per_currency.sql); balances are maintained by a trigger on entries,
 * on each account's normal side, so every balance a person cares about reads as a non-negative number.
 */
export const LEDGER_ACCOUNT_KINDS = [
  "payment_clearing", // money received from / returned to the payment provider
  "escrow", // held for open orders
  "seller_pending", // earned, still in the clearing period
  "seller_available", // withdrawable
  "payout_clearing", // sent to the seller's bank, awaiting confirmation
  "platform_revenue", // fees
] as const;

export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: id(),
    kind: text({ enum: LEDGER_ACCOUNT_KINDS }).notNull(),
    /** The seller for seller accounts; null for the platform's own accounts. */
    ownerId: uuid().references(() => users.id),
    currency: char({ length: 3 }).notNull(),
    /** Assets grow with debits, liabilities and revenue with credits. */
    normalSide: text({ enum: ["debit", "credit"] }).notNull(),
    balance: bigint({ mode: "number" }).notNull().default(0),
    allowNegative: boolean().notNull().default(false),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    unique("ledger_accounts_identity").on(t.kind, t.ownerId, t.currency).nullsNotDistinct(),
    check("ledger_accounts_no_overdraft", sql`${t.allowNegative} or ${t.balance} >= 0`),
    // Money at the payment provider is the platform's asset; everything else is owed to someone or earned.
    check("ledger_accounts_normal_side", sql`${t.normalSide} = case when ${t.kind} = 'payment_clearing' then 'debit' else 'credit' end`),
  ],
);

export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: id(),
    kind: text().notNull(),
    orderId: uuid().references(() => orders.id),
    payoutId: uuid().references((): AnyPgColumn => payouts.id),
    /** The same business event can never be posted twice. */
    idempotencyKey: text().notNull(),
    memo: text().notNull().default(""),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("ledger_transactions_key_idx").on(t.idempotencyKey),
    index("ledger_transactions_order_idx").on(t.orderId),
    index("ledger_transactions_payout_idx").on(t.payoutId),
  ],
);

/** Positive amounts are debits, negative are credits. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    transactionId: uuid()
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: uuid()
      .notNull()
      .references(() => ledgerAccounts.id),
    amount: bigint({ mode: "number" }).notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    index("ledger_entries_account_idx").on(t.accountId, t.id),
    index("ledger_entries_transaction_idx").on(t.transactionId),
    check("ledger_entries_nonzero", sql`${t.amount} <> 0`),
  ],
);

export const payouts = pgTable(
  "payouts",
  {
    id: id(),
    sellerId: uuid()
      .notNull()
      .references(() => users.id),
    amount: integer().notNull(),
    currency: char({ length: 3 }).notNull(),
    status: text({ enum: ["requested", "processing", "paid", "failed"] }).notNull().default("requested"),
    providerRef: text(),
    failureReason: text(),
    completedAt: at(),
    ...timestamps,
  },
  (t) => [index("payouts_seller_idx").on(t.sellerId, descending(t.createdAt), descending(t.id)), check("payouts_amount_positive", sql`${t.amount} > 0`)],
);
