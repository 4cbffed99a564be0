import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { InboxPage } from "../../workers/domain/conversations.ts";
import type { AttachmentResponse } from "../../workers/routes/conversations.ts";
import { signedIn } from "../support/accounts.ts";
import { chatPair, connect } from "../support/chat.ts";
import { json } from "../support/json.ts";
import { html, page } from "../support/pages.ts";
import { eventually } from "../support/wait.ts";

const stubOf = (conversationId: string) => env.Conversation.get(env.Conversation.idFromName(conversationId));

describe("chat pages", () => {
  it("the Contact button opens the pair's conversation, and its history reads without JavaScript, as text", async () => {
    const { buyer, seller, username, conversation } = await chatPair();
    const contact = await page(buyer.client, `/sellers/${username}/contact`);
    expect(await html(contact)).toContain("Open the conversation");
    const opened = await buyer.client.form(`/sellers/${username}/contact`, {});
    expect(opened.status).toBe(303);
    expect(opened.headers.get("Location")).toBe(`/messages/${conversation.id}`);

    const socket = await connect(seller.client, conversation.id);
    socket.send({ type: "send", clientId: "x", body: "<script>alert(1)</script> hello" });
    await socket.next("ack");
    const res = await page(buyer.client, `/messages/${conversation.id}`);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await html(res);
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; hello");
    expect(body).not.toContain("<script>alert(1)");
    expect(body).toContain('src="/chat.js"');

    const outsider = await signedIn("buyer");
    expect((await page(outsider.client, `/messages/${conversation.id}`)).status).toBe(404);
  });

  it("pages history back with a link when there is more than a page", async () => {
    const { buyer, conversation } = await chatPair();
    // More than the flood limit lets one user send at once: arranged in the object's log directly.
    await runInDurableObject(stubOf(conversation.id), (_instance, state) => {
      for (let seq = 1; seq <= 51; seq++) {
        state.storage.sql.exec("insert into messages (seq, client_id, sender_id, body, at) values (?, ?, ?, ?, ?)", seq, `p${seq}`, buyer.id, `number ${seq}`, Date.now());
      }
    });
    const first = await html(await page(buyer.client, `/messages/${conversation.id}`));
    expect(first).toContain(`href="/messages/${conversation.id}?before=2"`);
    expect(first).not.toContain("number 1<");
    const older = await html(await page(buyer.client, `/messages/${conversation.id}?before=2`));
    expect(older).toContain("number 1<");
    expect(older).not.toContain("Older messages");
    expect(older).toContain(`href="/messages/${conversation.id}">Latest messages`);
    expect(first).not.toContain("Latest messages");
  });

  it("lists conversations in the inbox newest first, a page at a time, with unread counts", async () => {
    const { buyer, conversation: first } = await chatPair();
    const other = await signedIn("seller");
    const username = (await json<{ user: { seller: { username: string } } }>(await other.client.request("/api/me"))).user.seller.username;
    const second = (await json<{ conversation: { id: string } }>(await buyer.client.post("/api/conversations", { sellerUsername: username }))).conversation;
    const socket = await connect(other.client, second.id);
    socket.send({ type: "send", clientId: "hi", body: "Thanks for reaching out" });
    await socket.next("ack");
    await eventually(async () => {
      await runDurableObjectAlarm(stubOf(second.id));
      return (await json<InboxPage>(await buyer.client.request("/api/conversations"))).items[0]?.unreadCount === 1;
    }, 10_000);

    const pageOne = await json<InboxPage>(await buyer.client.request("/api/conversations?limit=1"));
    expect(pageOne.items.map((item) => item.id)).toEqual([second.id]);
    expect(pageOne.items[0]).toMatchObject({ otherParty: { id: other.id, username }, lastMessage: { seq: 1, preview: "Thanks for reaching out" } });
    const pageTwo = await json<InboxPage>(await buyer.client.request(`/api/conversations?limit=1&cursor=${pageOne.nextCursor}`));
    expect(pageTwo).toEqual({ items: [expect.objectContaining({ id: first.id, unreadCount: 0, lastMessage: null })], nextCursor: null });

    const inboxHtml = await html(await page(buyer.client, "/messages"));
    expect(inboxHtml.indexOf(second.id)).toBeLessThan(inboxHtml.indexOf(first.id));
    expect(inboxHtml).toContain('aria-label="1 unread"');
    const lastActivityAt = pageOne.items[0]!.lastActivityAt;
    expect(inboxHtml).toContain(`<time class="muted" datetime="${lastActivityAt}">`);
  });

  it("blocks and unblocks the other party with the page's button (no JavaScript needed)", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const before = await html(await page(seller.client, `/messages/${conversation.id}`));
    expect(before).toContain(`action="/messages/${conversation.id}/block"`);
    const blocked = await seller.client.form(`/messages/${conversation.id}/block`, {});
    expect(blocked.status).toBe(303);
    expect(blocked.headers.get("Location")).toBe(`/messages/${conversation.id}`);
    const after = await html(await page(seller.client, `/messages/${conversation.id}`));
    expect(after).toContain(`action="/messages/${conversation.id}/unblock"`);
    expect(after).toContain("Unblock");

    const socket = await connect(buyer.client, conversation.id);
    socket.send({ type: "send", clientId: "while-blocked", body: "hello?" });
    expect(await socket.next("error", (frame) => frame.clientId === "while-blocked")).toMatchObject({ code: "blocked" });
    expect((await seller.client.form(`/messages/${conversation.id}/unblock`, {})).status).toBe(303);
    socket.send({ type: "send", clientId: "after-unblock", body: "hello again" });
    await socket.next("ack", (frame) => frame.clientId === "after-unblock");
    socket.close();

    const outsider = await signedIn("buyer");
    expect((await outsider.client.form(`/messages/${conversation.id}/block`, {})).status).toBe(404);
  });

  it("links a message's attachments on the server-rendered page", async () => {
    const { buyer, seller, conversation } = await chatPair();
    const res = await buyer.client.request(`/api/conversations/${conversation.id}/attachments?name=${encodeURIComponent("<i>plan.pdf")}`, {
      method: "POST",
      body: "%PDF-1.4",
      headers: { "Content-Type": "application/pdf" },
    });
    const { attachment } = await json<AttachmentResponse>(res);
    const socket = await connect(buyer.client, conversation.id);
    socket.send({ type: "send", clientId: "file", body: "", attachments: [attachment.id] });
    await socket.next("ack");
    socket.close();
    const body = await html(await page(seller.client, `/messages/${conversation.id}`));
    expect(body).toContain(`href="/api/conversations/${conversation.id}/attachments/${attachment.id}"`);
    expect(body).toContain("&lt;i&gt;plan.pdf");
    expect(body).toContain("8 B");
  });
});
