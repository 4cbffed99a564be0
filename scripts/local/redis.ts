import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "./ports.ts";

export interface LocalRedis {
  url: string;
  port: number;
  /** Stops the server (tests use this to prove the site survives a Redis outage). */
  stop(): Promise<void>;
  /** Starts it again on the same port after stop(); does nothing while it runs. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): it takes commands but answers none, as a stalled Redis looks. */
  pause(): Promise<void>;
  /** Lets a paused server answer again (SIGCONT). */
  resume(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Starts a private redis-server child on a free port; it keeps nothing on disk (Redis is only ever a cache here). */
export async function startRedis(options: { port?: number } = {}): Promise<LocalRedis> {
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null) return; // already running
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
      { stdio: "ignore" },
    );
    await waitForPort(port, child);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
      proc.kill("SIGCONT"); // a paused server takes the SIGTERM only once it runs again
    });
  const signal = (name: "SIGSTOP" | "SIGCONT") => {
    child?.kill(name);
    return Promise.resolve();
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, pause: () => signal("SIGSTOP"), resume: () => signal("SIGCONT") };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}
