// The email outbox end to end: written in the caller's transaction, sent once by the queue consumer
// through the configured provider, retried, dead-lettered, swept by the cron, shown in the dev mailbox.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import entry from "../../workers/index.ts";
import { outbox } from "../../workers/data/schema/index.ts";
import { passwordResetEmail, verificationEmail } from "../../workers/domain/email-templates.ts";
import { dispatchOutbox, queueEmail, type EmailMessage, type OutboxEmail } from "../../workers/domain/outbox.ts";
import { fetchWith } from "../support/app.ts";
import { testDb, uniqueSuffix } from "../support/db.ts";

const worker: ExportedHandler<Env> = entry;

const emailApiUrl = `${inject("harnessUrl")}/email-api`;
/** The Worker's env with the "http" provider pointed at the harness's email API stand-in. */
const httpEnv = { ...env, EMAIL_PROVIDER: "http", EMAIL_API_URL: emailApiUrl, EMAIL_API_KEY: "test-email-key" } as Env;

interface CapturedRequest {
  authorization: string;
  idempotencyKey: string;
  body: Record<string, unknown>;
  status: number;
}

const recipient = (tag: string) => `${tag}-${uniqueSuffix()}@example.com`;

function signUpEmail(to: string): EmailMessage {
  return { to, ...verificationEmail({ name: "Ada", link: `https://gigmarket.example/verify-email?token=${uniqueSuffix()}` }) };
}

const queue = (message: EmailMessage) => queueEmail(testDb().primary, message);

async function row(id: number) {
  const [found] = await testDb().primary.select().from(outbox).where(eq(outbox.id, id));
  return found!;
}

const rowsTo = (to: string) =>
  testDb()
    .primary.select()
    .from(outbox)
    .where(sql`${outbox.payload}->>'to' = ${to}`);

async function received(to: string): Promise<CapturedRequest[]> {
  const res = await fetch(`${emailApiUrl}/messages?to=${encodeURIComponent(to)}`);
  return res.json();
}

async function deliver(queueName: "outbox" | "outbox-dlq", ids: number[], workerEnv: Env = env) {
  const batch = createMessageBatch(
    queueName,
    ids.map((id, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body: { kind: "outbox", id } })),
  );
  const ctx = createExecutionContext();
  await worker.queue!(batch, workerEnv, ctx);
  return getQueueResult(batch, ctx);
}

describe("queueEmail", () => {
  it("writes nothing when the transaction it joined rolls back", async () => {
    const db = testDb();
    const to = recipient("rollback");
    try {
      await expect(
        db.transaction(async (tx) => {
          await queueEmail(tx, signUpEmail(to));
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
    } finally {
      await db.close();
    }
    expect(await rowsTo(to)).toEqual([]);
  });

  it("leaves one pending email row when the transaction commits, and works on the HTTP path too", async () => {
    const db = testDb();
    const message = signUpEmail(recipient("commit"));
    try {
      const id = await db.transaction((tx) => queueEmail(tx, message));
      expect(await row(id)).toMatchObject({ topic: "email", payload: message, status: "pending", attempts: 0, sentAt: null });
    } finally {
      await db.close();
    }
    const other = signUpEmail(recipient("http-path"));
    expect(await row(await queue(other))).toMatchObject({ payload: other, status: "pending" });
  });

  it("refuses a message that is not an email before anything is written", async () => {
    await expect(queue({ ...signUpEmail("x"), to: "not an address" })).rejects.toThrow();
  });
});

describe("outbox consumer", () => {
  it("posts the exact JSON with the bearer token to the email API and marks the row sent", async () => {
    const message = signUpEmail(recipient("http"));
    const id = await queue(message);
    const result = await deliver("outbox", [id], httpEnv);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(await received(message.to)).toEqual([
      {
        authorization: "Bearer test-email-key",
        idempotencyKey: `outbox-${id}`,
        body: { from: env.EMAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html },
        status: 200,
      },
    ]);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 1, lastError: null, sentAt: expect.any(Date) as Date });
  });

  it("sends a row once however often its message is delivered, and never one another consumer has claimed", async () => {
    const message = signUpEmail(recipient("twice"));
    const id = await queue(message);
    expect((await deliver("outbox", [id, id], httpEnv)).explicitAcks).toEqual(["msg-0", "msg-1"]);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
    // A redelivery long after the send, when the claim has run out.
    await testDb()
      .primary.update(outbox)
      .set({ availableAt: sql`now() - interval '1 hour'` })
      .where(eq(outbox.id, id));
    const sent = await row(id);
    await deliver("outbox", [id], httpEnv);
    expect(await row(id)).toEqual(sent);
    expect(await received(message.to)).toHaveLength(1);

    // A claim in progress looks like this: still pending, available_at pushed past the send.
    const other = signUpEmail(recipient("claimed"));
    const claimed = await queue(other);
    await testDb()
      .primary.update(outbox)
      .set({ attempts: 1, availableAt: sql`now() + interval '1 minute'` })
      .where(eq(outbox.id, claimed));
    expect((await deliver("outbox", [claimed], httpEnv)).explicitAcks).toEqual(["msg-0"]);
    expect(await received(other.to)).toEqual([]);
    expect(await row(claimed)).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("retries when the provider answers 500, backing off so an early redelivery sends nothing", async () => {
    const message = signUpEmail(recipient("fail500"));
    const id = await queue(message);
    const result = await deliver("outbox", [id], httpEnv);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["msg-0"]);
    expect(result.explicitAcks).toEqual([]);
    const pending = await row(id);
    expect(pending).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringMatching(/500/) as string });
    expect(pending.availableAt.getTime()).toBeGreaterThan(Date.now());

    await deliver("outbox", [id], httpEnv);
    expect(await received(message.to)).toHaveLength(1);
  });

  it("gives up at once when the provider answers 400, without retrying", async () => {
    const message = signUpEmail(recipient("fail400"));
    const id = await queue(message);
    const result = await deliver("outbox", [id], httpEnv);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringMatching(/400/) as string });

    await deliver("outbox", [id], httpEnv);
    expect(await received(message.to)).toHaveLength(1);
  });

  it("marks a row failed when its message reaches the dead-letter queue, but leaves a sent row sent", async () => {
    const pendingId = await queue(signUpEmail(recipient("dlq")));
    const sentId = await queue(signUpEmail(recipient("dlq-sent")));
    await deliver("outbox", [sentId]);
    const result = await deliver("outbox-dlq", [pendingId, sentId]);
    expect(result.explicitAcks).toEqual(["msg-0", "msg-1"]);
    expect(await row(pendingId)).toMatchObject({ status: "failed", lastError: expect.any(String) as string });
    expect(await row(sentId)).toMatchObject({ status: "sent" });
  });

  it("acknowledges a malformed message instead of retrying it", async () => {
    const batch = createMessageBatch("outbox", [{ id: "bad", timestamp: new Date(), attempts: 1, body: { kind: "outbox", id: "seven" } }]);
    const ctx = createExecutionContext();
    await worker.queue!(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["bad"]);
  });

  it("sends what dispatchOutbox enqueues through the real queue (log provider: it counts as sent)", async () => {
    const id = await queue(signUpEmail(recipient("dispatch")));
    await dispatchOutbox(env.OUTBOX_QUEUE, [id]);
    await expect.poll(async () => (await row(id)).status, { timeout: 10_000, interval: 200 }).toBe("sent");
  });
});

