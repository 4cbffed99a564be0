import { desc, sql } from "drizzle-orm";
import { outbox } from "../../workers/data/schema/index.ts";
import { testDb } from "./db.ts";

/** The newest email the app wrote to the outbox for this address, with the token in its link. */
export async function latestEmailTo(address: string) {
  const [row] = await testDb()
    .primary.select({ payload: outbox.payload })
    .from(outbox)
    .where(sql`${outbox.payload}->>'to' = ${address}`)
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!row) return undefined;
  const email = row.payload as { subject: string; text: string };
  const token = /[?&]token=([\w-]+)/.exec(email.text)?.[1];
  return { subject: email.subject, text: email.text, token };
}
