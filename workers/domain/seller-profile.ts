import type { Db } from "../data/db.ts";
import { listSellerSlugs } from "../data/listing-reads.ts";
import { renameSellerOnListings, updateSellerProfileRow } from "../data/listing-writes.ts";
import { AppError } from "../lib/errors.ts";
import type { SellerOnboarding } from "./accounts.ts";

/**
 * A seller edits their public profile. The display name is repeated on every listing (list pages read
 * it without a join), so a rename rewrites those in the same transaction. Returns the profile and the
 * slugs whose cached copies now need dropping.
 */
export async function updateSellerProfile(db: Db, userId: string, changes: Partial<Omit<SellerOnboarding, "username">>) {
  return db.transaction(async (tx) => {
    const profile = await updateSellerProfileRow(tx, userId, changes);
    if (!profile) throw new AppError("forbidden", "You do not have a seller profile yet.");
    if (changes.displayName !== undefined) await renameSellerOnListings(tx, userId, profile.displayName);
    return { profile, slugs: changes.displayName === undefined ? [] : await listSellerSlugs(tx, userId) };
  });
}
