// `npm run bench:chat -- [--conversations 100] [--sockets-per-side 5] [--seconds 10] [--warmup 2] [--rate 1]
//   [--only fanout,saturation,memory] [--idle-sockets 1000] [--idle-seconds 30] [--cpu-profile file] [--disk-storage]`:
// chat fan-out latency (a send until every socket of both parties has the message) with many sockets
// across many conversations, one conversation's saturation, and workerd's memory per idle chat socket,
// each against a plain WebSocket echo on the same workerd in the same run (the ratio baseline).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type WebSocket from "ws";
import { projectRoot } from "../scripts/local/bin.ts";
import { chatSockets, closeAll, makePairs, sendFrame, settled, sleep, type Pair } from "./chat-sockets.ts";
import { countCpu, profileWorker, residentBytes, workerdPid, type CpuUse } from "./cpu.ts";
import { percentile, table } from "./harness.ts";
import { startStackProcess } from "./stack-process.ts";
import { buildWorker, startBenchWorker } from "./worker.ts";

const { values: args } = parseArgs({
  options: {
    conversations: { type: "string", default: "100" },
    "sockets-per-side": { type: "string", default: "5" },
    seconds: { type: "string", default: "10" },
    // Seconds of unmeasured sends before each fan-out and echo phase (see warmUp).
    warmup: { type: "string", default: "2" },
    // Messages per second per party: the flood limit allows 2 (20 in 10 s).
    rate: { type: "string", default: "1" },
    only: { type: "string", default: "fanout" },
    "idle-sockets": { type: "string", default: "1000" },
    "idle-seconds": { type: "string", default: "30" },
    // Writes a sampling profile of the Worker's JavaScript during the fan-out to this file and prints its top functions.
    "cpu-profile": { type: "string" },
    // Durable Object storage in Miniflare's temporary directory on disk instead of a tmpfs (see bench/worker.ts, storageDir).
    "disk-storage": { type: "boolean", default: false },
  },
});
const CONVERSATIONS = Number(args.conversations);
const PER_SIDE = Number(args["sockets-per-side"]);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const RATE = Number(args.rate);
const IDLE_SOCKETS = Number(args["idle-sockets"]);
const PHASES = new Set(args.only.split(","));
const SESSION_SECRET = "bench-session-secret-bench-session-secret";
const INSPECTOR_PORT = 9329;
const dataDir = await mkdtemp(join(tmpdir(), "marketplace-chat-bench-"));
const storageDir = args["disk-storage"] || !existsSync("/dev/shm") ? undefined : await mkdtemp("/dev/shm/marketplace-chat-bench-");
const stack = await startStackProcess(dataDir, "bench");
/** workerd's CPU, this process's (the clients) and the stand-ins' process's. */
const counting = () => countCpu(workerdPid(), stack.pid);
const { open, connectPairs } = chatSockets({ perSide: PER_SIDE, sessionSecret: SESSION_SECRET });

interface Measured {
  latencies: number[];
  /** The warm-up's latencies, reported apart. */
  warm: number[];
  cpu: CpuUse;
  sends: number;
}

/**
 * Sends unmeasured for WARMUP seconds and waits until they are all delivered (and so written behind):
 * the first second of a fresh stack pays for cold code, the stand-in's first Postgres connections and
 * each object's first write-behind. Answers the warm-up's own latencies (printed, never counted).
 */
async function warmUp(senders: ((n: number) => void)[], latencies: number[]): Promise<number[]> {
  await drive(senders, WARMUP);
  await settled(() => latencies.length);
  return latencies.splice(0);
}

/** Each party's first socket sends RATE messages a second for SECONDS; latencies are send → each receipt. */
async function fanOut(base: string, pairs: Pair[]): Promise<Measured> {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const parties = await connectPairs(base, pairs, (frame) => {
    const started = frame.type === "message" && frame.message ? sentAt.get(frame.message.clientId) : undefined;
    if (started !== undefined) latencies.push(performance.now() - started);
  });
  const senders = parties.map(([socket]) => (n: number) => {
    const clientId = crypto.randomUUID();
    sentAt.set(clientId, performance.now());
    sendFrame(socket!, clientId, n);
  });
  const warm = await warmUp(senders, latencies);
  sentAt.clear();
  const stopProfile = args["cpu-profile"] ? await profileWorker(INSPECTOR_PORT, args["cpu-profile"]) : undefined;
  const cpu = counting();
  await drive(senders);
  await settled(() => latencies.length);
  const used = cpu();
  if (stopProfile) console.log(`\nWorker JavaScript during the fan-out, by self time (profile in ${args["cpu-profile"]}):\n${await stopProfile()}`);
  closeAll(parties.flat());
  return { latencies, warm, cpu: used, sends: sentAt.size };
}

