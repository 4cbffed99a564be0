import type { userView } from "../../../workers/domain/views.ts";
import { blankForm, Field, Form, NewPasswordField, type FormState } from "../../components/forms.tsx";

export type AccountView = ReturnType<typeof userView>;

/** The state of the one form that came back with errors, if any. */
export interface AccountForms {
  name?: FormState;
  password?: FormState;
}

const ROLE_NAMES: Record<string, string> = { buyer: "Buyer", seller: "Seller", admin: "Admin" };

export function Account({ account, forms }: { account: AccountView; forms: AccountForms }) {
  return (
    <div class="account">
      <h1>Your account</h1>
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

      <section class="panel" aria-labelledby="name-heading">
        <h2 id="name-heading">Your name</h2>
        <Form action="/account/name" state={forms.name ?? blankForm} submit="Save name">
          <Field name="name" label="Name" value={account.name} state={forms.name ?? blankForm} autocomplete="name" required maxlength={100} />
        </Form>
      </section>

      <section class="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <Form action="/account/password" state={forms.password ?? blankForm} submit="Change password">
          <Field name="currentPassword" label="Current password" state={forms.password ?? blankForm} type="password" autocomplete="current-password" required />
          <NewPasswordField name="newPassword" label="New password" state={forms.password ?? blankForm} after="Your other devices will be signed out." />
        </Form>
      </section>

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
    </div>
  );
}
