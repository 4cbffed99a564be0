import type { Db } from "../data/db.ts";
import type { Role } from "../data/schema/index.ts";
import type { SessionMeta } from "../data/sessions.ts";
import {
  addRole,
  consumeAuthToken,
  findUserByEmail,
  findUserById,
  findUserWithProfile,
  insertAuthToken,
  insertSellerProfile,
  insertUser,
  updateUser,
  verifyEmailWithToken,
  type UserRow,
} from "../data/users.ts";
import { findSellerProfile } from "../data/listing-reads.ts";
import { pauseSellerListings } from "../data/listing-writes.ts";
import { AppError } from "../lib/errors.ts";
import { passwordResetEmail, verificationEmail } from "./email-templates.ts";
import { dispatchOutbox, queueEmail, type OutboxQueue } from "./outbox.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { checkPassword } from "./password-policy.ts";
import { endAllSessions, reissueAccessToken, startSession, type IssuedSession } from "./sessions.ts";
import { hashOpaqueToken, newOpaqueToken, type AccessClaims } from "./tokens.ts";
import { userView } from "./views.ts";

const VERIFY_EMAIL_SECONDS = 48 * 60 * 60;
const PASSWORD_RESET_SECONDS = 60 * 60;

/** What account actions need from the outside world besides the database. */
export interface AccountContext {
  db: Db;
  secret: string;
  /** Origin for links in emails. */
  origin: string;
  outbox: OutboxQueue;
  meta: SessionMeta;
}

function assertStrongPassword(password: string, email: string, name?: string) {
  const verdict = checkPassword(password, { email, name });
  if (!verdict.ok) throw new AppError("weak_password", verdict.message, { details: { reason: verdict.code } });
}

async function sendEmailTokenLink(
  ctx: AccountContext,
  user: Pick<UserRow, "id" | "email" | "name">,
  purpose: "verify_email" | "password_reset",
): Promise<void> {
  const { token, hash } = await newOpaqueToken();
  const seconds = purpose === "verify_email" ? VERIFY_EMAIL_SECONDS : PASSWORD_RESET_SECONDS;
  const link = `${ctx.origin}/${purpose === "verify_email" ? "verify-email" : "reset-password"}?token=${token}`;
  const template = purpose === "verify_email" ? verificationEmail : passwordResetEmail;
  const outboxId = await ctx.db.transaction(async (tx) => {
    await insertAuthToken(tx, { userId: user.id, purpose, tokenHash: hash, expiresAt: new Date(Date.now() + seconds * 1000) });
    return queueEmail(tx, { to: user.email, ...template({ name: user.name, link }) });
  });
  await dispatchOutbox(ctx.outbox, [outboxId]);
}

/** The signed-in user's own account, as `/api/me` and the settings pages show it. */
export async function ownAccount(db: Db, userId: string) {
  const row = await findUserWithProfile(db.primary, userId);
  if (!row) throw new AppError("unauthenticated", "Sign in to continue.");
  return userView(row.user, row.profile);
}

/** Applies the user's own account changes (their name) and returns the account as it now is. */
export async function updateOwnAccount(db: Db, userId: string, changes: { name?: string | undefined }) {
  await updateUser(db.primary, userId, changes);
  return ownAccount(db, userId);
}

export interface SignedIn {
  user: UserRow;
  session: IssuedSession;
}

