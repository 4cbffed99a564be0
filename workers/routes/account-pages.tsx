import { Hono, type Context } from "hono";
import type { AppEnv } from "../context.ts";
import { requestPasswordReset, resetPassword, signIn, signUp, verifyEmail } from "../domain/accounts.ts";
import { emailOnlyInput, resetPasswordInput, signInInput, signUpInput, tokenInput } from "../domain/account-inputs.ts";
import { signOut } from "../domain/sessions.ts";
import { accountContext, clearSessionCookies, clientIp, setSessionCookies } from "../middleware/auth.ts";
import { limitSignIn, rememberDevice } from "../middleware/device-cookie.ts";
import { enforceLimit, LIMITS } from "../middleware/rate-limit.ts";
import { afterResponse } from "../middleware/services.ts";
import { blankForm, type FormState } from "../../web/components/forms.tsx";
import { ForgotPassword } from "../../web/pages/account/ForgotPassword.tsx";
import { ResetPassword } from "../../web/pages/account/ResetPassword.tsx";
import { SignIn } from "../../web/pages/account/SignIn.tsx";
import { SignUp } from "../../web/pages/account/SignUp.tsx";
import { VerifyEmail } from "../../web/pages/account/VerifyEmail.tsx";
import { formPost, page, safeNext, submitForm } from "./page-forms.ts";
import { settingsPages } from "./settings-pages.tsx";

type C = Context<AppEnv>;

const AFTER_SIGN_UP = "/account?done=welcome";

// Where to go after signing in or up: from the query on the first visit, then from the posted form.
function nextOf(c: C, state: FormState) {
  const next = state.values.next ?? c.req.query("next");
  return next === undefined ? undefined : safeNext(next);
}

const signUpView = (c: C) => (state: FormState) => c.render(<SignUp state={state} next={nextOf(c, state)} />, { title: "Create your account" });
const signInView = (c: C) => (state: FormState) => c.render(<SignIn state={state} next={nextOf(c, state)} />, { title: "Sign in" });
const tokenOf = (c: C, state: FormState) => state.values.token ?? c.req.query("token") ?? "";
const verifyView = (c: C) => (state: FormState) =>
  c.render(<VerifyEmail state={state} token={tokenOf(c, state)} />, { title: "Confirm your email" });
const forgotView = (c: C) => (state: FormState) => c.render(<ForgotPassword state={state} />, { title: "Forgot your password" });
const resetView = (c: C) => (state: FormState) =>
  c.render(<ResetPassword state={state} token={tokenOf(c, state)} />, { title: "Choose a new password" });

/**
 * The account pages: plain HTML forms that call the same domain functions, schemas and rate limits as
 * /api/auth, and redirect (303) when they succeed.
 */
export const accountPages = new Hono<AppEnv>()
  .get("/signup", page, (c) => signUpView(c)(blankForm))
  .post("/signup", formPost, (c) =>
    submitForm(c, { schema: signUpInput, render: signUpView(c), errorFields: { email_taken: "email", weak_password: "password" } }, async (input, fields) => {
      await enforceLimit(c, LIMITS.signUpPerIp, clientIp(c));
      const { session } = await signUp(accountContext(c), input);
      setSessionCookies(c, session);
      await rememberDevice(c, input.email);
      return c.redirect(safeNext(fields.next, AFTER_SIGN_UP), 303);
    }),
  )
  .get("/login", page, (c) => signInView(c)(blankForm))
  .post("/login", formPost, (c) =>
    submitForm(c, { schema: signInInput, render: signInView(c) }, async (input, fields) => {
      await limitSignIn(c, input.email);
      const { session } = await signIn(accountContext(c), input);
      setSessionCookies(c, session);
      await rememberDevice(c, input.email);
      return c.redirect(safeNext(fields.next), 303);
    }),
  )
  .post("/logout", formPost, async (c) => {
    await signOut(c.var.db, c.var.auth);
    if (!c.var.auth) c.set("wroteNothing", true);
    clearSessionCookies(c);
    return c.redirect("/?done=signed-out", 303);
  })
  // Verifying takes a POST: mail scanners prefetch links, and a GET must not use up the token.
  .get("/verify-email", page, (c) => verifyView(c)(blankForm))
  .post("/verify-email", formPost, (c) =>
    submitForm(c, { schema: tokenInput, render: verifyView(c) }, async ({ token }) => {
      await enforceLimit(c, LIMITS.verifyEmailPerIp, clientIp(c));
      await verifyEmail(c.var.db, token);
      return c.redirect(c.var.auth ? "/account?done=email-verified" : "/login?done=email-verified&next=/account", 303);
    }),
  )
  .get("/forgot-password", page, (c) => forgotView(c)(blankForm))
  .post("/forgot-password", formPost, (c) =>
    submitForm(c, { schema: emailOnlyInput, render: forgotView(c) }, async ({ email }) => {
      await enforceLimit(c, LIMITS.passwordResetPerIp, clientIp(c));
      // As in the API: answered before any lookup, so the answer and its timing say nothing about the account.
      afterResponse(c, "password reset request", requestPasswordReset(accountContext(c), email));
      return c.redirect("/forgot-password?done=reset-sent", 303);
    }),
  )
  .get("/reset-password", page, (c) => resetView(c)(blankForm))
  .post("/reset-password", formPost, (c) =>
    submitForm(c, { schema: resetPasswordInput, render: resetView(c), errorFields: { weak_password: "password" } }, async (input) => {
      await enforceLimit(c, LIMITS.resetConfirmPerIp, clientIp(c));
      await resetPassword(c.var.db, input);
      clearSessionCookies(c);
      return c.redirect("/login?done=password-reset", 303);
    }),
  )
  .route("/", settingsPages);
