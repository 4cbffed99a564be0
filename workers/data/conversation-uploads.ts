import type { SqlExec } from "./conversation-log.ts";

/**
 * When each upload expires unless a message carries it (the Conversation object's own SQLite), and
 * the expired ones whose bytes are being deleted from R2. An expired upload is first marked `doomed`
 * and dropped from `attachments` in one step, so no send can pick it up while its bytes go; its row
 * stays until R2 confirms the delete, so a failed or repeated sweep deletes again and loses nothing.
 */

export function createUploadTables(sql: SqlExec): void {
  sql.exec(`create table if not exists unsent_uploads (id text primary key, expires_at integer not null, doomed integer not null default 0)`);
  sql.exec(`create index if not exists unsent_uploads_expiry on unsent_uploads (expires_at)`);
}

export function recordUploadExpiry(sql: SqlExec, id: string, expiresAt: number): void {
  sql.exec("insert into unsent_uploads (id, expires_at) values (?, ?) on conflict (id) do nothing", id, expiresAt);
}

/**
 * Dooms the uploads expired by `now` that no message carries (and forgets the expired ones that were
 * sent); answers every doomed id, this sweep's and any an earlier sweep could not finish.
 */
export function doomExpiredUploads(sql: SqlExec, now: number): string[] {
  sql.exec(
    "update unsent_uploads set doomed = 1 where doomed = 0 and expires_at <= ? and id in (select id from attachments where seq is null)",
    now,
  );
  sql.exec("delete from attachments where seq is null and id in (select id from unsent_uploads where doomed = 1)");
  sql.exec("delete from unsent_uploads where doomed = 0 and expires_at <= ?", now);
  return sql.exec<{ id: string }>("select id from unsent_uploads where doomed = 1").toArray().map((row) => row.id);
}

/** The bytes of these doomed uploads are gone from R2. */
export function forgetDoomedUploads(sql: SqlExec, ids: string[]): void {
  for (const id of ids) sql.exec("delete from unsent_uploads where id = ? and doomed = 1", id);
}

/** When a sweep next has work: the next expiry, or a past time while doomed uploads wait (undefined: none). */
export function nextUploadDue(sql: SqlExec): number | undefined {
  return sql.exec<{ at: number | null }>("select min(expires_at) as at from unsent_uploads").toArray()[0]?.at ?? undefined;
}
