import { Hono, type Context } from "hono";
import type { AppEnv } from "../context.ts";
import { changePassword, onboardSeller, ownAccount, resendVerification, updateOwnAccount } from "../domain/accounts.ts";
import { changePasswordInput, sellerOnboardInput, updateAccountInput } from "../domain/account-inputs.ts";
import { signOutEverywhere } from "../domain/sessions.ts";
import { accountContext, clearSessionCookies, requireAuth, setSessionCookies } from "../middleware/auth.ts";
import { enforceLimit, LIMITS } from "../middleware/rate-limit.ts";
import { blankForm, type FormState } from "../../web/components/forms.tsx";
import { Account, type AccountForms } from "../../web/pages/account/Account.tsx";
import { SellerOnboard } from "../../web/pages/account/SellerOnboard.tsx";
import { formPost, page, readForm, signedInOnly, splitList, submitForm } from "./page-forms.ts";

type C = Context<AppEnv>;

const ACCOUNT = "/account";
const ONBOARD = "/seller/onboard";

const viewer = (c: C) => ownAccount(c.var.db, requireAuth(c).userId);

const accountView = async (c: C, forms: AccountForms = {}) =>
  c.render(<Account account={await viewer(c)} forms={forms} />, { title: "Your account" });
const onboardView = (c: C) => async (state: FormState) =>
  c.render(<SellerOnboard account={await viewer(c)} state={state} />, { title: "Start selling" });

/** The signed-in user's settings and seller onboarding, calling the same domain code as /api/me and /api/seller. */
export const settingsPages = new Hono<AppEnv>()
  .get(ACCOUNT, page, signedInOnly(ACCOUNT), (c) => accountView(c))
  .post("/account/name", formPost, signedInOnly(ACCOUNT), (c) =>
    submitForm(c, { schema: updateAccountInput, render: (name) => accountView(c, { name }) }, async (input) => {
      await updateOwnAccount(c.var.db, requireAuth(c).userId, input);
      return c.redirect("/account?done=renamed", 303);
    }),
  )
  .post("/account/password", formPost, signedInOnly(ACCOUNT), (c) =>
    submitForm(
      c,
      {
        schema: changePasswordInput,
        render: (password) => accountView(c, { password }),
        errorFields: { wrong_password: "currentPassword", weak_password: "newPassword" },
      },
      async (input) => {
        const claims = requireAuth(c);
        await enforceLimit(c, LIMITS.passwordCheckPerUser, claims.userId);
        setSessionCookies(c, await changePassword(accountContext(c), claims, input));
        return c.redirect("/account?done=password-changed", 303);
      },
    ),
  )
  .post("/account/verify-email/resend", formPost, signedInOnly(ACCOUNT), async (c) => {
    const { userId } = requireAuth(c);
    const back = (await readForm(c)).back === ONBOARD ? ONBOARD : ACCOUNT;
    await enforceLimit(c, LIMITS.emailPerUser, userId);
    await resendVerification(accountContext(c), userId);
    return c.redirect(`${back}?done=verification-sent`, 303);
  })
  .post("/account/logout-all", formPost, signedInOnly(ACCOUNT), async (c) => {
    const { userId } = requireAuth(c);
    await signOutEverywhere(c.var.db, userId);
    clearSessionCookies(c);
    return c.redirect("/?done=signed-out-everywhere", 303);
  })
  .get(ONBOARD, page, signedInOnly(ONBOARD), (c) => onboardView(c)(blankForm))
  .post(ONBOARD, formPost, signedInOnly(ONBOARD), (c) =>
    submitForm(
      c,
      {
        schema: sellerOnboardInput,
        render: onboardView(c),
        prepare: (fields) => ({ ...fields, skills: splitList(fields.skills), languages: splitList(fields.languages) }),
        errorFields: { username_taken: "username" },
      },
      async (input) => {
        const { session } = await onboardSeller(accountContext(c), requireAuth(c), input);
        setSessionCookies(c, session);
        return c.redirect("/account?done=seller", 303);
      },
    ),
  );