/** The echo baseline: the same number of sockets, the same per-sender rate, timed to the echo. */
async function echo(base: string, sockets: number, senders: number): Promise<Measured> {
  const latencies: number[] = [];
  const opened: WebSocket[] = [];
  for (let index = 0; index < sockets; index++) {
    const socket = await open(`${base}/__bench/echo`);
    socket.on("message", (data: Buffer) => latencies.push(performance.now() - Number(data.toString())));
    opened.push(socket);
  }
  const send = opened.slice(0, senders).map((socket) => () => socket.send(String(performance.now())));
  const warm = await warmUp(send, latencies);
  const cpu = counting();
  await drive(send);
  await settled(() => latencies.length);
  const used = cpu();
  closeAll(opened);
  return { latencies, warm, cpu: used, sends: latencies.length };
}

/** Calls every sender RATE times a second, staggered, for `seconds`. */
async function drive(senders: ((n: number) => void)[], seconds = SECONDS): Promise<void> {
  const interval = 1000 / RATE;
  const timers = senders.map((send, index) => {
    let n = 0;
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        const timer = setInterval(() => {
          send(n++);
          if (n >= seconds * RATE) {
            clearInterval(timer);
            resolve();
          }
        }, interval);
      }, (index / senders.length) * interval);
    });
  });
  await Promise.all(timers);
}

/**
 * Saturation: every socket of one conversation sends its next message as soon as its previous one is
 * acknowledged, for SECONDS; answers acknowledged sends per second. The bench bundle lifts the flood
 * limit (see BENCH_CHAT_FLOOD_LIMIT), which would otherwise cap each party at 2 a second.
 */
async function saturate(base: string, pair: Pair): Promise<{ perSecond: number; cpu: CpuUse }> {
  let acked = 0;
  let running = true;
  let n = 0;
  const next = (socket: WebSocket) => {
    if (running) sendFrame(socket, crypto.randomUUID(), n++);
  };
  const parties = await connectPairs(base, [pair], (frame, socket) => {
    if (frame.type !== "ack") return;
    acked++;
    next(socket);
  });
  const cpu = counting();
  for (const socket of parties.flat()) next(socket);
  await sleep(SECONDS * 1000);
  running = false;
  const counted = acked;
  const used = cpu();
  await sleep(1000);
  closeAll(parties.flat());
  return { perSecond: counted / used.wallSeconds, cpu: used };
}

/** The baseline: as many echo sockets, each sending again as soon as its echo is back. */
async function echoSaturation(base: string, sockets: number): Promise<{ perSecond: number; cpu: CpuUse }> {
  let echoed = 0;
  let running = true;
  const opened = await Promise.all(Array.from({ length: sockets }, () => open(`${base}/__bench/echo`)));
  for (const socket of opened) {
    socket.on("message", () => {
      echoed++;
      if (running) socket.send("x");
    });
  }
  const cpu = counting();
  for (const socket of opened) socket.send("x");
  await sleep(SECONDS * 1000);
  running = false;
  const counted = echoed;
  const used = cpu();
  closeAll(opened);
  return { perSecond: counted / used.wallSeconds, cpu: used };
}

/**
 * workerd's resident memory per socket: echo sockets opened (and kept open), then as many chat sockets
 * on top, then left idle for `idleSeconds` (their objects may hibernate). Nothing is closed before the
 * last reading, so no phase reuses memory another freed.
 */
async function memoryPerSocket(base: string, pairs: Pair[], idleSeconds: number): Promise<{ echo: number; chatOpen: number; chatIdle: number; sockets: number }> {
  const pid = workerdPid();
  await sleep(2000);
  const start = residentBytes(pid);
  const echoes = await Promise.all(Array.from({ length: IDLE_SOCKETS }, () => open(`${base}/__bench/echo`)));
  await sleep(2000);
  const withEcho = residentBytes(pid);
  const chats = (await connectPairs(base, pairs, () => {})).flat();
  await sleep(2000);
  const chatOpen = (residentBytes(pid) - withEcho) / chats.length;
  await sleep(idleSeconds * 1000);
  const chatIdle = (residentBytes(pid) - withEcho) / chats.length;
  closeAll([...echoes, ...chats]);
  return { echo: (withEcho - start) / echoes.length, chatOpen, chatIdle, sockets: chats.length };
}

const summary = (values: number[]) => ({ count: values.length, p50: percentile(values, 50), p99: percentile(values, 99) });
const cpuMs = (cpu: CpuUse, count: number, side: "workerd" | "bench" | "stack") => ((cpu[side] * 1000) / count).toFixed(2);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

