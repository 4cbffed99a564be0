import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, smallint, text, unique, uuid } from "drizzle-orm/pg-core";
import { at, descending, id, timestamps } from "./columns.ts";
import { users } from "./accounts.ts";

/** Side effects (emails, webhooks out) written in the same transaction as the change, sent later by a consumer. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    topic: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text({ enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: smallint().notNull().default(0),
    availableAt: at().notNull().defaultNow(),
    sentAt: at(),
    lastError: text(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("outbox_pending_idx").on(t.availableAt, t.id).where(sql`status = 'pending'`), index("outbox_topic_idx").on(t.topic, descending(t.createdAt), descending(t.id))],
);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    readAt: at(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("notifications_user_idx").on(t.userId, descending(t.createdAt), descending(t.id))],
);

/** First answer to a mutating call, replayed for a retry with the same Idempotency-Key; keys are per user. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text().notNull(),
    /** Method and route, so one key cannot be replayed against another endpoint. */
    scope: text().notNull(),
    requestHash: text().notNull(),
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: timestamps.createdAt,
    completedAt: at(),
  },
  (t) => [unique("idempotency_keys_user_key").on(t.userId, t.key), index("idempotency_keys_created_idx").on(t.createdAt)],
);
