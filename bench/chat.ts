// `node bench/chat.ts [--conversations 100] [--sockets-per-side 5] [--seconds 10] [--rate 1]`: chat fan-out
// latency (a send until every socket of both parties has the message) with many sockets across many
// conversations, against a plain WebSocket echo on the same workerd in the same run (the ratio baseline).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import WebSocket from "ws";
import { migrateDatabase } from "../scripts/migrate.ts";
import { projectRoot } from "../scripts/local/bin.ts";
import { startLocalStack } from "../scripts/local/stack.ts";
import { signAccessToken } from "../workers/domain/tokens.ts";
import { percentile, table } from "./harness.ts";
import { buildWorker, startBenchWorker } from "./worker.ts";

const { values: args } = parseArgs({
  options: {
    conversations: { type: "string", default: "100" },
    "sockets-per-side": { type: "string", default: "5" },
    seconds: { type: "string", default: "10" },
    // Messages per second per party: the flood limit allows 2 (20 in 10 s).
    rate: { type: "string", default: "1" },
  },
});
const CONVERSATIONS = Number(args.conversations);
const PER_SIDE = Number(args["sockets-per-side"]);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const SESSION_SECRET = "bench-session-secret-bench-session-secret";

interface Pair {
  id: string;
  buyerId: string;
  sellerId: string;
}

/** Users and conversations straight into Postgres: the bench measures the sockets, not sign-up. */
async function makePairs(databaseUrl: string): Promise<Pair[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const pairs: Pair[] = [];
  for (let index = 0; index < CONVERSATIONS; index++) {
    const users = await client.query<{ id: string }>(
      "insert into users (email, name, password_hash) values ($1, 'Bench Buyer', 'x'), ($2, 'Bench Seller', 'x') returning id",
      [`b${index}-${crypto.randomUUID()}@bench.example`, `s${index}-${crypto.randomUUID()}@bench.example`],
    );
    const [buyer, seller] = users.rows as [{ id: string }, { id: string }];
    const conversation = await client.query<{ id: string }>("insert into conversations (buyer_id, seller_id) values ($1, $2) returning id", [buyer.id, seller.id]);
    pairs.push({ id: conversation.rows[0]!.id, buyerId: buyer.id, sellerId: seller.id });
  }
  await client.end();
  return pairs;
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Opens every socket, then each party sends RATE messages a second for SECONDS; latencies are send → each receipt. */
async function fanOut(base: string, pairs: Pair[]): Promise<number[]> {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const senders: WebSocket[] = [];
  for (const pair of pairs) {
    for (const userId of [pair.buyerId, pair.sellerId]) {
      const token = await signAccessToken(SESSION_SECRET, { userId, sessionId: crypto.randomUUID(), roles: ["buyer"] });
      for (let device = 0; device < PER_SIDE; device++) {
        const socket = await open(`${base}/api/conversations/${pair.id}/ws`, { Cookie: `__Host-session=${token}` });
        socket.on("message", (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { type: string; message?: { clientId: string } };
          const started = frame.type === "message" && frame.message ? sentAt.get(frame.message.clientId) : undefined;
          if (started !== undefined) latencies.push(performance.now() - started);
        });
        if (device === 0) senders.push(socket);
      }
    }
  }
  await drive(senders.map((socket) => (n: number) => {
    const clientId = crypto.randomUUID();
    sentAt.set(clientId, performance.now());
    socket.send(JSON.stringify({ type: "send", clientId, body: `bench message ${n}` }));
  }));
  await settled(() => latencies.length);
  return latencies;
}

/** The echo baseline: the same number of sockets, the same per-sender rate, timed to the echo. */
async function echo(base: string, sockets: number, senders: number): Promise<number[]> {
  const latencies: number[] = [];
  const opened: WebSocket[] = [];
  for (let index = 0; index < sockets; index++) {
    const socket = await open(`${base}/__bench/echo`);
    socket.on("message", (data: Buffer) => latencies.push(performance.now() - Number(data.toString())));
    opened.push(socket);
  }
  await drive(opened.slice(0, senders).map((socket) => () => socket.send(String(performance.now()))));
  await settled(() => latencies.length);
  for (const socket of opened) socket.close();
  return latencies;
}

/** Calls every sender RATE times a second, staggered, for SECONDS; then waits for stragglers. */
async function drive(senders: ((n: number) => void)[]): Promise<void> {
  const interval = 1000 / RATE;
  const timers = senders.map((send, index) => {
    let n = 0;
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        const timer = setInterval(() => {
          send(n++);
          if (n >= SECONDS * RATE) {
            clearInterval(timer);
            resolve();
          }
        }, interval);
      }, (index / senders.length) * interval);
    });
  });
  await Promise.all(timers);
}

/** Waits until the count stops growing for two seconds (at most a minute): a backlog drains before the figures are read. */
async function settled(count: () => number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  while (count() !== last && Date.now() < deadline) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

const summary = (values: number[]) => ({ count: values.length, p50: percentile(values, 50), p99: percentile(values, 99) });

const dataDir = await mkdtemp(join(tmpdir(), "marketplace-chat-bench-"));
const stack = await startLocalStack({ dataDir, database: "bench", fast: true, redisUrl: process.env.REDIS_URL });
try {
  await migrateDatabase(stack.databaseUrl);
  const pairs = await makePairs(stack.databaseUrl);
  const worker = await startBenchWorker(projectRoot, buildWorker(projectRoot, join(dataDir, "build")), {
    ...stack.workerVars,
    SESSION_SECRET,
    APP_ENV: "production",
    PUBLIC_ORIGIN: "https://bench.example",
    BENCH_ROUTES: "on",
  });
  try {
    const base = worker.url.replace(/^http/, "ws");
    const sockets = CONVERSATIONS * PER_SIDE * 2;
    const baseline = summary(await echo(base, sockets, CONVERSATIONS * 2));
    const chat = summary(await fanOut(base, pairs));
    console.log(`\n${sockets} sockets across ${CONVERSATIONS} conversations (${PER_SIDE} per party), each party sending ${RATE}/s for ${SECONDS} s; one workerd.\n`);
    console.log(
      table(
        ["path", "deliveries", "p50 ms", "p99 ms", "p50 ratio", "p99 ratio"],
        [
          ["WebSocket echo (baseline)", baseline.count, baseline.p50.toFixed(2), baseline.p99.toFixed(2), "1.00", "1.00"],
          ["chat fan-out (send → every socket)", chat.count, chat.p50.toFixed(2), chat.p99.toFixed(2), (chat.p50 / baseline.p50).toFixed(2), (chat.p99 / baseline.p99).toFixed(2)],
        ],
      ),
    );
    const expected = CONVERSATIONS * 2 * SECONDS * RATE * PER_SIDE * 2;
    console.log(`\nExpected ${expected} fan-out deliveries, got ${chat.count}${chat.count < expected ? " (some sends were refused or lost: investigate)" : ""}.`);
  } finally {
    await worker.dispose();
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(0);
