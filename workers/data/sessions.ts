import { and, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type AnyDb } from "./db.ts";
import { sessions, type Role } from "./schema/index.ts";

export interface SessionMeta {
  userAgent: string | null;
  ip: string | null;
}

export async function insertSession(
  db: AnyDb,
  values: { userId: string; familyId: string; userSessionVersion: number; tokenHash: string; expiresAt: Date } & SessionMeta,
) {
  await db.insert(sessions).values({ ...values, lastUsedAt: new Date() });
}

export interface RotatedSession {
  userId: string;
  familyId: string;
  roles: Role[];
}

/**
 * Swaps a live refresh token for a new one in the same family, in one statement (one round trip):
 * only if the old token is unrotated, unrevoked, unexpired, of the user's current session version,
 * the user is active, and nothing in the family was revoked. Two racing refreshes cannot both win: the
 * UPDATE takes the row once. A sign-out racing a refresh revokes the old row but cannot see the row the
 * refresh inserts; the family check makes that new token die at its first use.
 */
export async function rotateSession(
  db: AnyDb,
  input: { tokenHash: string; newTokenHash: string; expiresAt: Date } & SessionMeta,
): Promise<RotatedSession | undefined> {
  const [row] = await queryRows<{ user_id: string; family_id: string; roles: Role[] }>(
    db,
    sql`
    with old as (
      update sessions s set rotated_at = now()
        from users u
       where s.token_hash = ${input.tokenHash} and s.rotated_at is null and s.revoked_at is null
         and s.expires_at > now() and u.id = s.user_id and u.status = 'active'
         and s.user_session_version = u.session_version
         and not exists (select 1 from sessions r where r.family_id = s.family_id and r.revoked_at is not null)
      returning s.user_id, s.family_id, s.user_session_version, u.roles
    ), fresh as (
      insert into sessions (user_id, family_id, user_session_version, token_hash, expires_at, last_used_at, user_agent, ip)
      select user_id, family_id, user_session_version, ${input.newTokenHash}, ${input.expiresAt.toISOString()}, now(), ${input.userAgent}, ${input.ip}
        from old
      returning user_id, family_id
    )
    select fresh.user_id, fresh.family_id, old.roles from fresh join old using (user_id, family_id)`,
  );
  return row ? { userId: row.user_id, familyId: row.family_id, roles: row.roles } : undefined;
}

/**
 * The user's current roles if this sign-in is still live (user active, family unrevoked, of the user's
 * current session version); undefined once it was signed out, outdated or the user suspended.
 */
export async function liveSessionRoles(db: AnyDb, userId: string, familyId: string): Promise<Role[] | undefined> {
  const [row] = await queryRows<{ roles: Role[] }>(
    db,
    sql`select u.roles from users u
         where u.id = ${userId} and u.status = 'active'
           and exists (select 1 from sessions s
                        where s.family_id = ${familyId} and s.user_id = u.id and s.user_session_version = u.session_version)
           and not exists (select 1 from sessions s where s.family_id = ${familyId} and s.revoked_at is not null)`,
  );
  return row?.roles;
}

/** What a refresh token that could not be rotated was: for telling a benign race from theft. */
export async function findSessionByTokenHash(db: AnyDb, tokenHash: string) {
  const [session] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  return session;
}

export async function revokeFamily(db: AnyDb, familyId: string) {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(db: AnyDb, userId: string) {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
