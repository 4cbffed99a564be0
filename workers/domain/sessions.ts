import type { AnyDb, Db } from "../data/db.ts";
import type { Role } from "../data/schema/index.ts";
import {
  findSessionByTokenHash,
  insertSession,
  liveSessionRoles,
  revokeAllSessions,
  revokeFamily,
  rotateSession,
  type SessionMeta,
} from "../data/sessions.ts";
import { bumpSessionVersion, findUserById, voidPasswordResetLinks } from "../data/users.ts";
import { log } from "../lib/log.ts";
import {
  hashOpaqueToken,
  newOpaqueToken,
  REFRESH_REUSE_GRACE_SECONDS,
  REFRESH_TOKEN_SECONDS,
  signAccessToken,
  type AccessClaims,
} from "./tokens.ts";

export interface IssuedSession {
  claims: AccessClaims;
  accessToken: string;
  /** Absent when a refresh raced another one: the browser keeps the refresh token the winner set. */
  refreshToken?: string;
}

const refreshExpiry = () => new Date(Date.now() + REFRESH_TOKEN_SECONDS * 1000);

/** A new sign-in: a new refresh token family for this device. */
export async function startSession(
  db: AnyDb,
  secret: string,
  user: { id: string; roles: Role[]; sessionVersion: number },
  meta: SessionMeta,
): Promise<IssuedSession> {
  const familyId = crypto.randomUUID();
  const { token, hash } = await newOpaqueToken();
  await insertSession(db, { userId: user.id, familyId, userSessionVersion: user.sessionVersion, tokenHash: hash, expiresAt: refreshExpiry(), ...meta });
  const claims = { userId: user.id, sessionId: familyId, roles: user.roles };
  return { claims, accessToken: await signAccessToken(secret, claims), refreshToken: token };
}

/** Re-signs the access token for the current session, e.g. after the user's roles changed. */
export async function reissueAccessToken(secret: string, claims: AccessClaims): Promise<IssuedSession> {
  return { claims, accessToken: await signAccessToken(secret, claims) };
}

/**
 * Renews a session from its refresh token, rotating the token. A token already rotated more than a few
 * seconds ago is being replayed, which means it leaked: the whole family is revoked.
 */
export async function refreshSession(stores: Db, secret: string, refreshToken: string, meta: SessionMeta): Promise<IssuedSession | null> {
  const db = stores.primary;
  const tokenHash = await hashOpaqueToken(refreshToken);
  const next = await newOpaqueToken();
  const rotated = await rotateSession(db, { tokenHash, newTokenHash: next.hash, expiresAt: refreshExpiry(), ...meta });
  if (rotated) {
    const claims = { userId: rotated.userId, sessionId: rotated.familyId, roles: rotated.roles };
    return { claims, accessToken: await signAccessToken(secret, claims), refreshToken: next.token };
  }

  const session = await findSessionByTokenHash(db, tokenHash);
  if (!session || session.revokedAt || !session.rotatedAt) return null; // unknown, revoked, expired or outdated
  const secondsSinceRotation = (Date.now() - session.rotatedAt.getTime()) / 1000;
  if (secondsSinceRotation > REFRESH_REUSE_GRACE_SECONDS) {
    log("warn", "refresh token reuse: revoking the session family", { userId: session.userId, familyId: session.familyId });
    await revokeFamily(db, session.familyId);
    return null;
  }
  const user = await findUserById(db, session.userId);
  if (!user || user.status !== "active" || user.sessionVersion !== session.userSessionVersion) return null;
  return reissueAccessToken(secret, { userId: user.id, sessionId: session.familyId, roles: user.roles });
}

/**
 * The caller of a write, confirmed against the database: the claims with the user's current roles while
 * the sign-in is live, null once it was signed out, outdated or the user suspended (one indexed read).
 */
export async function confirmSession(db: Db, claims: AccessClaims): Promise<AccessClaims | null> {
  const roles = await liveSessionRoles(db.primary, claims.userId, claims.sessionId);
  return roles ? { ...claims, roles } : null;
}

/** Signs this device out: its refresh token family is revoked. */
export async function signOut(db: Db, claims: AccessClaims | null): Promise<void> {
  if (claims) await revokeFamily(db.primary, claims.sessionId);
}

/** Signs the user out on every device, as `endAllSessions` describes. */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
  await db.transaction((tx) => endAllSessions(tx, userId));
}

/**
 * Signs the user out on every device (no refresh token of theirs renews again, no write goes through)
 * and voids their unused password-reset links, applying `changes` to the user in the same statement.
 * Run it inside the transaction of the change that calls for it. Returns the new session version, or
 * undefined when there is no such user.
 */
export async function endAllSessions(tx: AnyDb, userId: string, changes: Parameters<typeof bumpSessionVersion>[2] = {}) {
  const version = await bumpSessionVersion(tx, userId, changes);
  if (version === undefined) return undefined;
  await revokeAllSessions(tx, userId);
  await voidPasswordResetLinks(tx, userId);
  return version;
}
