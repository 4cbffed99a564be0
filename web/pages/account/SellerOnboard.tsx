import type { UserJson } from "../../../workers/domain/views.ts";
import { ErrorSummary, Field, Form, type FormState } from "../../components/forms.tsx";

export function SellerOnboard({ account, state }: { account: UserJson; state: FormState }) {
  if (account.seller) {
    return (
      <section class="form-page">
        <h1>You are already a seller</h1>
        <p>
          Your profile {account.seller.displayName} (@{account.seller.username}) is set up. See <a href="/account">your account</a>.
        </p>
      </section>
    );
  }
  if (!account.emailVerified) {
    return (
      <section class="form-page">
        <h1>Start selling</h1>
        <ErrorSummary state={state} />
        <div class="panel">
          <h2>Confirm your email first</h2>
          <p>
            Buyers and payouts reach you by email, so sellers need a confirmed address. Open the link we sent to <strong>{account.email}</strong>, or
            ask for a new one.
          </p>
          <Form action="/account/verify-email/resend" submit="Resend verification email">
            <input type="hidden" name="back" value="/seller/onboard" />
          </Form>
        </div>
      </section>
    );
  }
  return (
    <section class="form-page">
      <h1>Start selling</h1>
      <p class="muted">Your seller profile is public: buyers see it next to your services.</p>
      <Form action="/seller/onboard" state={state} submit="Create seller profile">
        <Field
          name="username"
          label="Username"
          hint="3–30 characters: letters, digits, - and _. It is part of your profile's address."
          state={state}
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          minlength={3}
          maxlength={30}
          required
        />
        <Field name="displayName" label="Display name" hint="Your name or your studio's." state={state} value={account.name} autocomplete="name" maxlength={60} required />
        <Field name="bio" label="About you (optional)" hint="What you do, and for whom." state={state} multiline maxlength={2000} />
        <Field name="skills" label="Skills (optional)" hint="Separate them with commas: Logo design, Illustration" state={state} autocomplete="off" />
        <Field name="languages" label="Languages (optional)" hint="Separate them with commas: English, Spanish" state={state} autocomplete="off" />
        <Field
          name="country"
          label="Country"
          hint="Two-letter code, such as US, GB or DE."
          state={state}
          autocomplete="country"
          autocapitalize="characters"
          pattern="[A-Za-z]{2}"
          minlength={2}
          maxlength={2}
          required
        />
      </Form>
    </section>
  );
}
