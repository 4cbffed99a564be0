import { sql } from "drizzle-orm";
import { customType, timestamp, uuid, type ExtraConfigColumn } from "drizzle-orm/pg-core";

/** Case-insensitive text (citext extension): emails, usernames, slugs. */
export const citext = customType<{ data: string }>({ dataType: () => "citext" });

/** Full-text search document; written only by Postgres (generated column). */
export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const id = () => uuid().primaryKey().default(sql`gen_random_uuid()`);

/**
 * Every timestamp is timestamptz at millisecond precision, exchanged as a Date: a Date carries
 * milliseconds, so a value read back (a keyset cursor, say) compares equal to the stored one. With
 * Postgres's default microseconds, `now()` rows would fall between two cursor values and be skipped.
 */
export const at = () => timestamp({ withTimezone: true, mode: "date", precision: 3 });

export const timestamps = {
  createdAt: at().notNull().defaultNow(),
  updatedAt: at().notNull().defaultNow(),
};

/**
 * An index key for `ORDER BY column DESC` (drizzle's `desc(column)`), which Postgres reads as NULLS FIRST.
 * drizzle's bare `.desc()` builds DESC NULLS LAST, an order such a query cannot scan the index in.
 */
export const descending = (column: ExtraConfigColumn) => column.desc().nullsFirst();