describe("outbox sweep (cron)", () => {
  it("re-enqueues a pending row whose message was lost until it is sent, and leaves fresh rows to their messages", async () => {
    const lost = await queue(signUpEmail(recipient("lost")));
    await testDb()
      .primary.update(outbox)
      .set({ availableAt: sql`now() - interval '5 minutes'` })
      .where(eq(outbox.id, lost));
    const fresh = await queue(signUpEmail(recipient("fresh")));
    const freshBefore = await row(fresh);

    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    await expect.poll(async () => (await row(lost)).status, { timeout: 10_000, interval: 200 }).toBe("sent");
    expect(await row(fresh)).toEqual(freshBefore);
  });
});

describe("dev mailbox", () => {
  it("lists queued emails newest first, as JSON and as a page with clickable links", async () => {
    const older = signUpEmail(recipient("mailbox-older"));
    await queue(older);
    const link = `https://gigmarket.example/reset-password?token=${uniqueSuffix()}`;
    const newer = { to: recipient("mailbox"), ...passwordResetEmail({ name: "Grace", link }) };
    const id = await queue(newer);

    const json = await fetchWith({}, "/dev/mailbox.json");
    expect(json.status).toBe(200);
    const { items } = await json.json<{ items: Omit<OutboxEmail, "createdAt" | "sentAt">[] }>();
    const index = items.findIndex((item) => item.id === id);
    expect(items[index]).toMatchObject({ to: newer.to, subject: "Reset your password", text: newer.text, status: "pending", links: [link] });
    expect(items.findIndex((item) => item.to === older.to)).toBeGreaterThan(index);

    const page = await fetchWith({}, "/dev/mailbox", { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("Reset your password");
    expect(html).toContain(`<a href="${link}">${link}</a>`);
    expect(html).toContain(newer.to);
  });

  it("does not exist outside development and tests", async () => {
    for (const APP_ENV of ["production", "staging"]) {
      const env = { APP_ENV, PUBLIC_ORIGIN: "https://market.example" };
      expect((await fetchWith(env, "/dev/mailbox.json")).status).toBe(404);
      expect((await fetchWith(env, "/dev/mailbox", { headers: { Accept: "text/html" } })).status).toBe(404);
    }
  });
});

describe("email templates", () => {
  it("escape the HTML and show the link as text in both bodies", () => {
    const link = "https://gigmarket.example/verify-email?token=a&b";
    const email = verificationEmail({ name: "<Eve & co>", link });
    expect(email.subject).toBe("Verify your email address");
    expect(email.text).toContain("Hi <Eve & co>,");
    expect(email.text).toContain(link);
    expect(email.html).toContain("Hi &lt;Eve &amp; co&gt;,");
    expect(email.html).toContain('<a href="https://gigmarket.example/verify-email?token=a&amp;b">https://gigmarket.example/verify-email?token=a&amp;b</a>');
    expect(email.html).not.toContain("<Eve");
  });
});
