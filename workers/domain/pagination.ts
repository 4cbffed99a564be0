import { z } from "zod";
import type { Key } from "../data/keyset.ts";
import { AppError } from "../lib/errors.ts";
import { safeText } from "../lib/text.ts";

/**
 * Keyset pagination: the cursor is the sort key of the last row served, so a page never repeats or skips
 * rows when others are inserted meanwhile, and every page is one index range. Opaque to clients.
 */
const cursorSchema = z.object({
  // ISO text allows year 0000 and JavaScript dates far beyond; a cursor's time must be one Postgres can compare.
  at: z.iso.datetime().transform((at) => new Date(at)).refine((at) => at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999),
  id: z.uuid(),
});

export function encodeCursor(key: Key): string {
  return btoa(JSON.stringify({ at: key.at.toISOString(), id: key.id }))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(text: string | undefined): Key | undefined {
  if (text === undefined) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/"))));
  } catch {
    throw new AppError("invalid_input", "The cursor is not valid; start again from the first page.", {
      details: { issues: [{ path: "cursor", message: "not a cursor this API gave out" }] },
    });
  }
}

/** The query of every paged list: `cursor` from the previous page, `limit` 1–100 (20 by default, as API.md says). */
export const pageQuery = z.object({
  cursor: safeText().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Turns `limit + 1` rows into a page: the extra row only says whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Key): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
