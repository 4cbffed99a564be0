import type { AnyDb, Db } from "../data/db.ts";
import { findListingById, type ListingDetail } from "../data/listing-detail.ts";
import { findCategoryBySlug, findListingRow, findSellerProfile, listOwnListings, type ListingRow } from "../data/listing-reads.ts";
import { insertListing, replaceExtras, replacePackages, setListingStatus, updateListingRow } from "../data/listing-writes.ts";
import { AppError } from "../lib/errors.ts";
import { authorize } from "./access.ts";
import { DEFAULT_CURRENCY, type ListingCreateInput, type ListingPatchInput } from "./listing-inputs.ts";
import { ownListingCardView, type OwnListingsPage } from "./listing-views.ts";
import { makeSlug, packageSummary, publishProblems, type PublishCandidate } from "./listings.ts";
import { decodeCursor, toPage } from "./pagination.ts";
import type { AccessClaims } from "./tokens.ts";

const resource = (row: ListingRow) => ({ kind: "listing" as const, ownerId: row.sellerId, status: row.status });

export type { ListingDetail };

/** The category a listing names by slug; whether it is a leaf is a publishing rule (publishProblems). */
async function existingCategory(db: AnyDb, slug: string) {
  const category = await findCategoryBySlug(db, slug);
  if (!category) {
    throw new AppError("unknown_category", `There is no category "${slug}"; GET /api/categories lists them.`, {
      details: { issues: [{ path: "category", message: "unknown category" }] },
    });
  }
  return category;
}

type Priced = Pick<ListingPatchInput, "packages" | "extras">;

/**
 * The one currency of a listing: every price a write sends must be in it. A new listing takes the
 * currency of its prices (DEFAULT_CURRENCY when it has none); an edit must use the listing's.
 */
function listingCurrency(input: Priced, current?: string): string {
  const priced = [...(input.packages ?? []).map((p, i) => ({ path: `packages.${i}`, ...p })), ...(input.extras ?? []).map((e, i) => ({ path: `extras.${i}`, ...e }))];
  const currency = current ?? priced[0]?.price.currency ?? DEFAULT_CURRENCY;
  const odd = priced.find((item) => item.price.currency !== currency);
  if (odd) {
    const message = current ? `This listing is priced in ${currency}: send every price in ${currency}.` : "Price every package and extra in the same currency.";
    throw new AppError("currency_mismatch", message, { details: { issues: [{ path: `${odd.path}.price.currency`, message }] } });
  }
  return currency;
}

/** Prices as the database keeps them: minor units, the currency being the listing's. */
const inMinorUnits = <T extends { price: { amount: number } }>(items: T[]) => items.map((item) => ({ ...item, price: item.price.amount }));

/** The listing's row when the actor may take this action on it (its owner changes, an admin moderates); 404/403 otherwise. */
export async function listingRowFor(db: Db, actor: AccessClaims, id: string, action: "change" | "moderate") {
  const row = await findListingRow(db.primary, id);
  if (!row || row.status === "deleted") throw new AppError("not_found", "No such listing.");
  authorize(actor, action, resource(row), "listing");
  return row;
}

async function detail(db: AnyDb, id: string): Promise<ListingDetail> {
  const found = await findListingById(db, id);
  if (!found) throw new AppError("not_found", "No such listing.");
  return found;
}

/** The caller's own listing in any status but deleted, from the primary so their changes show at once; 404 to anyone else. */
export async function ownListing(db: Db, actor: AccessClaims, id: string): Promise<ListingDetail> {
  const listing = await detail(db.primary, id);
  authorize(actor, "change", { kind: "listing", ownerId: listing.sellerId, status: listing.status }, "listing");
  return listing;
}

/** A page of the seller's own listings of every status, most recently changed first, from the primary. */
export async function ownListingsPage(db: Db, actor: AccessClaims, page: { cursor?: string | undefined; limit: number }): Promise<OwnListingsPage> {
  const rows = await listOwnListings(db.primary, actor.userId, { after: decodeCursor(page.cursor), limit: page.limit });
  const { items, nextCursor } = toPage(rows, page.limit, (row) => ({ at: row.updatedAt, id: row.id }));
  return { items: items.map(ownListingCardView), nextCursor };
}

