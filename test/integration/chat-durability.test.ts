import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Conversation } from "../../durable-objects/Conversation.ts";
import { conversationParticipants, conversations, messages } from "../../workers/data/schema/index.ts";
import type { InboxPage } from "../../workers/domain/conversations.ts";
import { chatPair, connect, type ChatSocket } from "../support/chat.ts";
import { testDb } from "../support/db.ts";
import { json } from "../support/json.ts";
import { eventually } from "../support/wait.ts";

const stubOf = (conversationId: string) => env.Conversation.get(env.Conversation.idFromName(conversationId));

const stored = (conversationId: string) =>
  testDb().primary.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.seq));

async function sendAll(socket: ChatSocket, bodies: string[], prefix: string) {
  for (const [index, body] of bodies.entries()) socket.send({ type: "send", clientId: `${prefix}${index}`, body });
  await socket.next("ack", (frame) => frame.clientId === `${prefix}${bodies.length - 1}`);
}

/**
 * Runs the object's alarm until Postgres holds `count` messages of the conversation. Its own alarm may be
 * running at the same moment (it fires by itself shortly after a send), so the test waits for the outcome.
 */
async function landed(conversationId: string, count: number) {
  await eventually(async () => {
    await runDurableObjectAlarm(stubOf(conversationId));
    return (await stored(conversationId)).length === count;
  }, 10_000);
  return stored(conversationId);
}

const failures = (conversationId: string) =>
  runInDurableObject(stubOf(conversationId), (_instance, state) => Number(state.storage.sql.exec<{ value: string }>("select value from meta where key = 'behind_failures'").toArray()[0]?.value ?? 0));

/** Points the object's own bindings at a Postgres that does not answer (or back at the real one). */
async function setDatabase(conversationId: string, url: string) {
  await runInDurableObject(stubOf(conversationId), (instance: Conversation) => {
    (instance as unknown as { env: Env }).env = { ...env, DATABASE_URL: url };
  });
}

describe("write-behind to Postgres", () => {
  it("lands every message once, in order, with the inbox's previews and unread counts; a repeated alarm changes nothing", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    await sendAll(socket, ["Hi", "Are you free next week?", "My email is me@example.com"], "w");
    const rows = await landed(conversation.id, 3);
    expect(rows.map((row) => [row.seq, row.body, row.senderId, row.flagged])).toEqual([
      [1, "Hi", buyer.id, false],
      [2, "Are you free next week?", buyer.id, false],
      [3, "My email is me@example.com", buyer.id, true],
    ]);
    const inbox = await json<InboxPage>(await seller.client.request("/api/conversations"));
    expect(inbox.items[0]).toMatchObject({ id: conversation.id, otherParty: { id: buyer.id }, unreadCount: 3, lastMessage: { seq: 3, preview: "My email is me@example.com" } });
    expect((await json<InboxPage>(await buyer.client.request("/api/conversations"))).items[0]).toMatchObject({ unreadCount: 0 });

    const sellerSocket = await connect(seller.client, conversation.id);
    sellerSocket.send({ type: "read", seq: 3 });
    await socket.next("read", (frame) => frame.userId === seller.id);
    await eventually(async () => {
      await runDurableObjectAlarm(stubOf(conversation.id));
      return (await json<InboxPage>(await seller.client.request("/api/conversations"))).items[0]?.unreadCount === 0;
    }, 10_000);

    // An alarm that ran but died before it recorded its progress runs the same batch again.
    await runInDurableObject(stubOf(conversation.id), async (_instance, state) => {
      state.storage.sql.exec("update meta set value = '0' where key = 'flushed_seq'");
      state.storage.sql.exec("update reads set flushed = 0");
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stubOf(conversation.id))).toBe(true);
    expect((await stored(conversation.id)).map((row) => row.seq)).toEqual([1, 2, 3]);
    const [summary] = await testDb().primary.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(summary?.lastSeq).toBe(3);
    const reads = await testDb().primary.select().from(conversationParticipants).where(eq(conversationParticipants.conversationId, conversation.id));
    expect(Object.fromEntries(reads.map((row) => [row.userId, row.lastReadSeq]))).toEqual({ [buyer.id]: 3, [seller.id]: 3 });
  });

  it("keeps chat working while Postgres is down and writes everything once it is back", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    const sellerSocket = await connect(seller.client, conversation.id);
    await setDatabase(conversation.id, env.DATABASE_URL.replace(/\/[^/?]+(\?|$)/, "/no_such_database$1"));

    await sendAll(socket, ["one", "two", "three"], "a");
    await eventually(async () => {
      await runDurableObjectAlarm(stubOf(conversation.id));
      return (await failures(conversation.id)) >= 1;
    }, 10_000);
    await sendAll(sellerSocket, ["four", "five"], "b");
    await socket.next("message", (frame) => frame.message.seq === 5);
    await eventually(async () => {
      await runDurableObjectAlarm(stubOf(conversation.id));
      return (await failures(conversation.id)) >= 2;
    }, 10_000);
    expect(await stored(conversation.id)).toEqual([]);
    // Still retrying: an alarm is set for the next attempt.
    expect(await runInDurableObject(stubOf(conversation.id), (_instance, state) => state.storage.getAlarm())).not.toBeNull();

    await setDatabase(conversation.id, env.DATABASE_URL);
    expect((await landed(conversation.id, 5)).map((row) => [row.seq, row.body])).toEqual([
      [1, "one"],
      [2, "two"],
      [3, "three"],
      [4, "four"],
      [5, "five"],
    ]);
  });
});

describe("an evicted object", () => {
  it("wakes with its hibernated sockets and continues the sequence; after a restart clients resume", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    const sellerSocket = await connect(seller.client, conversation.id);
    await sendAll(socket, ["before", "eviction"], "e");

    await evictDurableObject(stubOf(conversation.id));
    socket.send({ type: "send", clientId: "after", body: "after eviction" });
    expect(await socket.next("ack", (frame) => frame.clientId === "after")).toMatchObject({ seq: 3 });
    await sellerSocket.next("message", (frame) => frame.message.seq === 3 && frame.message.senderId === buyer.id);

    await evictDurableObject(stubOf(conversation.id), { webSockets: "close" });
    const again = await connect(seller.client, conversation.id);
    again.send({ type: "resume", lastSeq: 1 });
    expect((await again.next("resumed")).lastSeq).toBe(3);
    expect(again.messages().map((message) => message.seq)).toEqual([2, 3]);
    again.send({ type: "send", clientId: "after-restart", body: "still counting" });
    expect(await again.next("ack")).toMatchObject({ seq: 4 });

    expect((await landed(conversation.id, 4)).map((row) => row.seq)).toEqual([1, 2, 3, 4]);
  });
});
