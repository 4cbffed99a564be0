import type { Db } from "../data/db.ts";
import { adoptAvatarRow, deleteImageRows, insertImage, olderAvatarImages, sellerPages, type ImageRow } from "../data/images.ts";
import { findUserWithProfile } from "../data/users.ts";
import { AppError } from "../lib/errors.ts";
import { acceptUpload, imageKeys, type ChangedListing, type Upload } from "./image-uploads.ts";
import type { ImageQueue, MediaStore } from "./media.ts";
import type { AccessClaims } from "./tokens.ts";

/**
 * A seller's avatar: the same upload and pipeline as a listing photo, recorded with no listing (which
 * is what makes the pipeline crop it square at avatar widths). It replaces the current avatar once ready.
 */
export async function uploadAvatar(db: Db, media: { store: MediaStore; queue: ImageQueue }, actor: AccessClaims, upload: Upload) {
  if (!(await findUserWithProfile(db.primary, actor.userId))?.profile) throw new AppError("forbidden", "You do not have a seller profile yet.");
  return acceptUpload(db, media, upload, (values) => insertImage(db.primary, { ...values, ownerId: actor.userId, listingId: null }));
}

async function removeImages(db: Db, store: MediaStore, rows: ImageRow[]) {
  await deleteImageRows(db.primary, rows.map((row) => row.id));
  await store.delete(rows.flatMap(imageKeys));
}

/**
 * A ready avatar (`row`) becomes its seller's, unless a newer upload already did (then this one is
 * removed); earlier avatars are removed with their objects. Returns the pages that show the seller.
 */
export async function adoptAvatar(db: Db, store: MediaStore, row: ImageRow): Promise<ChangedListing> {
  const username = await adoptAvatarRow(db.primary, row);
  if (username === undefined) {
    await removeImages(db, store, [row]);
    return { slugs: [], sellerUsername: null };
  }
  await removeImages(db, store, await olderAvatarImages(db.primary, row.ownerId, row.id));
  return { slugs: (await sellerPages(db.primary, row.ownerId))?.slugs ?? [], sellerUsername: username };
}
