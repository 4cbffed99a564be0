import { Form, NewPasswordField, type FormState } from "../../components/forms.tsx";

export function ResetPassword({ state, token }: { state: FormState; token: string }) {
  return (
    <section class="form-page">
      <h1>Choose a new password</h1>
      {token ? (
        <Form action="/reset-password" state={state} submit="Change password">
          <input type="hidden" name="token" value={token} />
          <NewPasswordField name="password" label="New password" state={state} after="You will be signed out everywhere." />
        </Form>
      ) : (
        <p>This link is incomplete. Open the link from the email we sent you.</p>
      )}
      {state.message || !token ? (
        <p class="form-page__aside">
          <a href="/forgot-password">Ask for a new link</a>
        </p>
      ) : null}
    </section>
  );
}
