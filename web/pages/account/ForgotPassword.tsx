import { Field, Form, type FormState } from "../../components/forms.tsx";

export function ForgotPassword({ state }: { state: FormState }) {
  return (
    <section class="form-page">
      <h1>Forgot your password?</h1>
      <p class="muted">Enter the address you signed up with and we will email you a link to choose a new password.</p>
      <Form action="/forgot-password" state={state} submit="Email me a link">
        <Field name="email" label="Email address" state={state} type="email" autocomplete="email" inputmode="email" spellcheck={false} required />
      </Form>
      <p class="form-page__aside">
        Remembered it? <a href="/login">Sign in</a>
      </p>
    </section>
  );
}
