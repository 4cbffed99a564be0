import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { changePassword, onboardSeller } from "../domain/accounts.ts";
import { changePasswordInput, sellerOnboardInput, updateAccountInput } from "../domain/account-inputs.ts";
import { sellerProfileView, userView } from "../domain/views.ts";
import { findUserWithProfile, updateUser } from "../data/users.ts";
import { updateSellerProfile } from "../domain/seller-profile.ts";
import { forgetCatalogPages } from "../http/catalog-cache.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validate.ts";
import { enforceLimit, LIMITS } from "../middleware/rate-limit.ts";
import { accountContext, requireAuth, requireUser, setSessionCookies } from "../middleware/auth.ts";

async function currentUser(c: Parameters<typeof requireAuth>[0]) {
  const row = await findUserWithProfile(c.var.db.primary, requireAuth(c).userId);
  if (!row) throw new AppError("unauthenticated", "Sign in to continue.");
  return row;
}

/** The signed-in user's own account, mounted at `/api/me`. */
export const me = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const { user, profile } = await currentUser(c);
    return c.json({ user: userView(user, profile) });
  })
  .patch("/", validate("json", updateAccountInput), async (c) => {
    await updateUser(c.var.db.primary, requireAuth(c).userId, c.req.valid("json"));
    const { user, profile } = await currentUser(c);
    return c.json({ user: userView(user, profile) });
  })
  .post("/password", validate("json", changePasswordInput), async (c) => {
    const claims = requireAuth(c);
    await enforceLimit(c, LIMITS.passwordCheckPerUser, claims.userId);
    setSessionCookies(c, await changePassword(accountContext(c), claims, c.req.valid("json")));
    return c.body(null, 204);
  });

const profileChanges = sellerOnboardInput.omit({ username: true }).partial().refine((changes) => Object.keys(changes).length > 0, "Change at least one field.");

/** Becoming a seller and keeping the public profile, mounted at `/api/seller`. */
export const seller = new Hono<AppEnv>()
  .use(requireUser)
  .post("/onboard", validate("json", sellerOnboardInput), async (c) => {
    const { profile, session } = await onboardSeller(accountContext(c), requireAuth(c), c.req.valid("json"));
    await forgetCatalogPages(c, { slugs: [], sellerUsername: profile.username }); // a cached "no such seller"
    setSessionCookies(c, session);
    return c.json({ seller: sellerProfileView(profile) }, 201);
  })
  .patch("/profile", validate("json", profileChanges), async (c) => {
    const { profile, slugs } = await updateSellerProfile(c.var.db, requireAuth(c).userId, c.req.valid("json"));
    await forgetCatalogPages(c, { slugs, sellerUsername: profile.username });
    return c.json({ seller: sellerProfileView(profile) });
  });
