import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { CHAT_CONVERSATION_HEADER, CHAT_USER_HEADER } from "../domain/chat-room.ts";
import type { ChatAttachment, ChatMessage } from "../domain/chat-protocol.ts";

/**
 * The typed client of the Conversation objects: one object per conversation id. Callers have already
 * checked that the user takes part (domain/conversations.ts), so the object never sees an outsider.
 */
const conversationStub = (env: Env, conversationId: string) => env.Conversation.get(env.Conversation.idFromName(conversationId));

/** Hands an authenticated upgrade to the object, with the identity the Worker vouches for (never the client's headers). */
export async function connectToConversation(c: Context<AppEnv>, conversationId: string, userId: string): Promise<Response> {
  const headers = new Headers({ Upgrade: "websocket", [CHAT_USER_HEADER]: userId, [CHAT_CONVERSATION_HEADER]: conversationId });
  const res = await conversationStub(c.env, conversationId).fetch(new Request(c.req.url, { headers }));
  // A fresh Response, so the middleware after us may still set headers on it.
  return new Response(null, { status: res.status, headers: res.headers, webSocket: res.webSocket });
}

export async function conversationHistory(c: Context<AppEnv>, conversationId: string, before: number | undefined, limit: number): Promise<ChatMessage[]> {
  return conversationStub(c.env, conversationId).history(before, limit);
}

export async function blockInConversation(c: Context<AppEnv>, conversationId: string, blockerId: string, blocked: boolean): Promise<void> {
  await conversationStub(c.env, conversationId).block(blockerId, blocked);
}

export async function isBlocking(c: Context<AppEnv>, conversationId: string, userId: string): Promise<boolean> {
  return conversationStub(c.env, conversationId).blocking(userId);
}

export async function recordAttachment(c: Context<AppEnv>, conversationId: string, uploaderId: string, attachment: ChatAttachment): Promise<void> {
  await conversationStub(c.env, conversationId).attach(conversationId, uploaderId, attachment);
}

export async function findAttachment(c: Context<AppEnv>, conversationId: string, userId: string, attachmentId: string): Promise<ChatAttachment | undefined> {
  return (await conversationStub(c.env, conversationId).attachment(userId, attachmentId)) ?? undefined;
}
