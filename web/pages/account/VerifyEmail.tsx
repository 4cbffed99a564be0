import { ErrorSummary, Form, type FormState } from "../../components/forms.tsx";

export function VerifyEmail({ state, token }: { state: FormState; token: string }) {
  const failed = state.message !== undefined;
  return (
    <section class="form-page">
      <h1>Confirm your email</h1>
      {failed ? (
        <>
          <ErrorSummary state={state} />
          <p>
            Sign in and ask for a new link on <a href="/account">your account page</a>.
          </p>
        </>
      ) : token ? (
        <>
          <p>One tap and your address is confirmed, so you can start selling.</p>
          <Form action="/verify-email" submit="Confirm my email">
            <input type="hidden" name="token" value={token} />
          </Form>
        </>
      ) : (
        <p>This link is incomplete. Open the link from the email we sent you, or ask for a new one on <a href="/account">your account page</a>.</p>
      )}
    </section>
  );
}
