import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "../../workers/data/schema/index.ts";
import { attachmentKey, MAX_ATTACHMENT_BYTES } from "../../workers/domain/chat-attachments.ts";
import type { AttachmentResponse, HistoryResponse } from "../../workers/routes/conversations.ts";
import { signedIn } from "../support/accounts.ts";
import { chatPair, connect } from "../support/chat.ts";
import { Client } from "../support/client.ts";
import { testDb } from "../support/db.ts";
import { json, type ErrorBody } from "../support/json.ts";
import { eventually } from "../support/wait.ts";

type Session = Awaited<ReturnType<typeof signedIn>>;

const upload = (who: Session | { client: Client }, conversationId: string, name: string, body: BodyInit, contentType = "text/plain") =>
  who.client.request(`/api/conversations/${conversationId}/attachments?name=${encodeURIComponent(name)}`, { method: "POST", body, headers: { "Content-Type": contentType } });

async function uploaded(who: Session, conversationId: string, name: string, body: BodyInit, contentType?: string) {
  const res = await upload(who, conversationId, name, body, contentType);
  expect(res.status).toBe(201);
  return (await json<AttachmentResponse>(res)).attachment;
}

const download = (who: { client: Client }, conversationId: string, attachmentId: string) =>
  who.client.request(`/api/conversations/${conversationId}/attachments/${attachmentId}`);

/** A body of `bytes` zero bytes, streamed in 1 MiB chunks and sent without a Content-Length. */
function zeros(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      const size = Math.min(left, 1024 * 1024);
      left -= size;
      if (size > 0) controller.enqueue(new Uint8Array(size));
      if (left === 0) controller.close();
    },
  });
}

