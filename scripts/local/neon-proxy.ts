// Local stand-in for Neon's proxy, so the unchanged @neondatabase/serverless driver can talk to a
// local PostgreSQL: `POST /sql` is "SQL over HTTP" (neon(), neon().transaction()), and WebSocket
// upgrades on `/v2` carry the raw Postgres protocol (Pool, Client). Only for `npm run dev` and tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer as WebSocketServerClass } from "ws";
import { createSqlOverHttp, type SqlOverHttp } from "./neon-http-sql.ts";

export interface NeonProxy {
  port: number;
  /** "127.0.0.1:<port>" */
  address: string;
  close(): Promise<void>;
}

export interface NeonProxyOptions {
  postgresPort: number;
  postgresHost?: string;
  port?: number;
  log?: (line: string) => void;
}

// Loaded with require: under Vite (the vitest global setup) `import "ws"` resolves to its browser stub.
const { WebSocketServer } = createRequire(import.meta.url)("ws") as { WebSocketServer: typeof WebSocketServerClass };

// Past this much unsent data in one direction, stop reading from the other side until it drains.
const HIGH_WATER_MARK = 4 * 1024 * 1024;

export async function startNeonProxy(options: NeonProxyOptions): Promise<NeonProxy> {
  const target = { host: options.postgresHost ?? "127.0.0.1", port: options.postgresPort };
  const log = options.log ?? (() => {});
  const sql = createSqlOverHttp(target, log);
  const tunnels = new Set<Socket>();
  const webSockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const server = createServer((request, response) => routeHttp(sql, request, response));
  // Outlive the clients' idle keep-alive so a reused connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (refuseUpgrade(request, socket)) return;
    webSockets.handleUpgrade(request, socket, head, (ws) => tunnel(ws, socket, { target, tunnels, log }));
  });
  const port = await listen(server, options.port ?? 0);

  return {
    port,
    address: `127.0.0.1:${port}`,
    async close() {
      for (const ws of webSockets.clients) ws.terminate();
      for (const tcp of tunnels) tcp.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await sql.close();
    },
  };
}

/** `POST /sql` is SQL over HTTP; any other request is refused in Neon's JSON. */
function routeHttp(sql: SqlOverHttp, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/sql" && request.method === "POST") {
    void sql.handle(request, response);
    return;
  }
  const status = path === "/sql" ? 405 : 404;
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ message: status === 405 ? "use POST /sql" : `no such endpoint: ${path}` }));
}

/** Answers (and so refuses) a WebSocket upgrade that is not the driver's; false lets it through. */
function refuseUpgrade(request: IncomingMessage, socket: Duplex): boolean {
  // Browsers let any page open a WebSocket to 127.0.0.1 and always say which page it is; the Neon
  // driver (workerd, Node) sends no Origin. So a request with one is a web page reaching for the database.
  if (request.headers.origin !== undefined) {
    socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    return true;
  }
  if (new URL(request.url ?? "/", "http://localhost").pathname !== "/v2") {
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    return true;
  }
  return false;
}

interface Tunnels {
  target: { host: string; port: number };
  /** Every open connection to Postgres, so closing the proxy can drop them. */
  tunnels: Set<Socket>;
  log: (line: string) => void;
}

/** One TCP connection to Postgres per WebSocket; bytes pass unchanged both ways, startup and auth included. */
function tunnel(ws: WebSocket, socket: Duplex, { target, tunnels, log }: Tunnels): void {
  const tcp = connect({ host: target.host, port: target.port, noDelay: true });
  tunnels.add(tcp);
  pipeWithBackpressure(ws, tcp);

  let failure: string | undefined;
  tcp.on("error", (error) => {
    failure = `Postgres connection failed: ${error.message || (error as NodeJS.ErrnoException).code}`;
    log(`neon proxy: ${failure}`);
  });
  tcp.on("close", () => {
    tunnels.delete(tcp);
    if (ws.readyState !== ws.OPEN) return;
    if (failure) ws.close(1011, failure.slice(0, 120));
    // Postgres hung up (after Terminate, or after a FATAL error it has sent). Its last bytes are
    // already written to the socket; end the socket after them without a close frame, because
    // workerd turns a server's close frame into an "error" event, which pg raises on pool.end().
    else socket.end();
  });
  // The client went away: drop the backend at once so it exits and releases its locks.
  ws.on("close", () => tcp.destroy());
  ws.on("error", (error) => {
    log(`neon proxy: WebSocket failed: ${error.message}`);
    tcp.destroy();
  });
}

/** Bytes both ways; a side that falls HIGH_WATER_MARK behind pauses the other until it catches up. */
function pipeWithBackpressure(ws: WebSocket, tcp: Socket): void {
  // A WebSocket message is just a slice of the byte stream. Writes made while the socket is
  // still connecting are queued by net.Socket, so early client bytes are not lost.
  ws.on("message", (data) => {
    if (tcp.destroyed) return;
    if (!tcp.write(data as Buffer) && !ws.isPaused) {
      ws.pause();
      tcp.once("drain", () => ws.resume());
    }
  });
  tcp.on("data", (chunk) => {
    ws.send(chunk, { binary: true }, () => {
      if (tcp.isPaused() && ws.bufferedAmount < HIGH_WATER_MARK) tcp.resume();
    });
    if (ws.bufferedAmount >= HIGH_WATER_MARK) tcp.pause();
  });
}

/** Listens on loopback and answers the port it got. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("neon proxy: no TCP address");
  return address.port;
}
