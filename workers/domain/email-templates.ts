import type { EmailMessage } from "./outbox.ts";

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

export function chatDigestEmail({ name, unread, link }: { name: string; unread: number; link: string }): EmailContent {
  const what = unread === 1 ? "a new message" : `${unread} new messages`;
  return linkEmail(
    `You have ${what} on Gigmarket`,
    name,
    `You have ${what} in a conversation on Gigmarket. To read and answer, open:`,
    link,
    "We send at most one of these per conversation every 15 minutes.",
  );
}
