import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalRedis } from "../../scripts/local/redis.ts";

/**
 * A tiny loopback server that lets tests running inside workerd (which cannot spawn or kill processes)
 * stop and restart the outage Redis, to prove the site keeps working through a real Redis outage.
 */
export async function startHarnessControl(targets: { outageRedis: LocalRedis }) {
  const actions: Record<string, () => Promise<void>> = {
    "/outage-redis/stop": () => targets.outageRedis.stop(),
    "/outage-redis/start": () => targets.outageRedis.start(),
  };
  const server = createServer((req, res) => {
    const action = req.method === "POST" ? actions[req.url ?? ""] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action().then(
      () => res.writeHead(204).end(),
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
