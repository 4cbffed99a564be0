import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversationParticipants, messages, outbox } from "../../workers/data/schema/index.ts";
import { DIGEST_EVERY_MS, DIGEST_QUIET_MS, sendChatDigests } from "../../workers/domain/chat-digest.ts";
import { chatPair, connect, type ChatSocket } from "../support/chat.ts";
import { testDb } from "../support/db.ts";
import { eventually } from "../support/wait.ts";

const ORIGIN = "https://market.example";

/** Every digest email the outbox holds for this address. */
const digestsTo = async (address: string) =>
  (await testDb().primary.select({ payload: outbox.payload }).from(outbox).where(sql`${outbox.payload}->>'to' = ${address}`))
    .map((row) => row.payload as { subject: string; text: string })
    .filter((email) => email.subject.includes("new message"));

/** Sends and waits until Postgres (where the digest looks) holds the message. */
async function sendAndLand(socket: ChatSocket, conversationId: string, clientId: string, seq: number) {
  socket.send({ type: "send", clientId, body: `message ${clientId}` });
  await socket.next("ack", (frame) => frame.clientId === clientId);
  const stub = env.Conversation.get(env.Conversation.idFromName(conversationId));
  await eventually(async () => {
    await runDurableObjectAlarm(stub);
    return (await testDb().primary.select().from(messages).where(eq(messages.conversationId, conversationId))).length === seq;
  }, 10_000);
}

const run = (at: number) => sendChatDigests(testDb(), env.OUTBOX_QUEUE, ORIGIN, at);

describe("the unread digest email", () => {
  it("tells an absent recipient once per conversation per 15 minutes, never once per message", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    await sendAndLand(socket, conversation.id, "one", 1);
    await sendAndLand(socket, conversation.id, "two", 2);
    const start = Date.now();

    // Still fresh: the seller may be reading it right now.
    await run(start);
    expect(await digestsTo(seller.email)).toHaveLength(0);

    await run(start + DIGEST_QUIET_MS + 1000);
    const [first, ...rest] = await digestsTo(seller.email);
    expect(rest).toHaveLength(0);
    expect(first?.subject).toBe("You have 2 new messages on Gigmarket");
    expect(first?.text).toContain(`${ORIGIN}/messages/${conversation.id}`);
    // The sender is told nothing: nothing unread from the other party.
    expect(await digestsTo(buyer.email)).toHaveLength(0);

    // A later message inside the 15 minutes waits; after them it gets one more digest, about it alone.
    await sendAndLand(socket, conversation.id, "three", 3);
    await run(start + DIGEST_QUIET_MS + 2 * 60_000);
    expect(await digestsTo(seller.email)).toHaveLength(1);
    await run(start + DIGEST_QUIET_MS + DIGEST_EVERY_MS + 2000);
    const after = await digestsTo(seller.email);
    expect(after).toHaveLength(2);
    expect(after.map((email) => email.subject)).toContain("You have a new message on Gigmarket");
    // Told of everything: nothing more, however long it stays unread.
    await run(start + DIGEST_QUIET_MS + 3 * DIGEST_EVERY_MS);
    expect(await digestsTo(seller.email)).toHaveLength(2);
    socket.close();
  });

  it("sends nothing once the recipient has read the messages", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const buyerSocket = await connect(buyer.client, conversation.id);
    await sendAndLand(buyerSocket, conversation.id, "hello", 1);
    const sellerSocket = await connect(seller.client, conversation.id);
    sellerSocket.send({ type: "read", seq: 1 });
    await sellerSocket.next("read", (frame) => frame.userId === seller.id);
    const stub = env.Conversation.get(env.Conversation.idFromName(conversation.id));
    const readInPostgres = async () =>
      (await testDb().primary.select().from(conversationParticipants).where(eq(conversationParticipants.userId, seller.id)))[0]?.lastReadSeq === 1;
    await eventually(async () => {
      await runDurableObjectAlarm(stub);
      return readInPostgres();
    }, 10_000);
    await run(Date.now() + DIGEST_QUIET_MS + 1000);
    expect(await digestsTo(seller.email)).toHaveLength(0);
    buyerSocket.close();
    sellerSocket.close();
  });
});