/** A new draft by a seller; its slug is made once from the title and never changes. */
export async function createListing(db: Db, actor: AccessClaims, input: ListingCreateInput): Promise<ListingDetail> {
  const category = await existingCategory(db.primary, input.category);
  const currency = listingCurrency(input);
  const packages = inMinorUnits(input.packages);
  return db.transaction(async (tx) => {
    // Locked so a rename cannot commit between this read and the insert, leaving the old name here.
    const profile = await findSellerProfile(tx, actor.userId, "share");
    if (!profile) throw new AppError("forbidden", "Set up your seller profile before creating listings.");
    let row: ListingRow | undefined;
    for (let attempt = 0; !row && attempt < 3; attempt++) {
      row = await insertListing(tx, {
        sellerId: actor.userId,
        categoryId: category.id,
        rootCategoryId: category.rootId,
        slug: makeSlug(input.title),
        title: input.title,
        description: input.description,
        tags: input.tags,
        faq: input.faq,
        sellerName: profile.displayName,
        currency,
        ...packageSummary(packages),
      });
    }
    if (!row) throw new AppError("conflict", "Could not find a free address for this listing; try again.");
    await replacePackages(tx, row.id, packages);
    await replaceExtras(tx, row.id, inMinorUnits(input.extras));
    return detail(tx, row.id);
  });
}

/** Applies an owner's edit. A live listing must stay publishable; orders already placed keep their snapshot. */
export async function updateListing(db: Db, actor: AccessClaims, id: string, patch: ListingPatchInput): Promise<ListingDetail> {
  const row = await listingRowFor(db, actor, id, "change");
  listingCurrency(patch, row.currency);
  const category = patch.category === undefined ? undefined : await existingCategory(db.primary, patch.category);
  const packages = patch.packages && inMinorUnits(patch.packages);
  if (row.status === "active") {
    const current = await detail(db.primary, id);
    assertPublishable({
      title: patch.title ?? current.title,
      description: patch.description ?? current.description,
      tags: patch.tags ?? current.tags,
      packages: packages ?? current.packages,
      category: { isLeaf: category?.isLeaf ?? current.category.isLeaf },
    });
  }
  return db.transaction(async (tx) => {
    const updated = await updateListingRow(
      tx,
      id,
      {
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: patch.tags }),
      ...(patch.faq === undefined ? {} : { faq: patch.faq }),
      ...(category ? { categoryId: category.id, rootCategoryId: category.rootId } : {}),
      ...(packages ? packageSummary(packages) : {}),
      },
      row.version,
    );
    assertWon(updated);
    if (packages) await replacePackages(tx, id, packages);
    if (patch.extras) await replaceExtras(tx, id, inMinorUnits(patch.extras));
    return detail(tx, id);
  });
}

function assertPublishable(listing: Omit<PublishCandidate, "categoryIsLeaf"> & { category: { isLeaf: boolean } }) {
  const problems = publishProblems({ ...listing, categoryIsLeaf: listing.category.isLeaf });
  if (problems.length > 0) {
    throw new AppError("rule_violation", `This listing cannot be live yet: ${problems[0]!.message}`, { details: { problems } });
  }
}

/** A conditional write found the listing changed since it was read (another edit, a publish, a suspension). */
function assertWon(row: ListingRow | undefined): asserts row is ListingRow {
  if (!row) throw new AppError("conflict", "This listing changed while you were saving. Reload it and try again.");
}

export async function publishListing(db: Db, actor: AccessClaims, id: string): Promise<ListingDetail> {
  const row = await listingRowFor(db, actor, id, "change");
  if (row.status === "suspended") throw new AppError("invalid_state", "An admin suspended this listing; it cannot be published.");
  if (row.status !== "active") {
    // Validated at row.version; the write lands only if the listing is still that version.
    assertPublishable(await detail(db.primary, id));
    assertWon(await setListingStatus(db.primary, id, "active", row.version));
  }
  return detail(db.primary, id);
}

export async function pauseListing(db: Db, actor: AccessClaims, id: string): Promise<ListingDetail> {
  const row = await listingRowFor(db, actor, id, "change");
  if (row.status !== "active" && row.status !== "paused") throw new AppError("invalid_state", `A ${row.status} listing cannot be paused.`);
  if (row.status === "active") assertWon(await setListingStatus(db.primary, id, "paused", row.version));
  return detail(db.primary, id);
}

/** Deletion hides the listing for good (returned as it was); orders placed on it keep their own snapshot. */
export async function deleteListing(db: Db, actor: AccessClaims, id: string): Promise<ListingDetail> {
  const row = await listingRowFor(db, actor, id, "change");
  const listing = await detail(db.primary, id);
  assertWon(await setListingStatus(db.primary, id, "deleted", row.version));
  return listing;
}

/** Admin moderation: a suspended listing leaves every public list; lifting it leaves it paused for its owner. */
export async function setListingSuspended(db: Db, actor: AccessClaims, id: string, suspended: boolean): Promise<ListingDetail> {
  const row = await listingRowFor(db, actor, id, "moderate");
  // Suspension wins over whatever the owner is doing at the time, so it checks no version; only a
  // delete that committed meanwhile stops it.
  if (suspended !== (row.status === "suspended") && !(await setListingStatus(db.primary, id, suspended ? "suspended" : "paused"))) {
    throw new AppError("not_found", "No such listing.");
  }
  return detail(db.primary, id);
}
