import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { setSuspended } from "../domain/accounts.ts";
import { AppError } from "../lib/errors.ts";
import { noBody } from "../middleware/api-bodies.ts";
import { requireAuth, requireRole } from "../middleware/auth.ts";
import { forgetCatalogPages } from "../http/catalog-cache.ts";
import { idParam } from "../http/params.ts";

/**
 * Admin-only actions; each route states its own guard, so remounting this file cannot open one.
 * Admins themselves are made with `npm run admin:create`, never through the API, and the API suspends
 * neither the caller nor another admin (accounts.ts, setSuspended).
 */
export const admin = new Hono<AppEnv>()
  .post("/users/:id/suspend", noBody, requireRole("admin"), idParam, async (c) => {
    const changed = await setSuspended(c.var.db, requireAuth(c), c.req.valid("param").id, true);
    if (!changed) throw new AppError("not_found", "No such user.");
    await forgetCatalogPages(c, changed);
    return c.body(null, 204);
  })
  .post("/users/:id/unsuspend", noBody, requireRole("admin"), idParam, async (c) => {
    const changed = await setSuspended(c.var.db, requireAuth(c), c.req.valid("param").id, false);
    if (!changed) throw new AppError("not_found", "No such user.");
    await forgetCatalogPages(c, changed);
    return c.body(null, 204);
  });
