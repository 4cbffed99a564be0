/**
 * The Conversation object's own SQLite: the message log (the source of sequence numbers and of acks),
 * each participant's read position, and how far the log has been written behind to Postgres.
 * Every statement binds its values; nothing is built by string interpolation.
 */

import { createUploadTables } from "./conversation-uploads.ts";

/** The part of the object's `ctx.storage.sql` this module uses (SqlStorage satisfies it). */
export interface SqlExec {
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): { toArray(): T[] };
}

export interface LoggedMessage {
  seq: number;
  clientId: string;
  senderId: string;
  body: string;
  /** Epoch milliseconds. */
  at: number;
  attachments: LoggedAttachment[];
}

/** A file uploaded to the conversation (bytes in R2); `seq` is the message that carries it, once sent. */
export interface LoggedAttachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

type AttachmentRow = { id: string; uploader_id: string; name: string; size: number; content_type: string; seq: number | null };
const toAttachment = (row: AttachmentRow): LoggedAttachment => ({ id: row.id, name: row.name, size: row.size, contentType: row.content_type });

type MessageRow = { seq: number; client_id: string; sender_id: string; body: string; at: number };

const toMessage = (row: MessageRow, attachments: LoggedAttachment[] = []): LoggedMessage => ({
  seq: row.seq,
  clientId: row.client_id,
  senderId: row.sender_id,
  body: row.body,
  at: row.at,
  attachments,
});

/** The rows as messages, with their attachments (one query for the whole page). */
function withAttachments(sql: SqlExec, rows: MessageRow[]): LoggedMessage[] {
  if (rows.length === 0) return [];
  const seqs = rows.map((row) => row.seq);
  const found = sql
    .exec<AttachmentRow>("select * from attachments where seq between ? and ? order by rowid", Math.min(...seqs), Math.max(...seqs))
    .toArray();
  return rows.map((row) => toMessage(row, found.filter((attachment) => attachment.seq === row.seq).map(toAttachment)));
}

export function createLogTables(sql: SqlExec): void {
  sql.exec(`create table if not exists messages (
    seq integer primary key, client_id text not null unique, sender_id text not null, body text not null, at integer not null)`);
  sql.exec(`create table if not exists reads (user_id text primary key, seq integer not null, flushed integer not null default 0)`);
  sql.exec(`create table if not exists meta (key text primary key, value text not null)`);
  sql.exec(`create table if not exists blocks (blocker_id text primary key)`);
  sql.exec(`create table if not exists attachments (
    id text primary key, uploader_id text not null, name text not null, size integer not null, content_type text not null, seq integer)`);
  sql.exec(`create index if not exists attachments_seq on attachments (seq)`);
  createUploadTables(sql);
}

export function getMeta(sql: SqlExec, key: string): string | undefined {
  return sql.exec<{ value: string }>("select value from meta where key = ?", key).toArray()[0]?.value;
}

export function setMeta(sql: SqlExec, key: string, value: string): void {
  sql.exec("insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value", key, value);
}

export function lastSeq(sql: SqlExec): number {
  return sql.exec<{ seq: number | null }>("select max(seq) as seq from messages").toArray()[0]?.seq ?? 0;
}

export function messageByClientId(sql: SqlExec, clientId: string): LoggedMessage | undefined {
  return withAttachments(sql, sql.exec<MessageRow>("select * from messages where client_id = ?", clientId).toArray())[0];
}

/** Appends with the next sequence; the caller runs inside the object's input gate, so no two appends race. */
export function appendMessage(sql: SqlExec, message: Omit<LoggedMessage, "seq">): LoggedMessage {
  const seq = lastSeq(sql) + 1;
  sql.exec("insert into messages (seq, client_id, sender_id, body, at) values (?, ?, ?, ?, ?)", seq, message.clientId, message.senderId, message.body, message.at);
  for (const attachment of message.attachments) sql.exec("update attachments set seq = ? where id = ?", seq, attachment.id);
  return { seq, ...message };
}

export function addAttachment(sql: SqlExec, uploaderId: string, attachment: LoggedAttachment): void {
  sql.exec(
    "insert into attachments (id, uploader_id, name, size, content_type) values (?, ?, ?, ?, ?)",
    attachment.id,
    uploaderId,
    attachment.name,
    attachment.size,
    attachment.contentType,
  );
}

/** An attachment this user uploaded and has not sent yet (what a send may carry). */
export function unsentAttachment(sql: SqlExec, uploaderId: string, id: string): LoggedAttachment | undefined {
  const row = sql.exec<AttachmentRow>("select * from attachments where id = ? and uploader_id = ? and seq is null", id, uploaderId).toArray()[0];
  return row && toAttachment(row);
}

/** An attachment this user may download: sent in a message, or their own upload. */
export function visibleAttachment(sql: SqlExec, userId: string, id: string): LoggedAttachment | undefined {
  const row = sql.exec<AttachmentRow>("select * from attachments where id = ? and (seq is not null or uploader_id = ?)", id, userId).toArray()[0];
  return row && toAttachment(row);
}

/** Messages after `seq`, oldest first. */
export function messagesAfter(sql: SqlExec, seq: number, limit: number): LoggedMessage[] {
  return withAttachments(sql, sql.exec<MessageRow>("select * from messages where seq > ? order by seq limit ?", seq, limit).toArray());
}

/** Messages before `seq`, newest first (history pages). */
export function messagesBefore(sql: SqlExec, seq: number, limit: number): LoggedMessage[] {
  return withAttachments(sql, sql.exec<MessageRow>("select * from messages where seq < ? order by seq desc limit ?", seq, limit).toArray());
}

/** Raises a participant's read position (never lowers it); true when it moved. */
export function raiseRead(sql: SqlExec, userId: string, seq: number): boolean {
  const before = readPositions(sql)[userId] ?? 0;
  if (seq <= before) return false;
  sql.exec(
    "insert into reads (user_id, seq, flushed) values (?, ?, 0) on conflict (user_id) do update set seq = excluded.seq, flushed = 0",
    userId,
    seq,
  );
  return true;
}

export function readPositions(sql: SqlExec): Record<string, number> {
  return Object.fromEntries(sql.exec<{ user_id: string; seq: number }>("select user_id, seq from reads").toArray().map((row) => [row.user_id, row.seq]));
}

export function unflushedReads(sql: SqlExec): { userId: string; seq: number }[] {
  return sql.exec<{ user_id: string; seq: number }>("select user_id, seq from reads where flushed = 0").toArray().map((row) => ({ userId: row.user_id, seq: row.seq }));
}

/** Marks read positions written, unless they moved again meanwhile. */
export function markReadsFlushed(sql: SqlExec, reads: { userId: string; seq: number }[]): void {
  for (const read of reads) sql.exec("update reads set flushed = 1 where user_id = ? and seq = ?", read.userId, read.seq);
}

/** Records (or lifts) one participant's block of the other party of this conversation. */
export function setBlock(sql: SqlExec, blockerId: string, blocked: boolean): void {
  if (blocked) sql.exec("insert into blocks (blocker_id) values (?) on conflict do nothing", blockerId);
  else sql.exec("delete from blocks where blocker_id = ?", blockerId);
}

/** Whether this participant has blocked the other party. */
export function hasBlocked(sql: SqlExec, blockerId: string): boolean {
  return sql.exec("select 1 from blocks where blocker_id = ?", blockerId).toArray().length > 0;
}

/** Whether the other party has blocked this sender (a conversation has two parties). */
export function senderBlocked(sql: SqlExec, senderId: string): boolean {
  return sql.exec("select 1 from blocks where blocker_id <> ?", senderId).toArray().length > 0;
}
