import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { changePassword, onboardSeller, ownAccount, updateOwnAccount } from "../domain/accounts.ts";
import { uploadAvatar } from "../domain/avatars.ts";
import { changePasswordInput, sellerOnboardInput, updateAccountInput } from "../domain/account-inputs.ts";
import { sellerProfileView } from "../domain/views.ts";
import { updateSellerProfile } from "../domain/seller-profile.ts";
import { forgetCatalogPages } from "../http/catalog-cache.ts";
import { validate } from "../lib/validate.ts";
import { openMedia } from "../services.ts";
import { uploadOf } from "./images.ts";
import { enforceLimit, LIMITS } from "../middleware/rate-limit.ts";
import { accountContext, requireAuth, requireLiveUser, requireUser, setSessionCookies } from "../middleware/auth.ts";

/** The signed-in user's own account, mounted at `/api/me`. */
export const me = new Hono<AppEnv>()
  .use(requireLiveUser)
  .get("/", async (c) => c.json({ user: await ownAccount(c.var.db, requireAuth(c).userId) }))
  .patch("/", validate("json", updateAccountInput), async (c) =>
    c.json({ user: await updateOwnAccount(c.var.db, requireAuth(c).userId, c.req.valid("json")) }),
  )
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
  })
  // The seller's own avatar: 202 and processing; it replaces the current one once ready.
  .post("/avatar", async (c) => {
    const media = { store: openMedia(c.env).store, queue: c.env.IMAGES_QUEUE };
    return c.json({ image: await uploadAvatar(c.var.db, media, requireAuth(c), uploadOf(c)) }, 202);
  });
