import type { Child } from "hono/jsx";
import type { JSX } from "hono/jsx/jsx-runtime";
import { MIN_PASSWORD_LENGTH } from "../../workers/domain/password-limits.ts";

/** What a form shows when it comes back: the typed values (never passwords) and what was wrong. */
export interface FormState {
  values: Record<string, string>;
  /** One message per field, shown next to it and linked from the summary. */
  errors: Record<string, string>;
  /** A problem with the form as a whole: wrong credentials, a used link, too many attempts. */
  message?: string;
}

export const blankForm: FormState = { values: {}, errors: {} };

const fieldId = (name: string) => `field-${name}`;

export function ErrorSummary({ state }: { state: FormState }) {
  const fields = Object.entries(state.errors);
  if (!state.message && fields.length === 0) return null;
  return (
    <div class="alert alert--error" role="alert">
      <h2 class="alert__title">There is a problem</h2>
      {state.message ? <p>{state.message}</p> : null}
      {fields.length > 0 ? (
        <ul>
          {fields.map(([name, message]) => (
            <li>
              <a href={`#${fieldId(name)}`}>{message}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type InputProps = JSX.IntrinsicElements["input"];

interface FieldProps extends InputProps {
  name: string;
  label: string;
  state: FormState;
  hint?: string;
  /** Shown until the user types something else. */
  value?: string;
  /** A textarea instead of an input. */
  multiline?: boolean;
  /** A select with these options instead of an input (the caller marks the selected one). */
  options?: Child;
}

/** A labelled input with its hint and error linked through aria-describedby; passwords are never refilled. */
export function Field({ name, label, state, hint, value, multiline, options, ...input }: FieldProps) {
  const id = fieldId(name);
  const error = state.errors[name];
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const shown = input.type === "password" ? undefined : (state.values[name] ?? value);
  const common = { id, name, required: input.required, "aria-describedby": describedBy, "aria-invalid": error ? "true" : undefined };
  return (
    <div class={error ? "field field--error" : "field"}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {options !== undefined ? (
        <select {...common}>{options}</select>
      ) : multiline ? (
        <textarea {...common} rows={5} maxlength={input.maxlength}>
          {shown}
        </textarea>
      ) : (
        <input {...input} {...common} value={shown} />
      )}
    </div>
  );
}

/** A field for choosing a password: the policy's minimum length, and the browser's password manager may suggest one. */
export function NewPasswordField({ name, label, state, after }: { name: string; label: string; state: FormState; after: string }) {
  const hint = `At least ${MIN_PASSWORD_LENGTH} characters. ${after}`;
  return <Field name={name} label={label} hint={hint} state={state} type="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />;
}

/** A checkbox with its label beside it, ticked when the form's value for it is "on" (what browsers post). */
export function Checkbox({ name, label, state }: { name: string; label: string; state: FormState }) {
  return (
    <label class="check" for={fieldId(name)}>
      <input type="checkbox" id={fieldId(name)} name={name} checked={state.values[name] === "on"} />
      {label}
    </label>
  );
}

/** A plain HTML form posted to the server: works without JavaScript; the summary comes first. */
export function Form({ action, state, submit, children }: { action: string; state?: FormState; submit: string; children?: Child }) {
  return (
    <form class="form" method="post" action={action}>
      {state ? <ErrorSummary state={state} /> : null}
      {children}
      <button type="submit">{submit}</button>
    </form>
  );
}

/** Fixed messages for `?done=` after a redirect, so the query string never puts its own text on the page. */
const FLASH_MESSAGES: Record<string, string> = {
  welcome: "Welcome to Gigmarket! We sent you an email to confirm your address.",
  "signed-out": "You are signed out.",
  "signed-out-everywhere": "You are signed out on every device.",
  "email-verified": "Your email address is confirmed.",
  "verification-sent": "If your address is not confirmed yet, a new link is on its way.",
  "reset-sent": "If an account exists for that address, we have sent it a reset link. Check your inbox.",
  "password-reset": "Your password is changed. Sign in with the new one.",
  "password-changed": "Your password is changed. Your other devices are signed out.",
  renamed: "Your name is updated.",
  seller: "You are a seller now. Welcome aboard!",
  "listing-created": "Your draft is saved. Publish it when it is ready.",
  "listing-saved": "Your changes are saved.",
  "listing-published": "Your listing is live: buyers can find it now.",
  "listing-paused": "Your listing is paused: buyers no longer see it.",
  "listing-deleted": "The listing is deleted.",
  "photo-uploaded": "Your photo is uploaded. It shows on the listing once it is processed, in a few seconds.",
  "photo-deleted": "The photo is deleted.",
  "avatar-uploaded": "Your profile photo is uploaded. It replaces the current one once it is processed, in a few seconds.",
};

export function flashMessage(key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(FLASH_MESSAGES, key) ? FLASH_MESSAGES[key] : undefined;
}

export function Flash({ message }: { message: string }) {
  return (
    <p class="flash" role="status">
      {message}
    </p>
  );
}
