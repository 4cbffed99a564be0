import { sql } from "drizzle-orm";
import { check, char, index, integer, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { at, citext, id, timestamps } from "./columns.ts";
import { images } from "./catalog.ts";

export const ROLES = ["buyer", "seller", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: id(),
    email: citext().notNull().unique(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    roles: text().array().$type<Role[]>().notNull().default(sql`'{buyer}'::text[]`),
    status: text({ enum: ["active", "suspended"] }).notNull().default("active"),
    emailVerifiedAt: at(),
    suspendedAt: at(),
    /** Bumped by sign-out-everywhere, password change and suspension; short-lived tokens carry it. */
    sessionVersion: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    check("users_roles_valid", sql`${t.roles} <@ '{buyer,seller,admin}'::text[]`),
    check("users_name_length", sql`char_length(${t.name}) between 1 and 100`),
  ],
);

/** Rotating refresh tokens, stored hashed; a family is one sign-in, reuse of a rotated token revokes it. */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    familyId: uuid().notNull(),
    tokenHash: text().notNull(),
    /** The user's session_version when this sign-in began; a later sign-out-everywhere outdates it. */
    userSessionVersion: integer().notNull(),
    expiresAt: at().notNull(),
    lastUsedAt: at(),
    rotatedAt: at(),
    revokedAt: at(),
    userAgent: text(),
    ip: text(),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("sessions_token_hash_idx").on(t.tokenHash),
    index("sessions_user_idx").on(t.userId),
    index("sessions_family_idx").on(t.familyId),
  ],
);

/** One-time links sent by email: address verification and password reset. */
export const authTokens = pgTable(
  "auth_tokens",
  {
    id: id(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    purpose: text({ enum: ["verify_email", "password_reset"] }).notNull(),
    tokenHash: text().notNull(),
    expiresAt: at().notNull(),
    usedAt: at(),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("auth_tokens_hash_idx").on(t.tokenHash), index("auth_tokens_user_idx").on(t.userId, t.purpose)],
);

export const sellerProfiles = pgTable(
  "seller_profiles",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    username: citext().notNull(),
    displayName: text().notNull(),
    bio: text().notNull().default(""),
    skills: text().array().notNull().default(sql`'{}'::text[]`),
    languages: text().array().notNull().default(sql`'{}'::text[]`),
    country: char({ length: 2 }),
    avatarImageId: uuid().references((): AnyPgColumn => images.id, { onDelete: "set null" }),
    // Aggregates kept in the same transaction as the review / order that changes them.
    ratingSum: integer().notNull().default(0),
    ratingCount: integer().notNull().default(0),
    completedOrders: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("seller_profiles_username_idx").on(t.username),
    index("seller_profiles_avatar_image_idx").on(t.avatarImageId),
    // On citext `~` ignores case; the format is lower case only.
    check("seller_profiles_username_format", sql`${t.username}::text ~ '^[a-z0-9][a-z0-9_-]{2,29}$'`),
  ],
);

