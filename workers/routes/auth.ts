import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import {
  ownAccount,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  signIn,
  signUp,
  verifyEmail,
} from "../domain/accounts.ts";
import { emailOnlyInput, resetPasswordInput, signInInput, signUpInput, tokenInput } from "../domain/account-inputs.ts";
import { signOut, signOutEverywhere } from "../domain/sessions.ts";
import { validate } from "../lib/validate.ts";
import { noBody } from "../middleware/api-bodies.ts";
import { accountContext, clearSessionCookies, clientIp, requireAuth, setSessionCookies } from "../middleware/auth.ts";
import { limitSignIn, rememberDevice } from "../middleware/device-cookie.ts";
import { enforceLimit, LIMITS } from "../middleware/rate-limit.ts";
import { afterResponse } from "../middleware/services.ts";

export const auth = new Hono<AppEnv>()
  .post("/signup", validate("json", signUpInput), async (c) => {
    await enforceLimit(c, LIMITS.signUpPerIp, clientIp(c));
    const input = c.req.valid("json");
    const { user, session } = await signUp(accountContext(c), input);
    setSessionCookies(c, session);
    await rememberDevice(c, input.email);
    return c.json({ user: await ownAccount(c.var.db, user.id) }, 201);
  })
  .post("/login", validate("json", signInInput), async (c) => {
    const input = c.req.valid("json");
    await limitSignIn(c, input.email);
    const { user, session } = await signIn(accountContext(c), input);
    setSessionCookies(c, session);
    await rememberDevice(c, input.email);
    return c.json({ user: await ownAccount(c.var.db, user.id) });
  })
  .post("/logout", noBody, async (c) => {
    await signOut(c.var.db, c.var.auth);
    if (!c.var.auth) c.set("wroteNothing", true);
    clearSessionCookies(c);
    return c.body(null, 204);
  })
  .post("/logout-all", noBody, async (c) => {
    const { userId } = requireAuth(c);
    await signOutEverywhere(c.var.db, userId);
    clearSessionCookies(c);
    return c.body(null, 204);
  })
  .post("/verify-email", validate("json", tokenInput), async (c) => {
    await enforceLimit(c, LIMITS.verifyEmailPerIp, clientIp(c));
    await verifyEmail(c.var.db, c.req.valid("json").token);
    return c.json({ verified: true });
  })
  .post("/verify-email/resend", noBody, async (c) => {
    const { userId } = requireAuth(c);
    await enforceLimit(c, LIMITS.emailPerUser, userId);
    await resendVerification(accountContext(c), userId);
    return c.json({ message: "If your address is not verified yet, a new link is on its way." }, 202);
  })
  .post("/password-reset", validate("json", emailOnlyInput), async (c) => {
    await enforceLimit(c, LIMITS.passwordResetPerIp, clientIp(c));
    // Answered before any lookup, so neither the answer nor its timing tells whether the account exists.
    afterResponse(c, "password reset request", requestPasswordReset(accountContext(c), c.req.valid("json").email));
    return c.json({ message: "If an account exists for that address, we have sent it a reset link." }, 202);
  })
  .post("/password-reset/confirm", validate("json", resetPasswordInput), async (c) => {
    await enforceLimit(c, LIMITS.resetConfirmPerIp, clientIp(c));
    await resetPassword(c.var.db, c.req.valid("json"));
    clearSessionCookies(c);
    return c.json({ message: "Your password is changed. Sign in with the new one." });
  });
