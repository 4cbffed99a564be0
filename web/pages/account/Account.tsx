import type { UserJson } from "../../../workers/domain/views.ts";
import { blankForm, Field, Form, NewPasswordField, type FormState } from "../../components/forms.tsx";

/** The state of the one form that came back with errors, if any. */
export interface AccountForms {
  name?: FormState;
  password?: FormState;
}

const ROLE_NAMES: Record<string, string> = { buyer: "Buyer", seller: "Seller", admin: "Admin" };

/** Name, email with whether it is confirmed, roles and the seller profile, as a definition list. */
function AccountDetails({ account }: { account: UserJson }) {
  return (
    <dl class="details">
      <div>
        <dt>Name</dt>
        <dd>{account.name}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>
          <span class="details__email">{account.email}</span>{" "}
          <span class={account.emailVerified ? "badge badge--ok" : "badge badge--warn"}>{account.emailVerified ? "Confirmed" : "Not confirmed"}</span>
        </dd>
      </div>
      <div>
        <dt>Roles</dt>
        <dd>{account.roles.map((role) => ROLE_NAMES[role] ?? role).join(", ")}</dd>
      </div>
      {account.seller ? (
        <div>
          <dt>Seller profile</dt>
          <dd>
            {account.seller.displayName} (@{account.seller.username})
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** What the account still lacks: a confirmed email, a seller profile. Nothing once it has both. */
function NextSteps({ account }: { account: UserJson }) {
  return (
    <>
      {account.emailVerified ? null : (
        <section class="panel" aria-labelledby="verify-heading">
          <h2 id="verify-heading">Confirm your email</h2>
          <p>We sent a link to {account.email}. It is needed before you can sell.</p>
          <Form action="/account/verify-email/resend" submit="Resend verification email" />
        </section>
      )}
      {account.seller ? null : (
        <section class="panel" aria-labelledby="sell-heading">
          <h2 id="sell-heading">Sell your services</h2>
          <p>Set up a public seller profile and start offering your skills.</p>
          <a class="button button--secondary" href="/seller/onboard">
            Start selling
          </a>
        </section>
      )}
    </>
  );
}

function NameForm({ name, state = blankForm }: { name: string; state?: FormState }) {
  return (
    <section class="panel" aria-labelledby="name-heading">
      <h2 id="name-heading">Your name</h2>
      <Form action="/account/name" state={state} submit="Save name">
        <Field name="name" label="Name" value={name} state={state} autocomplete="name" required maxlength={100} />
      </Form>
    </section>
  );
}

function PasswordForm({ state = blankForm }: { state?: FormState }) {
  return (
    <section class="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <Form action="/account/password" state={state} submit="Change password">
        <Field name="currentPassword" label="Current password" state={state} type="password" autocomplete="current-password" required />
        <NewPasswordField name="newPassword" label="New password" state={state} after="Your other devices will be signed out." />
      </Form>
    </section>
  );
}

/** Signing out here, or on every device (which ends every session). */
function SignOutForms() {
  return (
    <section class="panel" aria-labelledby="sign-out-heading">
      <h2 id="sign-out-heading">Sign out</h2>
      <div class="actions">
        <form method="post" action="/logout">
          <button class="button--secondary" type="submit">
            Sign out
          </button>
        </form>
        <form method="post" action="/account/logout-all">
          <button class="button--secondary" type="submit">
            Sign out everywhere
          </button>
        </form>
      </div>
    </section>
  );
}

export function Account({ account, forms }: { account: UserJson; forms: AccountForms }) {
  return (
    <div class="account">
      <h1>Your account</h1>
      <AccountDetails account={account} />
      <NextSteps account={account} />
      <NameForm name={account.name} state={forms.name} />
      <PasswordForm state={forms.password} />
      <SignOutForms />
    </div>
  );
}
