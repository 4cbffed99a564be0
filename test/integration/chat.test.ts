import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "../../workers/domain/chat-protocol.ts";
import type { ConversationResponse } from "../../workers/domain/conversations.ts";
import type { HistoryResponse } from "../../workers/routes/conversations.ts";
import { signedIn } from "../support/accounts.ts";
import { createCategories, publishedListing } from "../support/catalog.ts";
import { chatPair, connect, upgrade } from "../support/chat.ts";
import { Client, SITE_ORIGIN } from "../support/client.ts";
import { json, type ErrorBody } from "../support/json.ts";
import { eventually } from "../support/wait.ts";

let category: string;
beforeAll(async () => {
  category = (await createCategories()).leaf.slug;
});

describe("starting a conversation", () => {
  it("makes one conversation per buyer and seller, from a listing or the seller's profile", async () => {
    const { buyer, seller, username, conversation } = await chatPair();
    expect(conversation).toMatchObject({ buyerId: buyer.id, sellerId: seller.id });
    const listing = await publishedListing(seller.client, category);
    const fromListing = await json<ConversationResponse>(await buyer.client.post("/api/conversations", { listingId: listing.id }));
    expect(fromListing.conversation.id).toBe(conversation.id);
    const again = await json<ConversationResponse>(await buyer.client.post("/api/conversations", { sellerUsername: username }));
    expect(again.conversation.id).toBe(conversation.id);
  });

  it("refuses a conversation with oneself, an unknown seller and bad input", async () => {
    const { seller, username } = await chatPair();
    const self = await seller.client.post("/api/conversations", { sellerUsername: username });
    expect(self.status).toBe(422);
    expect((await json<ErrorBody>(self)).error.code).toBe("rule_violation");
    expect((await seller.client.post("/api/conversations", { sellerUsername: "nobody-here-at-all" })).status).toBe(404);
    expect((await seller.client.post("/api/conversations", { listingId: crypto.randomUUID() })).status).toBe(404);
    expect((await seller.client.post("/api/conversations", { listingId: "nope" })).status).toBe(400);
    expect((await seller.client.request("/api/conversations", { method: "POST" })).status).toBe(400);
    expect((await new Client().post("/api/conversations", { sellerUsername: username })).status).toBe(401);
  });
});

describe("live messages", () => {
  it("delivers a message to every socket of both parties, acked with the next sequence", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const phone = await connect(buyer.client, conversation.id);
    const laptop = await connect(buyer.client, conversation.id);
    const sellerSocket = await connect(seller.client, conversation.id);
    await phone.next("presence", (frame) => frame.userId === seller.id && frame.online);

    phone.send({ type: "send", clientId: "c-1", body: "Hello, is this still available?" });
    expect(await phone.next("ack")).toEqual({ type: "ack", clientId: "c-1", seq: 1 });
    for (const socket of [phone, laptop, sellerSocket]) {
      const { message } = await socket.next("message", (frame) => frame.message.seq === 1);
      expect(message).toMatchObject({ clientId: "c-1", senderId: buyer.id, body: "Hello, is this still available?" });
    }
    sellerSocket.send({ type: "send", clientId: "s-1", body: "Yes it is!" });
    await laptop.next("message", (frame) => frame.message.seq === 2 && frame.message.senderId === seller.id);

    sellerSocket.send({ type: "typing" });
    await phone.next("typing", (frame) => frame.userId === seller.id);
    phone.send({ type: "read", seq: 2 });
    await sellerSocket.next("read", (frame) => frame.userId === buyer.id && frame.seq === 2);

    sellerSocket.close();
    await phone.next("presence", (frame) => frame.userId === seller.id && !frame.online);
    phone.close();
    laptop.close();
  });

  it("answers a resend with the original ack and stores the message once", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    socket.send({ type: "send", clientId: "dup", body: "once" });
    await socket.next("ack");
    socket.send({ type: "send", clientId: "dup", body: "once" });
    await eventually(() => socket.frames.filter((frame) => frame.type === "ack").length === 2);
    expect(socket.frames.filter((frame) => frame.type === "ack")).toEqual([
      { type: "ack", clientId: "dup", seq: 1 },
      { type: "ack", clientId: "dup", seq: 1 },
    ]);
    // Someone else's id is not theirs to reuse.
    const other = await connect(seller.client, conversation.id);
    other.send({ type: "send", clientId: "dup", body: "hijack" });
    expect(await other.next("error")).toMatchObject({ code: "invalid_frame", clientId: "dup" });
    const history = await json<HistoryResponse>(await buyer.client.request(`/api/conversations/${conversation.id}/messages`));
    expect(history.messages.map((message) => message.body)).toEqual(["once"]);
  });

  it("resumes a reconnecting client with exactly the messages it missed, in order", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const first = await connect(buyer.client, conversation.id);
    const sellerSocket = await connect(seller.client, conversation.id);
    sellerSocket.send({ type: "send", clientId: "a", body: "one" });
    await first.next("message", (frame) => frame.message.seq === 1);
    first.close();
    for (const [index, body] of ["two", "three", "four"].entries()) {
      sellerSocket.send({ type: "send", clientId: `b${index}`, body });
      await sellerSocket.next("ack", (frame) => frame.clientId === `b${index}`);
    }
    const again = await connect(buyer.client, conversation.id);
    again.send({ type: "resume", lastSeq: 1 });
    const resumed = await again.next("resumed");
    expect(resumed.lastSeq).toBe(4);
    expect(again.messages().map((message) => [message.seq, message.body])).toEqual([
      [2, "two"],
      [3, "three"],
      [4, "four"],
    ]);
    expect(resumed.reads[seller.id]).toBe(4);
  });

  it("pages history over HTTP, newest first, before a sequence", async () => {
    const { buyer, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    for (let index = 1; index <= 5; index++) socket.send({ type: "send", clientId: `h${index}`, body: `m${index}` });
    await socket.next("ack", (frame) => frame.seq === 5);
    const first = await json<HistoryResponse>(await buyer.client.request(`/api/conversations/${conversation.id}/messages?limit=2`));
    expect(first.messages.map((message) => message.seq)).toEqual([5, 4]);
    const second = await json<HistoryResponse>(await buyer.client.request(`/api/conversations/${conversation.id}/messages?limit=2&before=${first.nextBefore}`));
    expect(second.messages.map((message) => message.seq)).toEqual([3, 2]);
    const last = await json<HistoryResponse>(await buyer.client.request(`/api/conversations/${conversation.id}/messages?limit=2&before=2`));
    expect(last).toEqual({ messages: [expect.objectContaining({ seq: 1 })], nextBefore: null });
    expect((await buyer.client.request(`/api/conversations/${conversation.id}/messages?before=0`)).status).toBe(400);
  });
});

