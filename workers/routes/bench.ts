import { Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { getActiveListingById } from "../data/catalog.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validate.ts";

const byId = validate("param", z.object({ id: z.uuid() }));

/**
 * Baselines for `npm run bench`, mounted only when BENCH_ROUTES is "on" (never in production):
 * hello-world through the full middleware stack, and one listing read over each database path.
 */
export const bench = new Hono<AppEnv>()
  .get("/hello", (c) => c.text("hello world"))
  .get("/listings/:id/http", byId, async (c) => {
    const listing = await getActiveListingById(c.var.db.primary, c.req.valid("param").id);
    if (!listing) throw new AppError("not_found", "No such listing.");
    return c.json(listing);
  })
  .get("/listings/:id/ws", byId, async (c) => {
    // A fresh WebSocket connection for this request alone: what a per-request connection costs.
    const pool = new Pool({ connectionString: c.var.config.DATABASE_URL });
    try {
      const listing = await getActiveListingById(drizzle({ client: pool, casing: "snake_case" }), c.req.valid("param").id);
      if (!listing) throw new AppError("not_found", "No such listing.");
      return c.json(listing);
    } finally {
      c.executionCtx.waitUntil(pool.end());
    }
  });
