import { sendChatDigests } from "../domain/chat-digest.ts";
import { readConfig } from "../lib/config.ts";
import { openStores } from "../services.ts";

/** Without PUBLIC_ORIGIN (local dev) the links point at `wrangler dev`'s address. */
const DEV_ORIGIN = "http://localhost:8787";

/** The cron's unread-digest run (every minute): queues the digest emails that are due. */
export async function sendDigests(env: Env): Promise<number> {
  const config = readConfig(env);
  const { db } = openStores(config, { preferPrimary: true });
  try {
    return await sendChatDigests(db, env.OUTBOX_QUEUE, config.PUBLIC_ORIGIN ?? DEV_ORIGIN);
  } finally {
    await db.close();
  }
}