describe("who may connect", () => {
  it("refuses outsiders, anonymous callers, cross-site origins and plain GETs", async () => {
    const { buyer, conversation } = await chatPair();
    const outsider = await signedIn("buyer");
    expect((await upgrade(outsider.client, conversation.id)).status).toBe(404);
    expect((await upgrade(new Client(), conversation.id)).status).toBe(401);
    expect((await upgrade(buyer.client, conversation.id, "https://evil.example")).status).toBe(403);
    expect((await upgrade(buyer.client, crypto.randomUUID())).status).toBe(404);
    expect((await buyer.client.request(`/api/conversations/${conversation.id}/ws`)).status).toBe(400);
    expect((await outsider.client.request(`/api/conversations/${conversation.id}/messages`)).status).toBe(404);
    const admin = await signedIn("admin");
    const refused = await upgrade(admin.client, conversation.id);
    expect(refused.status).toBe(403);
    expect(await json<ErrorBody>(refused)).toMatchObject({ error: { code: "forbidden", message: "Only the conversation's participants can do this." } });
  });
});

describe("the socket", () => {
  // Through the Worker's own fetch handler, so its answer leaves the runtime as a deployed one would.
  it("declines the permessage-deflate a browser offers (no_web_socket_compression)", async () => {
    const { buyer, conversation } = await chatPair();
    const headers = new Headers({ Upgrade: "websocket", Origin: SITE_ORIGIN, "CF-Connecting-IP": buyer.client.ip, "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits" });
    headers.set("Cookie", [...buyer.client.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const res = await exports.default.fetch(new Request(`${SITE_ORIGIN}/api/conversations/${conversation.id}/ws`, { headers }));
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Extensions")).toBeNull();
    res.webSocket!.accept();
    res.webSocket!.close(1000, "done");
  });
});

describe("blocking", () => {
  it("stops the blocked party's messages until the block is lifted; the blocker can still write", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const buyerSocket = await connect(buyer.client, conversation.id);
    expect((await seller.client.request(`/api/conversations/${conversation.id}/block`, { method: "POST" })).status).toBe(204);
    buyerSocket.send({ type: "send", clientId: "spam", body: "buy now" });
    expect(await buyerSocket.next("error")).toMatchObject({ code: "blocked", clientId: "spam" });
    const sellerSocket = await connect(seller.client, conversation.id);
    sellerSocket.send({ type: "send", clientId: "bye", body: "Please stop" });
    expect(await sellerSocket.next("ack")).toMatchObject({ seq: 1 });

    expect((await seller.client.request(`/api/conversations/${conversation.id}/block`, { method: "DELETE" })).status).toBe(204);
    buyerSocket.send({ type: "send", clientId: "sorry", body: "sorry" });
    expect(await buyerSocket.next("ack", (frame) => frame.clientId === "sorry")).toMatchObject({ seq: 2 });
    const outsider = await signedIn("buyer");
    expect((await outsider.client.request(`/api/conversations/${conversation.id}/block`, { method: "POST" })).status).toBe(404);
  });
});

describe("limits", () => {
  it("refuses oversized frames, long bodies and garbage with an error frame, and keeps the socket", async () => {
    const { buyer, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    socket.send(JSON.stringify({ type: "send", clientId: "big", body: "x".repeat(MAX_FRAME_BYTES) }));
    expect(await socket.next("error")).toMatchObject({ code: "frame_too_large" });
    socket.send({ type: "send", clientId: "long", body: "y".repeat(4001) });
    expect(await socket.next("error", (frame) => frame.clientId === "long")).toMatchObject({ code: "invalid_frame" });
    socket.send("not json");
    socket.send(JSON.stringify({ type: "launch" }));
    await eventually(() => socket.frames.filter((frame) => frame.type === "error").length === 4);
    socket.send({ type: "send", clientId: "fine", body: "still here" });
    expect(await socket.next("ack")).toMatchObject({ clientId: "fine", seq: 1 });
    expect(socket.closed).toBe(false);
  });

  it("answers a flood with rate_limited error frames instead of disconnecting", async () => {
    const { buyer, conversation } = await chatPair();
    const socket = await connect(buyer.client, conversation.id);
    for (let index = 0; index < 25; index++) socket.send({ type: "send", clientId: `f${index}`, body: `flood ${index}` });
    await eventually(() => socket.frames.filter((frame) => frame.type === "ack" || frame.type === "error").length === 25);
    const limited = socket.frames.filter((frame) => frame.type === "error");
    expect(limited.length).toBe(5);
    expect(limited.every((frame) => frame.code === "rate_limited")).toBe(true);
    expect(socket.closed).toBe(false);
  });
});
