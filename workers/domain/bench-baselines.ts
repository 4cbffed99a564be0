import type { Db } from "../data/db.ts";
import { findListingById } from "../data/listing-detail.ts";
import { AppError } from "../lib/errors.ts";

/** One listing by id, uncached, over the chosen database path: the baselines `npm run bench` compares against. */
export async function listingOver(db: Db, path: "http" | "pool", id: string) {
  // The Pool opens a fresh WebSocket connection for the request: what a per-request connection costs.
  const listing = path === "http" ? await findListingById(db.primary, id) : await db.transaction((tx) => findListingById(tx, id));
  if (!listing) throw new AppError("not_found", "No such listing.");
  return listing;
}
