import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AnyDb } from "../data/db.ts";
import { outbox } from "../data/schema/index.ts";
import { errorFields, log } from "../lib/log.ts";

/** One email, as the outbox stores it and the provider sends it. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export const EMAIL_TOPIC = "email";

export const emailMessageSchema = z.object({
  to: z.email(),
  subject: z.string().min(1),
  text: z.string(),
  html: z.string(),
}) satisfies z.ZodType<EmailMessage>;

/** The queue message that asks the consumer to send one outbox row. */
export const outboxJobSchema = z.object({ kind: z.literal("outbox"), id: z.number().int().positive() });
export type OutboxJob = z.infer<typeof outboxJobSchema>;

/**
 * Writes the email to the outbox on whatever connection it is given: pass the transaction that makes
 * the change the email announces, so both commit or neither does. Returns the outbox id for
 * `dispatchOutbox`, which the caller runs after the commit.
 */
export async function queueEmail(db: AnyDb, message: EmailMessage): Promise<number> {
  const payload = emailMessageSchema.parse(message);
  const [row] = await db.insert(outbox).values({ topic: EMAIL_TOPIC, payload }).returning({ id: outbox.id });
  return row!.id;
}

/** A Queues sendBatch call takes at most this many messages. */
const SEND_BATCH_LIMIT = 100;

/**
 * Asks the consumer to send these outbox rows now. Call it after the commit; a failure here is only
 * logged, because the rows are safe in the outbox and the cron sweep sends them a minute later.
 */
export async function dispatchOutbox(queue: Queue, ids: readonly number[]): Promise<void> {
  for (let start = 0; start < ids.length; start += SEND_BATCH_LIMIT) {
    const chunk = ids.slice(start, start + SEND_BATCH_LIMIT);
    try {
      await queue.sendBatch(chunk.map((id) => ({ body: { kind: "outbox", id } satisfies OutboxJob })));
    } catch (error) {
      log("warn", "outbox dispatch failed; the sweep will send these", { ids: chunk, ...errorFields(error) });
    }
  }
}

const LINK = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)]/g;

/** The web addresses in a plain-text body, in order (what a reader of the dev mailbox clicks). */
export function emailLinks(text: string): string[] {
  return text.match(LINK) ?? [];
}

/** The latest emails in the outbox, newest first, for the dev mailbox. */
export async function listRecentEmails(db: AnyDb, limit: number) {
  const rows = await db
    .select({
      id: outbox.id,
      to: sql<string>`${outbox.payload}->>'to'`,
      subject: sql<string>`${outbox.payload}->>'subject'`,
      text: sql<string>`${outbox.payload}->>'text'`,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(eq(outbox.topic, EMAIL_TOPIC))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, links: emailLinks(row.text) }));
}

export type OutboxEmail = Awaited<ReturnType<typeof listRecentEmails>>[number];

// Templates: short, plain, with the link written out so it can be copied when a client hides links.

type EmailContent = Omit<EmailMessage, "to">;

const escapeHtml = (value: string) =>
  value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

function linkEmail(subject: string, name: string, ask: string, link: string, ignore: string): EmailContent {
  const text = `Hi ${name},\n\n${ask}\n\n${link}\n\n${ignore}\n\nGigmarket\n`;
  const html = [
    `<p>Hi ${escapeHtml(name)},</p>`,
    `<p>${escapeHtml(ask)}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    `<p>${escapeHtml(ignore)}</p>`,
    `<p>Gigmarket</p>`,
  ].join("\n");
  return { subject, text, html };
}

export function verificationEmail({ name, link }: { name: string; link: string }): EmailContent {
  return linkEmail(
    "Verify your email address",
    name,
    "Please confirm your email address for Gigmarket by opening this link:",
    link,
    "If you did not create a Gigmarket account, you can ignore this email.",
  );
}

export function passwordResetEmail({ name, link }: { name: string; link: string }): EmailContent {
  return linkEmail(
    "Reset your password",
    name,
    "Someone asked to reset the password of your Gigmarket account. To choose a new one, open this link:",
    link,
    "If it was not you, ignore this email: your password stays as it is.",
  );
}
