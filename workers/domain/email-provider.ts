import type { Config } from "../lib/config.ts";
import { log } from "../lib/log.ts";
import type { EmailMessage } from "./outbox.ts";

/** Sent; or not, and whether trying again later can help (a timeout can, a rejected address cannot). */
export type SendResult = { ok: true } | { ok: false; retry: boolean; error: string };

/** `idempotencyKey` lets the provider drop a repeat if we sent but failed to record it. */
export type EmailProvider = (message: EmailMessage, options: { idempotencyKey: string }) => Promise<SendResult>;

export type EmailConfig = Pick<Config, "EMAIL_PROVIDER" | "EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM">;

const SEND_TIMEOUT_MS = 10_000;

/** The provider that EMAIL_PROVIDER names: "log" keeps mail on this machine, "http" posts it to an email API. */
export function emailProvider(config: EmailConfig): EmailProvider {
  if (config.EMAIL_PROVIDER === "log") {
    // Never the body: it holds one-time links. The dev mailbox shows the whole message.
    return (message) => {
      log("info", "email not sent: EMAIL_PROVIDER is log", { subject: message.subject });
      return Promise.resolve({ ok: true });
    };
  }
  const { EMAIL_API_URL: url, EMAIL_API_KEY: key, EMAIL_FROM: from } = config;
  // readConfig refuses "http" without both; this keeps the types honest.
  if (!url || !key) throw new Error('EMAIL_PROVIDER "http" needs EMAIL_API_URL and EMAIL_API_KEY');
  return (message, { idempotencyKey }) => postEmail(url, key, { from, ...message }, idempotencyKey);
}

/** Resend's request shape, which other HTTP email APIs accept or mirror. */
async function postEmail(url: string, key: string, email: EmailMessage & { from: string }, idempotencyKey: string): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
      body: JSON.stringify({ from: email.from, to: email.to, subject: email.subject, text: email.text, html: email.html }),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, retry: true, error: `email API unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (res.ok) {
    await res.body?.cancel();
    return { ok: true };
  }
  const detail = (await res.text().catch(() => "")).slice(0, 300);
  // 4xx means this request will never be accepted, except 429, which asks us to come back later.
  const rejected = res.status >= 400 && res.status < 500 && res.status !== 429;
  return { ok: false, retry: !rejected, error: `email API answered ${res.status}${detail ? `: ${detail}` : ""}` };
}
