import { z } from "zod";
import { USERNAME_PATTERN } from "../domain/account-inputs.ts";
import { SLUG_PATTERN } from "../domain/listing-inputs.ts";
import { pageQuery } from "../domain/pagination.ts";
import { safeText } from "../lib/text.ts";
import { validate } from "../lib/validate.ts";

/**
 * The path parameters every resource uses, validated once here for the JSON API and the pages alike.
 * Slugs and usernames must have the syntax the site gives them, so no parameter can carry text that
 * names something else (a cache key's structure, a NUL the database refuses).
 */
export const idParam = validate("param", z.object({ id: z.uuid() }));
/** A listing's photo, on the dashboard's per-photo actions. */
export const listingPhotoParam = validate("param", z.object({ id: z.uuid(), imageId: z.uuid() }));
export const slugParam = validate("param", z.object({ slug: safeText().toLowerCase().max(120).regex(SLUG_PATTERN, "not a slug") }));
export const usernameParam = validate("param", z.object({ username: safeText().toLowerCase().regex(USERNAME_PATTERN, "not a username") }));
/** Pages of a list served as HTML take only the cursor (their page size is fixed). */
export const cursorQuery = validate("query", pageQuery.pick({ cursor: true }));
