import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalRedis } from "../../scripts/local/redis.ts";
import type { OutagePostgres } from "./outage-postgres.ts";

/**
 * A tiny loopback server for tests running inside workerd (which cannot spawn or kill processes or
 * listen): it stops, restarts, pauses and resumes the outage Redis, to prove the site keeps working through a real
 * Redis outage; starts, pauses and resumes the outage Postgres (its start answers the Worker vars that
 * point at it); and stands in for the HTTP email API (see emailApi) and Cloudflare's purge API (see purgeApi).
 */
export async function startHarnessControl(targets: { outageRedis: LocalRedis; outagePostgres: OutagePostgres }) {
  const actions: Record<string, () => Promise<unknown>> = {
    "/outage-redis/stop": () => targets.outageRedis.stop(),
    "/outage-redis/start": () => targets.outageRedis.start(),
    "/outage-redis/pause": () => targets.outageRedis.pause(),
    "/outage-redis/resume": () => targets.outageRedis.resume(),
    "/outage-postgres/start": () => targets.outagePostgres.start(),
    "/outage-postgres/pause": () => targets.outagePostgres.pause(),
    "/outage-postgres/resume": () => targets.outagePostgres.resume(),
  };
  const email = emailApi();
  const purges = purgeApi();
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/email-api")) {
      email(req, res);
      return;
    }
    if (req.url?.startsWith("/cloudflare-api")) {
      purges(req, res);
      return;
    }
    const action = req.method === "POST" ? actions[req.url ?? ""] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action().then(
      (answer) => (answer === undefined ? res.writeHead(204).end() : res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer))),
      (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One request the email API received, and the status it answered. */
interface CapturedEmailRequest {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
  status: number;
}

/**
 * A Resend-style email API: `POST /email-api` records the request and answers 200, or 500 / 400 when
 * the recipient contains "fail500" / "fail400"; `GET /email-api/messages?to=` lists what one
 * recipient's requests carried.
 */
function emailApi() {
  const received: CapturedEmailRequest[] = [];
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://harness");
    if (req.method === "GET" && url.pathname === "/email-api/messages") {
      json(res, 200, received.filter((request) => request.body.to === url.searchParams.get("to")));
      return;
    }
    if (req.method !== "POST" || url.pathname !== "/email-api") {
      res.writeHead(404).end();
      return;
    }
    readJson(req).then(
      (body) => {
        const to = String(body.to);
        const status = to.includes("fail500") ? 500 : to.includes("fail400") ? 400 : 200;
        const { authorization, "idempotency-key": idempotencyKey } = req.headers;
        received.push({ authorization, idempotencyKey: idempotencyKey as string | undefined, body, status });
        json(res, status, status === 200 ? { id: `email-${received.length}` } : { message: `refused with ${status}` });
      },
      (error: unknown) => json(res, 400, { message: String(error) }),
    );
  };
}

/**
 * Cloudflare's purge API as the Worker calls it: `POST /cloudflare-api/zones/:zone/purge_cache` records
 * the zone, the token and the tags and answers success; `GET /cloudflare-api/purges?zone=` lists them.
 */
function purgeApi() {
  const received: { zone: string; authorization: string | undefined; tags: unknown }[] = [];
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://harness");
    if (req.method === "GET" && url.pathname === "/cloudflare-api/purges") {
      json(res, 200, received.filter((purge) => purge.zone === url.searchParams.get("zone")));
      return;
    }
    const zone = /^\/cloudflare-api\/zones\/([^/]+)\/purge_cache$/.exec(url.pathname)?.[1];
    if (req.method !== "POST" || !zone) {
      res.writeHead(404).end();
      return;
    }
    readJson(req).then(
      (body) => {
        received.push({ zone, authorization: req.headers.authorization, tags: body.tags });
        json(res, 200, { success: true, errors: [], messages: [], result: { id: zone } });
      },
      (error: unknown) => json(res, 400, { success: false, errors: [{ message: String(error) }] }),
    );
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}
