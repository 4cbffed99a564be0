import { Field, Form, type FormState } from "../../components/forms.tsx";

/** `next`: where to go afterwards, already checked to be a path on this site. */
export function SignIn({ state, next }: { state: FormState; next?: string }) {
  return (
    <section class="form-page">
      <h1>Sign in</h1>
      <Form action="/login" state={state} submit="Sign in">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field name="email" label="Email address" state={state} type="email" autocomplete="username" inputmode="email" spellcheck={false} required />
        <Field name="password" label="Password" state={state} type="password" autocomplete="current-password" required />
      </Form>
      <p class="form-page__aside">
        <a href="/forgot-password">Forgot your password?</a>
      </p>
      <p class="form-page__aside">
        New to Gigmarket? <a href={next ? `/signup?next=${encodeURIComponent(next)}` : "/signup"}>Create an account</a>
      </p>
    </section>
  );
}