export async function signUp(ctx: AccountContext, input: { email: string; password: string; name: string }): Promise<SignedIn> {
  assertStrongPassword(input.password, input.email, input.name);
  const user = await insertUser(ctx.db.primary, { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
  if (!user) throw new AppError("email_taken", "An account with this email already exists. Sign in instead.");
  await sendEmailTokenLink(ctx, user, "verify_email");
  return { user, session: await startSession(ctx.db.primary, ctx.secret, user, ctx.meta) };
}

// Verified against when the email is unknown, so both failures cost the same time. The hash is kept,
// not the promise of it: a promise shared with later requests would strand them if its request ended.
let decoyHash: string | undefined;

async function decoy(): Promise<string> {
  decoyHash ??= await hashPassword(crypto.randomUUID());
  return decoyHash;
}

export async function signIn(ctx: AccountContext, input: { email: string; password: string }): Promise<SignedIn> {
  const user = await findUserByEmail(ctx.db.primary, input.email);
  const check = await verifyPassword(input.password, user?.passwordHash ?? (await decoy()));
  if (!user || !check.ok) throw new AppError("invalid_credentials", "That email and password do not match an account.");
  if (user.status !== "active") throw new AppError("account_suspended", "This account is suspended. Contact support.");
  if (check.needsRehash) await updateUser(ctx.db.primary, user.id, { passwordHash: await hashPassword(input.password) });
  return { user, session: await startSession(ctx.db.primary, ctx.secret, user, ctx.meta) };
}

export async function resendVerification(ctx: AccountContext, userId: string): Promise<void> {
  const row = await findUserWithProfile(ctx.db.primary, userId);
  if (!row || row.user.emailVerifiedAt) return;
  await sendEmailTokenLink(ctx, row.user, "verify_email");
}

export async function verifyEmail(db: Db, token: string): Promise<void> {
  const verified = await verifyEmailWithToken(db.primary, await hashOpaqueToken(token));
  if (!verified) throw new AppError("invalid_token", "This link is invalid, used or expired. Ask for a new one.");
}

/** Same answer and the same work whether or not the email has an account: callers run it after responding. */
export async function requestPasswordReset(ctx: AccountContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.db.primary, email);
  if (user?.status === "active") await sendEmailTokenLink(ctx, user, "password_reset");
}

export async function resetPassword(db: Db, input: { token: string; password: string }): Promise<void> {
  const verdict = checkPassword(input.password);
  if (!verdict.ok) throw new AppError("weak_password", verdict.message, { details: { reason: verdict.code } });
  const tokenHash = await hashOpaqueToken(input.token);
  await db.transaction(async (tx) => {
    const userId = await consumeAuthToken(tx, "password_reset", tokenHash);
    const user = userId ? await findUserById(tx, userId) : undefined;
    if (!user) throw new AppError("invalid_token", "This reset link is invalid, used or expired. Ask for a new one.");
    assertStrongPassword(input.password, user.email, user.name);
    // Hashed only behind a live link, so guessed tokens cost no hashing.
    const passwordHash = await hashPassword(input.password);
    // The link proved the address; every existing sign-in and every other reset link ends.
    await endAllSessions(tx, user.id, { passwordHash });
    if (!user.emailVerifiedAt) await updateUser(tx, user.id, { emailVerifiedAt: new Date() });
  });
}

/** Changes the password, signs out every other device, and returns a fresh session for this one. */
export async function changePassword(
  ctx: AccountContext,
  claims: AccessClaims,
  input: { currentPassword: string; newPassword: string },
): Promise<IssuedSession> {
  const user = await findUserById(ctx.db.primary, claims.userId);
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)).ok) {
    throw new AppError("wrong_password", "Your current password is not correct.");
  }
  assertStrongPassword(input.newPassword, user.email, user.name);
  const passwordHash = await hashPassword(input.newPassword);
  const sessionVersion = await ctx.db.transaction((tx) => endAllSessions(tx, user.id, { passwordHash }));
  if (sessionVersion === undefined) throw new AppError("unauthenticated", "Sign in to continue.");
  return startSession(ctx.db.primary, ctx.secret, { ...user, sessionVersion }, ctx.meta);
}

export interface SellerOnboarding {
  username: string;
  displayName: string;
  bio: string;
  skills: string[];
  languages: string[];
  country: string;
}

/** Makes a verified buyer a seller with a public profile; the current session gets the new role at once. */
export async function onboardSeller(ctx: AccountContext, claims: AccessClaims, input: SellerOnboarding) {
  const row = await findUserWithProfile(ctx.db.primary, claims.userId);
  if (!row) throw new AppError("unauthenticated", "Sign in to continue.");
  if (row.profile) throw new AppError("already_seller", "You already have a seller profile.");
  if (!row.user.emailVerifiedAt) throw new AppError("email_not_verified", "Verify your email address before you start selling.");
  const profile = await ctx.db.transaction(async (tx) => {
    const inserted = await insertSellerProfile(tx, { userId: claims.userId, ...input });
    if (!inserted) throw new AppError("username_taken", `The username "${input.username}" is taken. Try another.`);
    await addRole(tx, claims.userId, "seller");
    return inserted;
  });
  const roles: Role[] = [...new Set<Role>([...claims.roles, "seller"])];
  return { profile, session: await reissueAccessToken(ctx.secret, { ...claims, roles }) };
}

/**
 * The suspension rule: an admin suspends members, never themselves (which would lock the platform's
 * moderation out by a slip) nor another admin (one compromised admin must not be able to silence the
 * others). An admin is suspended only by an operator, with the database, as admins are made.
 */
function assertSuspendable(actor: AccessClaims, target: { id: string; roles: Role[] } | undefined) {
  if (target?.id === actor.userId) throw new AppError("forbidden", "You cannot suspend your own account.");
  if (target?.roles.includes("admin")) throw new AppError("forbidden", "Admins cannot be suspended through the API.");
}

/**
 * Suspension signs the user out everywhere (writes and private reads stop at once, other reads within
 * the access token's life), blocks sign-in, and pauses their live listings; lifting it leaves those
 * paused for the seller to publish again. Returns what the catalog caches must forget, or undefined
 * when there is no such user.
 */
export async function setSuspended(db: Db, actor: AccessClaims, userId: string, suspended: boolean) {
  return db.transaction(async (tx) => {
    if (suspended) assertSuspendable(actor, await findUserById(tx, userId));
    const version = await endAllSessions(tx, userId, { status: suspended ? "suspended" : "active", suspendedAt: suspended ? new Date() : null });
    if (version === undefined) return undefined;
    const slugs = suspended ? await pauseSellerListings(tx, userId) : [];
    return { slugs, sellerUsername: (await findSellerProfile(tx, userId))?.username ?? null };
  });
}
