import { Field, Form, NewPasswordField, type FormState } from "../../components/forms.tsx";

/** `next`: where to go afterwards, already checked to be a path on this site. */
export function SignUp({ state, next }: { state: FormState; next?: string }) {
  return (
    <section class="form-page">
      <h1>Create your account</h1>
      <p class="muted">Hire sellers today; start selling whenever you like.</p>
      <Form action="/signup" state={state} submit="Create account">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field name="name" label="Your name" state={state} autocomplete="name" required maxlength={100} />
        <Field name="email" label="Email address" state={state} type="email" autocomplete="email" inputmode="email" spellcheck={false} required />
        <NewPasswordField name="password" label="Password" state={state} after="A few unrelated words work well." />
      </Form>
      <p class="form-page__aside">
        Already have an account? <a href={next ? `/login?next=${encodeURIComponent(next)}` : "/login"}>Sign in</a>
      </p>
    </section>
  );
}
