// CPU accounting for the socket benches: how much CPU workerd and this process spend per phase (from
// /proc, so it counts every thread), and a sampling profile of the Worker's JavaScript through workerd's
// inspector, summarised as the functions that took the most time.
import { readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import WebSocket from "ws";

const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far (user + system, all threads). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds a Postgres cluster has used so far: the postmaster, its live children (the backends, which
 * is where statements run) and the children it has reaped (/proc's cutime and cstime).
 */
export function postgresCpuSeconds(clusterDir: string): number {
  const postmaster = Number(readFileSync(`${clusterDir}/postmaster.pid`, "utf8").split("\n")[0]);
  const own = readFileSync(`/proc/${postmaster}/stat`, "utf8");
  const reaped = own.slice(own.lastIndexOf(")") + 2).split(" ");
  let seconds = processCpuSeconds(postmaster) + (Number(reaped[13]) + Number(reaped[14])) / TICKS_PER_SECOND;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const child = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(child.slice(child.lastIndexOf(")") + 2).split(" ")[1]) === postmaster) seconds += processCpuSeconds(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return seconds;
}

/** The workerd this process started (Miniflare's child). */
export function workerdPid(): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (name === "workerd" && parent === process.pid) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error("no workerd child of this process");
}

/** Resident memory of a process in bytes. */
export function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((row) => row.startsWith("VmRSS:"));
  return Number(line?.match(/\d+/)?.[0] ?? NaN) * 1024;
}

export interface CpuUse {
  workerd: number;
  bench: number;
  /** The stand-ins' process (bench/stack-process.ts), when the bench runs one. */
  stack: number;
  wallSeconds: number;
}

/** Starts counting; the returned function gives the CPU seconds each side used since. */
export function countCpu(workerd: number, stack?: number): () => CpuUse {
  const stackSeconds = () => (stack === undefined ? 0 : processCpuSeconds(stack));
  const started = { workerd: processCpuSeconds(workerd), bench: process.cpuUsage(), stack: stackSeconds(), wall: performance.now() };
  return () => {
    const bench = process.cpuUsage(started.bench);
    return {
      workerd: processCpuSeconds(workerd) - started.workerd,
      bench: (bench.user + bench.system) / 1e6,
      stack: stackSeconds() - started.stack,
      wallSeconds: (performance.now() - started.wall) / 1000,
    };
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A sampling profile of the Worker's isolate, started now and stopped (and written to `file`) by the returned function. */
export async function profileWorker(inspectorPort: number, file: string): Promise<() => Promise<string>> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string; title: string }[];
  const target = targets.find((candidate) => !candidate.title.startsWith("miniflare") && !candidate.title.startsWith("__")) ?? targets[0];
  if (!target) throw new Error("workerd's inspector lists no target");
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<{ profile?: Profile }>((resolve) => {
      const id = ++next;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result?: { profile?: Profile } };
        if (reply.id !== id) return;
        socket.off("message", onMessage);
        resolve(reply.result ?? {});
      };
      socket.on("message", onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  return async () => {
    const { profile } = await call("Profiler.stop");
    socket.close();
    if (!profile) throw new Error("the inspector returned no profile");
    await writeFile(file, JSON.stringify(profile));
    return summarise(profile);
  };
}

/** The 25 functions with the most self time, and each one's share of the profiled time. */
function summarise(profile: Profile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").at(-1) ?? ""}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`)
    .join("\n");
}
