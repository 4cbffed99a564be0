import { z } from "zod";
import { safeText } from "../lib/text.ts";

/**
 * Inputs of the account actions, shared by the JSON API and the HTML forms so both accept exactly
 * the same thing. Password strength is not here: the policy (password-policy.ts) answers with its
 * own error code. Text fields are `safeText` (no NUL, no lone surrogate); passwords take any character,
 * since they are only ever hashed, never stored or shown.
 */
export const emailField = safeText()
  .trim()
  .toLowerCase()
  .max(254, "Email addresses are at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));
const password = z.string().min(1, "Enter a password.").max(1024, "Passwords are at most 1024 characters.");
const token = safeText().min(20, "This link is incomplete.").max(200, "This link is not valid.");
const name = safeText().trim().min(1, "Enter your name.").max(100, "Names are at most 100 characters.");

export const signUpInput = z.object({ email: emailField, password, name });
export const signInInput = z.object({ email: emailField, password });
export const emailOnlyInput = z.object({ email: emailField });
export const tokenInput = z.object({ token });
export const resetPasswordInput = z.object({ token, password });
export const changePasswordInput = z.object({ currentPassword: password, newPassword: password });
export const updateAccountInput = z.object({ name });

const tag = safeText().trim().min(1).max(40);
/** A seller's username, lower case: also the only shape a `/sellers/:username` path may take. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_-]{2,29}$/;

export const sellerOnboardInput = z.object({
  username: safeText()
    .trim()
    .toLowerCase()
    .regex(USERNAME_PATTERN, "Usernames are 3–30 characters: letters, digits, - and _, starting with a letter or digit."),
  displayName: safeText().trim().min(2, "Enter a display name.").max(60, "Display names are at most 60 characters."),
  bio: safeText().trim().max(2000, "The bio is at most 2000 characters.").default(""),
  skills: z.array(tag).max(15, "List at most 15 skills.").default([]),
  languages: z.array(tag).max(10, "List at most 10 languages.").default([]),
  country: safeText()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use the two-letter country code, such as US or DE."),
});
