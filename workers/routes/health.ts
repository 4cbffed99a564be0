import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { checkReadiness } from "../domain/readiness.ts";

/** `/readyz` needs the per-request services; `/healthz` is mounted before them (see app.ts). */
export const liveness = new Hono<AppEnv>().get("/healthz", (c) => {
  c.header("Cache-Control", "no-store");
  return c.json({ status: "ok" });
});

export const readiness = new Hono<AppEnv>().get("/readyz", async (c) => {
  const { db, redis, requestId } = c.var;
  const answer = await checkReadiness(db, requestId, {
    redis: redis && (() => redis.ping()),
    r2: () => c.env.IMAGES_BUCKET.head("readyz-probe"),
    queueConfigured: Boolean(c.env.IMAGES_QUEUE),
  });
  c.header("Cache-Control", "no-store");
  return c.json(answer, answer.status === "unavailable" ? 503 : 200);
});