async function report(base: string, databaseUrl: string): Promise<void> {
  if (PHASES.has("fanout")) {
    const pairs = await makePairs(databaseUrl, CONVERSATIONS);
    const sockets = CONVERSATIONS * PER_SIDE * 2;
    const baselineRun = await echo(base, sockets, CONVERSATIONS * 2);
    const chatRun = await fanOut(base, pairs);
    const [baseline, chat] = [summary(baselineRun.latencies), summary(chatRun.latencies)];
    console.log(`\n${sockets} sockets across ${CONVERSATIONS} conversations (${PER_SIDE} per party), each party sending ${RATE}/s for ${SECONDS} s; one workerd.\n`);
    console.log(
      table(
        ["path", "deliveries", "p50 ms", "p99 ms", "p50 ratio", "p99 ratio", "workerd CPU ms / send", "bench CPU ms / send", "stand-ins CPU ms / send"],
        [
          ["WebSocket echo (baseline)", baseline.count, baseline.p50.toFixed(2), baseline.p99.toFixed(2), "1.00", "1.00", ...(["workerd", "bench", "stack"] as const).map((side) => cpuMs(baselineRun.cpu, baselineRun.sends, side))],
          ["chat fan-out (send → every socket)", chat.count, chat.p50.toFixed(2), chat.p99.toFixed(2), (chat.p50 / baseline.p50).toFixed(2), (chat.p99 / baseline.p99).toFixed(2), ...(["workerd", "bench", "stack"] as const).map((side) => cpuMs(chatRun.cpu, chatRun.sends, side))],
        ],
      ),
    );
    const [warmBaseline, warmChat] = [summary(baselineRun.warm), summary(chatRun.warm)];
    if (WARMUP > 0) console.log(`\nWarm-up (${WARMUP} s before each, not counted above): echo p50 ${warmBaseline.p50.toFixed(2)} / p99 ${warmBaseline.p99.toFixed(2)} ms, chat p50 ${warmChat.p50.toFixed(2)} / p99 ${warmChat.p99.toFixed(2)} ms.`);
    const expected = CONVERSATIONS * 2 * SECONDS * RATE * PER_SIDE * 2;
    console.log(`\nExpected ${expected} fan-out deliveries, got ${chat.count}${chat.count < expected ? " (some sends were refused or lost: investigate)" : ""}.`);
  }
  if (PHASES.has("saturation")) {
    const [pair] = await makePairs(databaseUrl, 1);
    const baseline = await echoSaturation(base, PER_SIDE * 2);
    const chat = await saturate(base, pair!);
    console.log(`\nSaturation: ${PER_SIDE * 2} sockets each sending again on its ack (echo: on its echo), ${SECONDS} s.\n`);
    console.log(
      table(
        ["path", "messages / s", "ratio", "workerd CPU s / wall s"],
        [
          ["WebSocket echo (baseline)", baseline.perSecond.toFixed(0), "1.00", (baseline.cpu.workerd / baseline.cpu.wallSeconds).toFixed(2)],
          ["one conversation (send → ack + fan-out to every socket)", chat.perSecond.toFixed(0), (chat.perSecond / baseline.perSecond).toFixed(2), (chat.cpu.workerd / chat.cpu.wallSeconds).toFixed(2)],
        ],
      ),
    );
  }
  if (PHASES.has("memory")) {
    const idleSeconds = Number(args["idle-seconds"]);
    const pairs = await makePairs(databaseUrl, Math.ceil(IDLE_SOCKETS / (PER_SIDE * 2)));
    const memory = await memoryPerSocket(base, pairs, idleSeconds);
    console.log(`\nworkerd resident memory per socket: ${IDLE_SOCKETS} echo sockets, then ${memory.sockets} chat sockets (${pairs.length} conversations) on top, idle ${idleSeconds} s.\n`);
    console.log(
      table(
        ["sockets", "KiB / socket after open", "KiB / socket idle"],
        [
          ["WebSocket echo (baseline, not hibernatable)", kib(memory.echo), "–"],
          ["chat (hibernatable)", kib(memory.chatOpen), kib(memory.chatIdle)],
        ],
      ),
    );
  }
}

try {
  const worker = await startBenchWorker(
    projectRoot,
    buildWorker(projectRoot, join(dataDir, "build"), { BENCH_CHAT_FLOOD_LIMIT: "1000000000" }),
    { ...stack.workerVars, SESSION_SECRET, APP_ENV: "production", PUBLIC_ORIGIN: "https://bench.example", BENCH_ROUTES: "on" },
    { inspectorPort: args["cpu-profile"] ? INSPECTOR_PORT : undefined, direct: true, storageDir },
  );
  try {
    await report(worker.url.replace(/^http/, "ws"), stack.databaseUrl);
  } finally {
    await worker.dispose();
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
}
process.exit(0);
