// A Text module (wrangler's rule for .txt): the data ships beside the code rather than as 10,000 lines of it.
import COMMON_PASSWORDS from "./common-passwords.txt";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-limits.ts";

/**
 * What a new password must be (NIST SP 800-63B, OWASP ASVS): long enough, not one of the passwords
 * attackers try first, not the account's own email or name. No composition rules. Reasoning: docs/security.md.
 */

export type PasswordVerdict =
  | { ok: true }
  | { ok: false; code: "password_too_short" | "password_too_long" | "password_too_common"; message: string };

// ~10,000 entries: built on first use, then kept for the isolate's life.
let common: Set<string> | undefined;

/** Lengths count Unicode code points after NFKC normalisation, the form the password is hashed in. */
export function checkPassword(password: string, context: { email?: string; name?: string } = {}): PasswordVerdict {
  // NFKC shrinks text by at most a few code units per character, so anything this long is too long
  // without normalising it first.
  if (password.length > 4 * MAX_PASSWORD_LENGTH) return tooLong;
  const normalized = password.normalize("NFKC");
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return { ok: false, code: "password_too_short", message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  }
  if (length > MAX_PASSWORD_LENGTH) return tooLong;

  const folded = fold(normalized);
  common ??= new Set(COMMON_PASSWORDS.trimEnd().split("\n"));
  if (common.has(folded)) {
    return { ok: false, code: "password_too_common", message: "This is one of the most common passwords. Choose another." };
  }
  const email = fold(context.email ?? "");
  const personal = [email, email.includes("@") ? email.slice(0, email.lastIndexOf("@")) : "", fold(context.name ?? "")];
  if (personal.some((value) => value !== "" && value === folded)) {
    return { ok: false, code: "password_too_common", message: "Your password cannot be your email address or your name." };
  }
  return { ok: true };
}

const tooLong: PasswordVerdict = { ok: false, code: "password_too_long", message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
const fold = (text: string) => text.normalize("NFKC").toLowerCase().trim();