describe("attachments", () => {
  it("are uploaded, sent by id in a message, fanned out, downloaded by the other party and written behind", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const brief = await uploaded(buyer, conversation.id, "brief (v2).txt", "the brief", "text/plain; charset=utf-8");
    expect(brief).toMatchObject({ name: "brief (v2).txt", size: 9, contentType: "text/plain" });
    const page = await uploaded(buyer, conversation.id, "page.html", "<script>alert(1)</script>", "text/html");
    const buyerSocket = await connect(buyer.client, conversation.id);
    const sellerSocket = await connect(seller.client, conversation.id);
    buyerSocket.send({ type: "send", clientId: "with-files", body: "", attachments: [brief.id, page.id] });
    const { seq } = await buyerSocket.next("ack", (frame) => frame.clientId === "with-files");
    const received = await sellerSocket.next("message", (frame) => frame.message.seq === seq);
    expect(received.message.attachments).toEqual([brief, page]);

    const file = await download(seller, conversation.id, brief.id);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("the brief");
    expect(file.headers.get("Content-Disposition")).toBe("attachment; filename*=UTF-8''brief%20(v2).txt");
    const html = await download(seller, conversation.id, page.id);
    // Never rendered on the site's origin: downloaded, never sniffed.
    expect(html.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    expect(html.headers.get("X-Content-Type-Options")).toBe("nosniff");
    await html.body?.cancel();

    const history = await json<HistoryResponse>(await seller.client.request(`/api/conversations/${conversation.id}/messages`));
    expect(history.messages[0]?.attachments).toEqual([brief, page]);
    const stub = env.Conversation.get(env.Conversation.idFromName(conversation.id));
    await eventually(async () => {
      await runDurableObjectAlarm(stub);
      const [row] = await testDb().primary.select().from(messages).where(eq(messages.conversationId, conversation.id));
      return row !== undefined && JSON.stringify(row.attachments) === JSON.stringify([brief, page]);
    }, 10_000);
    buyerSocket.close();
    sellerSocket.close();
  });

  it("are served only to the conversation's participants: an outsider gets 404, a stranger 401", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const brief = await uploaded(buyer, conversation.id, "brief.txt", "private");
    const outsider = await signedIn("buyer");
    expect((await download(outsider, conversation.id, brief.id)).status).toBe(404);
    expect((await download({ client: new Client() }, conversation.id, brief.id)).status).toBe(401);
    const refused = await upload(outsider, conversation.id, "x.txt", "x");
    expect(refused.status).toBe(404);
    expect((await json<ErrorBody>(refused)).error.code).toBe("not_found");
    // The uploader sees an unsent file; the other party only once it is sent.
    expect(await (await download(buyer, conversation.id, brief.id)).text()).toBe("private");
    expect((await download(seller, conversation.id, brief.id)).status).toBe(404);
    // An id from another conversation is unknown here, even to a participant of both.
    const other = await chatPair();
    const elsewhere = await uploaded(other.buyer, other.conversation.id, "other.txt", "other");
    expect((await download(buyer, conversation.id, elsewhere.id)).status).toBe(404);
    expect((await download(buyer, conversation.id, crypto.randomUUID())).status).toBe(404);
    expect((await download(buyer, conversation.id, "not-an-id")).status).toBe(400);
  });

  it("refuses a file the sender did not upload, one already sent, more than 5, and an empty send", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const mine = await uploaded(buyer, conversation.id, "a.txt", "a");
    const sellerSocket = await connect(seller.client, conversation.id);
    sellerSocket.send({ type: "send", clientId: "not-mine", body: "look", attachments: [mine.id] });
    expect(await sellerSocket.next("error", (frame) => frame.clientId === "not-mine")).toMatchObject({ code: "invalid_frame" });
    const buyerSocket = await connect(buyer.client, conversation.id);
    buyerSocket.send({ type: "send", clientId: "first", body: "one", attachments: [mine.id] });
    await buyerSocket.next("ack", (frame) => frame.clientId === "first");
    buyerSocket.send({ type: "send", clientId: "again", body: "two", attachments: [mine.id] });
    expect(await buyerSocket.next("error", (frame) => frame.clientId === "again")).toMatchObject({ code: "invalid_frame" });
    const six = Array.from({ length: 6 }, () => crypto.randomUUID());
    buyerSocket.send({ type: "send", clientId: "six", body: "many", attachments: six });
    expect(await buyerSocket.next("error", (frame) => frame.clientId === "six")).toMatchObject({ code: "invalid_frame" });
    buyerSocket.send({ type: "send", clientId: "empty", body: "  " });
    expect(await buyerSocket.next("error", (frame) => frame.clientId === "empty")).toMatchObject({ code: "invalid_frame" });
    expect(buyerSocket.messages().map((message) => message.clientId)).toEqual(["first"]);
    buyerSocket.close();
    sellerSocket.close();
  });

  it("stores a form-encoded raw body as binary, and takes a multipart part's own type and filename", async () => {
    const { buyer, conversation } = await chatPair();
    expect(await uploaded(buyer, conversation.id, "notes.txt", "a=1", "application/x-www-form-urlencoded")).toMatchObject({ contentType: "application/octet-stream" });

    const form = new FormData();
    form.append("file", new File(["col,umn"], "table.csv", { type: "text/csv" }));
    const res = await buyer.client.request(`/api/conversations/${conversation.id}/attachments`, { method: "POST", body: form });
    expect(res.status).toBe(201);
    const { attachment } = await json<AttachmentResponse>(res);
    expect(attachment).toMatchObject({ name: "table.csv", contentType: "text/csv", size: 7 });
    // The uploader may fetch it at once (the other party once it is sent).
    const file = await download(buyer, conversation.id, attachment.id);
    expect(await file.text()).toBe("col,umn");
    expect(file.headers.get("Content-Type")).toBe("text/csv");

    const renamed = new FormData();
    renamed.append("file", new File(["x"], "draft.bin"));
    const named = await buyer.client.request(`/api/conversations/${conversation.id}/attachments?name=final.bin`, { method: "POST", body: renamed });
    expect((await json<AttachmentResponse>(named)).attachment).toMatchObject({ name: "final.bin", contentType: "application/octet-stream" });
    const wrongField = new FormData();
    wrongField.append("photo", new File(["x"], "a.bin"));
    const missing = await buyer.client.request(`/api/conversations/${conversation.id}/attachments`, { method: "POST", body: wrongField });
    expect(missing.status).toBe(400);
    expect(await json<ErrorBody>(missing)).toMatchObject({ error: { message: 'Send the file as the multipart field "file".' } });
    const unnamed = await buyer.client.request(`/api/conversations/${conversation.id}/attachments`, { method: "POST", body: "bytes", headers: { "Content-Type": "text/plain" } });
    expect(unnamed.status).toBe(400);
  });

  it("refuses a file over 25 MB (declared or streamed), an empty file and a bad name", async () => {
    const { buyer, conversation } = await chatPair();
    const streamed = await upload(buyer, conversation.id, "big.bin", zeros(MAX_ATTACHMENT_BYTES + 1), "application/octet-stream");
    expect(streamed.status).toBe(413);
    expect((await json<ErrorBody>(streamed)).error.code).toBe("payload_too_large");
    const declared = await buyer.client.request(`/api/conversations/${conversation.id}/attachments?name=big.bin`, {
      method: "POST",
      body: zeros(1024),
      headers: { "Content-Length": String(MAX_ATTACHMENT_BYTES + 1) },
    });
    expect(declared.status).toBe(413);
    expect((await upload(buyer, conversation.id, "empty.txt", "")).status).toBe(400);
    expect((await upload(buyer, conversation.id, "../etc/passwd", "x")).status).toBe(400);
    expect((await buyer.client.request(`/api/conversations/${conversation.id}/attachments`, { method: "POST", body: "x" })).status).toBe(400);
    // Exactly the limit is fine.
    expect((await upload(buyer, conversation.id, "limit.bin", zeros(MAX_ATTACHMENT_BYTES), "application/octet-stream")).status).toBe(201);
  });

  it("an upload no message carried within a day is deleted, bytes and record; sent and fresh ones stay; a repeated sweep is harmless", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const stale = await uploaded(buyer, conversation.id, "stale.txt", "never sent");
    const sent = await uploaded(buyer, conversation.id, "sent.txt", "sent long ago");
    const fresh = await uploaded(buyer, conversation.id, "fresh.txt", "just uploaded");
    const buyerSocket = await connect(buyer.client, conversation.id);
    buyerSocket.send({ type: "send", clientId: "carries-one", body: "here", attachments: [sent.id] });
    await buyerSocket.next("ack", (frame) => frame.clientId === "carries-one");

    const stub = env.Conversation.get(env.Conversation.idFromName(conversation.id));
    // A day passes for the first two uploads.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("update unsent_uploads set expires_at = 0 where id in (?, ?)", stale.id, sent.id);
    });
    const stored = (id: string) => env.IMAGES_BUCKET.head(attachmentKey(conversation.id, id));
    await eventually(async () => {
      await runDurableObjectAlarm(stub);
      return (await stored(stale.id)) === null;
    }, 10_000);
    expect((await download(buyer, conversation.id, stale.id)).status).toBe(404);
    buyerSocket.send({ type: "send", clientId: "too-late", body: "", attachments: [stale.id] });
    expect(await buyerSocket.next("error", (frame) => frame.clientId === "too-late")).toMatchObject({ code: "invalid_frame" });
    expect(await (await download(seller, conversation.id, sent.id)).text()).toBe("sent long ago");
    expect(await (await download(buyer, conversation.id, fresh.id)).text()).toBe("just uploaded");

    // Nothing is left to delete but the fresh upload's clock, whose expiry the alarm still waits for.
    const left = () =>
      runInDurableObject(stub, async (_instance, state) => ({
        uploads: state.storage.sql.exec<{ id: string }>("select id from unsent_uploads").toArray().map((row) => row.id),
        alarm: await state.storage.getAlarm(),
      }));
    const waiting = await left();
    expect(waiting.uploads).toEqual([fresh.id]);
    expect(waiting.alarm).not.toBeNull();
    // An expired sweep that died after R2 deleted the bytes runs again without harm.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("insert into unsent_uploads (id, expires_at, doomed) values (?, 0, 1)", stale.id);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await left()).uploads).toEqual([fresh.id]);
    expect(await (await download(buyer, conversation.id, fresh.id)).text()).toBe("just uploaded");
    buyerSocket.close();
  });
});
