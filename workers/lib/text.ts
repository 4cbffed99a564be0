import { z } from "zod";

// A code unit of a surrogate pair without its partner: no UTF-8 encodes it, so it cannot be stored or sent.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text Postgres can store and every client can read: no NUL character (a text column refuses it) and no lone surrogate. */
export function isSafeText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/**
 * The string schema of every text input (JSON bodies, forms, path and query parameters): hostile text
 * is refused as invalid input (400) instead of failing in the database (500). Chain it like `z.string()`.
 */
export const safeText = () => z.string().refine(isSafeText, "Text may not contain NUL characters or unpaired surrogates.");
