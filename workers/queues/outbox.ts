import { emailProvider } from "../domain/email-provider.ts";
import { giveUpOutbox, sendOutboxRow, sweepOutbox, type OutboxJob } from "../domain/outbox.ts";
import { readConfig } from "../lib/config.ts";
import { openStores } from "../services.ts";

/** The outbox queue's consumer: sends one row through the configured provider (see domain/outbox.ts). */
export async function processOutbox(env: Env, job: OutboxJob): Promise<void> {
  const config = readConfig(env);
  await sendOutboxRow(openStores(config).db, emailProvider(config), job);
}

/** The outbox dead-letter queue's consumer. */
export async function failOutbox(env: Env, job: OutboxJob): Promise<void> {
  await giveUpOutbox(openStores(readConfig(env)).db, job);
}

/** The cron sweep (every minute): re-enqueues rows whose queue message was lost. */
export async function sweepOutboxRows(env: Env): Promise<number> {
  return sweepOutbox(openStores(readConfig(env)).db, env.OUTBOX_QUEUE);
}
