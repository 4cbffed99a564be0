import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { queryRows, type AnyDb } from "./db.ts";
import { authTokens, sellerProfiles, users, type Role } from "./schema/index.ts";

export type UserRow = typeof users.$inferSelect;
export type SellerProfileRow = typeof sellerProfiles.$inferSelect;

export async function findUserByEmail(db: AnyDb, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  return user;
}

export async function findUserById(db: AnyDb, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** The user and, for sellers, their public profile, in one query. */
export async function findUserWithProfile(db: AnyDb, id: string) {
  const [row] = await db
    .select({ user: users, profile: sellerProfiles })
    .from(users)
    .leftJoin(sellerProfiles, eq(sellerProfiles.userId, users.id))
    .where(eq(users.id, id));
  return row;
}

/** Inserts a user; undefined when the email is already taken (citext: case-insensitive). */
export async function insertUser(db: AnyDb, values: { email: string; name: string; passwordHash: string }): Promise<UserRow | undefined> {
  const [user] = await db.insert(users).values(values).onConflictDoNothing({ target: users.email }).returning();
  return user;
}

export async function updateUser(db: AnyDb, id: string, values: Partial<Pick<UserRow, "name" | "passwordHash" | "emailVerifiedAt">>) {
  await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, id));
}

/** Outdates every sign-in of the user at once (their refresh tokens carry the old version). */
export async function bumpSessionVersion(db: AnyDb, id: string, changes: Partial<Pick<UserRow, "passwordHash" | "status" | "suspendedAt">> = {}) {
  const [user] = await db
    .update(users)
    .set({ ...changes, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning({ sessionVersion: users.sessionVersion });
  return user?.sessionVersion;
}

export async function addRole(db: AnyDb, id: string, role: Role) {
  await db
    .update(users)
    .set({ roles: sql`array_append(array_remove(${users.roles}, ${role}), ${role})`, updatedAt: new Date() })
    .where(eq(users.id, id));
}

export async function insertAuthToken(
  db: AnyDb,
  values: { userId: string; purpose: "verify_email" | "password_reset"; tokenHash: string; expiresAt: Date },
) {
  await db.insert(authTokens).values(values);
}

/** Marks a one-time token used and returns its user; undefined if unknown, used, expired or of another kind. */
export async function consumeAuthToken(db: AnyDb, purpose: "verify_email" | "password_reset", tokenHash: string) {
  const [token] = await db
    .update(authTokens)
    .set({ usedAt: new Date() })
    .where(
      and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt), gt(authTokens.expiresAt, new Date())),
    )
    .returning({ userId: authTokens.userId });
  return token?.userId;
}

/** Voids every unused password-reset link of the user (a link mailed before a password change or suspension). */
export async function voidPasswordResetLinks(db: AnyDb, userId: string) {
  await db
    .update(authTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, "password_reset"), isNull(authTokens.usedAt)));
}

/** Uses a verification token and marks the address verified, in one statement; false if the token is not live. */
export async function verifyEmailWithToken(db: AnyDb, tokenHash: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with used as (
          update auth_tokens set used_at = now()
           where token_hash = ${tokenHash} and purpose = 'verify_email' and used_at is null and expires_at > now()
          returning user_id)
        update users set email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
          from used where users.id = used.user_id
        returning users.id`,
  );
  return rows.length > 0;
}

export async function insertSellerProfile(db: AnyDb, values: typeof sellerProfiles.$inferInsert): Promise<SellerProfileRow | undefined> {
  const [profile] = await db.insert(sellerProfiles).values(values).onConflictDoNothing().returning();
  return profile;
}
