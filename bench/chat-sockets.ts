// The bench's chat clients: conversations made straight in Postgres, sockets signed in with access
// tokens and connected through the Worker, and the waits every phase of bench/chat.ts shares.
import pg from "pg";
import WebSocket from "ws";
import { signAccessToken } from "../workers/domain/tokens.ts";

export interface Pair {
  id: string;
  parties: string[];
}

/** Users and conversations straight into Postgres: the bench measures the sockets, not sign-up. */
export async function makePairs(databaseUrl: string, count: number): Promise<Pair[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const pairs: Pair[] = [];
  for (let index = 0; index < count; index++) {
    const users = await client.query<{ id: string }>(
      "insert into users (email, name, password_hash) values ($1, 'Bench Buyer', 'x'), ($2, 'Bench Seller', 'x') returning id",
      [`b${index}-${crypto.randomUUID()}@bench.example`, `s${index}-${crypto.randomUUID()}@bench.example`],
    );
    const [buyer, seller] = users.rows as [{ id: string }, { id: string }];
    const conversation = await client.query<{ id: string }>("insert into conversations (buyer_id, seller_id) values ($1, $2) returning id", [buyer.id, seller.id]);
    pairs.push({ id: conversation.rows[0]!.id, parties: [buyer.id, seller.id] });
  }
  await client.end();
  return pairs;
}

/**
 * How the bench connects: `perSide` sockets per party, signed with the Worker's session secret. Each
 * offers permessage-deflate, as browsers do (the Worker declines it: wrangler.toml).
 */
export function chatSockets(options: { perSide: number; sessionSecret: string }) {
  function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers, perMessageDeflate: true });
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
    });
  }

  /** Every party's sockets (options.perSide each); `onFrame` hears every frame, with the socket that got it. */
  async function connectPairs(base: string, pairs: Pair[], onFrame: (frame: ChatFrame, socket: WebSocket) => void): Promise<WebSocket[][]> {
    const parties: WebSocket[][] = [];
    for (const pair of pairs) {
      for (const userId of pair.parties) {
        const token = await signAccessToken(options.sessionSecret, { userId, sessionId: crypto.randomUUID(), roles: ["buyer"] });
        const devices: WebSocket[] = [];
        for (let device = 0; device < options.perSide; device++) {
          const socket = await open(`${base}/api/conversations/${pair.id}/ws`, { Cookie: `__Host-session=${token}` });
          socket.on("message", (data: Buffer) => onFrame(JSON.parse(data.toString()) as ChatFrame, socket));
          devices.push(socket);
        }
        parties.push(devices);
      }
    }
    return parties;
  }
  return { open, connectPairs };
}

export interface ChatFrame {
  type: string;
  clientId?: string;
  message?: { clientId: string };
}

export const sendFrame = (socket: WebSocket, clientId: string, n: number) => socket.send(JSON.stringify({ type: "send", clientId, body: `bench message ${n}` }));

/** Waits until the count stops growing for two seconds (at most a minute): a backlog drains before the figures are read. */
export async function settled(count: () => number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  while (count() !== last && Date.now() < deadline) {
    last = count();
    await sleep(2000);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function closeAll(sockets: WebSocket[]): void {
  for (const socket of sockets) socket.close();
}
