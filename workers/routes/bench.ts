import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { listingOver } from "../domain/bench-baselines.ts";
import { hashPassword } from "../domain/password.ts";
import { requireAuth } from "../middleware/auth.ts";
import { enforceLimit, type LimitPolicy } from "../middleware/rate-limit.ts";
import { idParam } from "../http/params.ts";
import { readContext } from "../http/catalog-cache.ts";
import { naiveSearch } from "../domain/search.ts";
import { searchQuery } from "../domain/search-inputs.ts";
import { validate } from "../lib/validate.ts";

/** Never refuses in a bench run; it measures what counting one request in Redis costs. */
const BENCH_LIMIT: LimitPolicy = { name: "bench", limit: 1_000_000_000, window: "1 m", withoutRedis: "open" };

/**
 * Baselines for `npm run bench`, mounted only when BENCH_ROUTES is "on" (never in production):
 * hello-world through the full middleware stack, the same for a signed-in caller, behind a rate limit
 * and with a body of a given size, one listing read over each database path, one password hash (what a sign-in costs in CPU), the
 * naive ILIKE search that search is measured against, and a WebSocket echo (the chat fan-out's baseline).
 */
export const bench = new Hono<AppEnv>()
  .get("/hello", (c) => c.text("hello world"))
  .get("/hello/signed-in", (c) => c.text(`hello ${requireAuth(c).userId}`))
  // Hello-world as long as another response, so a scenario's ratio can be read apart from its body's size.
  .get("/hello/bytes/:n{[0-9]+}", (c) => c.text("x".repeat(Math.min(Number(c.req.param("n")), 1_000_000))))
  .get("/hello/rate-limited", async (c) => {
    await enforceLimit(c, BENCH_LIMIT, "bench");
    return c.text("hello world");
  })
  .get("/password-hash", async (c) => c.text(await hashPassword("bench-password-not-secret")))
  .get("/listings/:id/http", idParam, async (c) => c.json(await listingOver(c.var.db, "http", c.req.valid("param").id)))
  .get("/search/naive", validate("query", searchQuery), async (c) => c.json(await naiveSearch(readContext(c), c.req.valid("query"))))
  .get("/echo", () => {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    server.accept();
    server.addEventListener("message", (event) => server.send(event.data as string | ArrayBuffer));
    return new Response(null, { status: 101, webSocket: client });
  })
  .get("/listings/:id/ws", idParam, async (c) => c.json(await listingOver(c.var.db, "pool", c.req.valid("param").id)));
