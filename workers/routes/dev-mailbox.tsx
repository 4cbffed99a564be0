import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { recentEmails } from "../domain/outbox.ts";
import { Layout } from "../../web/layout.tsx";
import { DevMailbox } from "../../web/pages/DevMailbox.tsx";

/** Only these have a mailbox; anywhere else (production, staging) these paths answer the ordinary 404. */
const MAILBOX_ENVS = new Set(["development", "test"]);
const MAILBOX_SIZE = 50;

/** The emails the app wrote to the outbox, so sign-up and reset links can be followed without a provider. */
export const devMailbox = new Hono<AppEnv>()
  .use("/dev/*", async (c, next) => {
    if (!MAILBOX_ENVS.has(c.var.config.APP_ENV)) return c.notFound();
    await next();
    c.header("Cache-Control", "no-store");
  })
  .get("/dev/mailbox.json", async (c) => c.json({ items: await recentEmails(c.var.db, MAILBOX_SIZE) }))
  .get("/dev/mailbox", async (c) => {
    const emails = await recentEmails(c.var.db, MAILBOX_SIZE);
    return c.html(
      <Layout title="Dev mailbox">
        <DevMailbox emails={emails} />
      </Layout>,
    );
  });
