import { serverFrame, type ClientFrame, type ServerFrame } from "../../workers/domain/chat-protocol.ts";
import type { ConversationResponse } from "../../workers/domain/conversations.ts";
import type { UserResponse } from "../../workers/domain/views.ts";
import { signedIn } from "./accounts.ts";
import { SITE_ORIGIN, type Client } from "./client.ts";
import { json } from "./json.ts";
import { eventually } from "./wait.ts";

/** Asks for the conversation socket as a browser on the site would; the raw answer (101 or a refusal). */
export function upgrade(client: Client, conversationId: string, origin: string | null = SITE_ORIGIN): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket" };
  if (origin !== null) headers.Origin = origin;
  return client.request(`/api/conversations/${conversationId}/ws`, { headers });
}

/** One connected device: every frame it received (parsed by the protocol's own schema), in order. */
export class ChatSocket {
  readonly frames: ServerFrame[] = [];
  closed = false;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener("message", (event) => {
      this.frames.push(serverFrame.parse(JSON.parse(event.data as string)));
    });
    ws.addEventListener("close", () => {
      this.closed = true;
    });
  }

  send(frame: ClientFrame | string): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits for the first frame received that matches; returns it. */
  async next<T extends ServerFrame["type"]>(type: T, match: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true): Promise<Extract<ServerFrame, { type: T }>> {
    let found: Extract<ServerFrame, { type: T }> | undefined;
    await eventually(() => {
      found = this.frames.find((frame): frame is Extract<ServerFrame, { type: T }> => frame.type === type && match(frame as Extract<ServerFrame, { type: T }>));
      return found !== undefined;
    }, 5000);
    return found!;
  }

  /** The messages received so far, by sequence. */
  messages() {
    return this.frames.flatMap((frame) => (frame.type === "message" ? [frame.message] : []));
  }

  close(): void {
    this.ws.close(1000, "done");
  }
}

export async function connect(client: Client, conversationId: string): Promise<ChatSocket> {
  const res = await upgrade(client, conversationId);
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  return new ChatSocket(res.webSocket);
}

/** A buyer and a seller with a conversation between them (started from the seller's profile). */
export async function chatPair() {
  const buyer = await signedIn("buyer");
  const seller = await signedIn("seller");
  const me = await json<UserResponse>(await seller.client.request("/api/me"));
  const username = me.user.seller!.username;
  const res = await buyer.client.post("/api/conversations", { sellerUsername: username });
  if (res.status !== 200) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  const { conversation } = await json<ConversationResponse>(res);
  return { buyer, seller, username, conversation };
}
