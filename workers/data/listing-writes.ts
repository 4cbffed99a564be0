import { and, eq, ne, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { AnyDb } from "./db.ts";
import type { ListingRow } from "./listing-reads.ts";
import { listingExtras, listingPackages, listings, sellerProfiles, users, type ListingStatus } from "./schema/index.ts";

type PackageValues = Omit<typeof listingPackages.$inferInsert, "listingId">;
type ExtraValues = Omit<typeof listingExtras.$inferInsert, "listingId" | "id" | "position">;

/** Inserts a listing; undefined when the slug is taken (the caller retries with another). */
export async function insertListing(db: AnyDb, values: typeof listings.$inferInsert): Promise<ListingRow | undefined> {
  const [row] = await db.insert(listings).values(values).onConflictDoNothing({ target: listings.slug }).returning();
  return row;
}

/**
 * Changes a listing and bumps its version; returns the new row. With `expectedVersion`, only if nobody
 * changed the listing since the caller read it at that version (undefined otherwise: a lost race).
 */
export async function updateListingRow(
  db: AnyDb,
  id: string,
  values: PgUpdateSetSource<typeof listings>,
  expectedVersion?: number,
  condition?: SQL,
): Promise<ListingRow | undefined> {
  const [row] = await db
    .update(listings)
    .set({ ...values, version: sql`${listings.version} + 1`, updatedAt: new Date() })
    .where(and(eq(listings.id, id), expectedVersion === undefined ? undefined : eq(listings.version, expectedVersion), condition))
    .returning();
  return row;
}

// Only a seller whose account is active can put a listing on the market, checked in the same statement.
// FOR SHARE makes a publish wait for a suspension in flight and then see it, rather than slip past it
// (the suspension pauses only what is live when it runs).
const sellerIsActive = sql`exists (select 1 from ${users} u where u.id = ${listings.sellerId} and u.status = 'active' for share)`;
const notDeleted = ne(listings.status, "deleted");

/** Deleted is final: no status change applies to a deleted listing (undefined, as for a lost race). */
export async function setListingStatus(db: AnyDb, id: string, status: ListingStatus, expectedVersion?: number) {
  if (status !== "active") return updateListingRow(db, id, { status }, expectedVersion, notDeleted);
  // The first publication date stays: republishing a paused listing does not bump it to the top.
  const publish = { status, publishedAt: sql`coalesce(${listings.publishedAt}, now())` };
  return updateListingRow(db, id, publish, expectedVersion, and(notDeleted, sellerIsActive));
}

/** Replaces all packages of a listing (at most three, so rewriting is simpler than diffing). */
export async function replacePackages(db: AnyDb, listingId: string, packages: PackageValues[]) {
  await db.delete(listingPackages).where(eq(listingPackages.listingId, listingId));
  if (packages.length > 0) await db.insert(listingPackages).values(packages.map((p) => ({ ...p, listingId })));
}

export async function replaceExtras(db: AnyDb, listingId: string, extras: ExtraValues[]) {
  await db.delete(listingExtras).where(eq(listingExtras.listingId, listingId));
  if (extras.length > 0) await db.insert(listingExtras).values(extras.map((e, position) => ({ ...e, listingId, position })));
}

/** The seller's display name as listings repeat it; kept in step in the transaction that renames. */
export async function renameSellerOnListings(db: AnyDb, sellerId: string, displayName: string) {
  await db
    .update(listings)
    .set({ sellerName: displayName, version: sql`${listings.version} + 1`, updatedAt: new Date() })
    .where(and(eq(listings.sellerId, sellerId), sql`${listings.sellerName} <> ${displayName}`));
}

export async function updateSellerProfileRow(db: AnyDb, userId: string, values: Partial<typeof sellerProfiles.$inferInsert>) {
  const [row] = await db
    .update(sellerProfiles)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(sellerProfiles.userId, userId))
    .returning();
  return row;
}

/** Takes every live listing of a seller off the market (a suspended seller sells nothing); returns their slugs. */
export async function pauseSellerListings(db: AnyDb, sellerId: string): Promise<string[]> {
  const rows = await db
    .update(listings)
    .set({ status: "paused", version: sql`${listings.version} + 1`, updatedAt: new Date() })
    .where(and(eq(listings.sellerId, sellerId), eq(listings.status, "active")))
    .returning({ slug: listings.slug });
  return rows.map((row) => row.slug);
}
