import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { AppError, type ErrorCode } from "../lib/errors.ts";
import { confirmPrivateRead } from "../middleware/auth.ts";
import { limitWrites } from "../middleware/rate-limit.ts";
import type { FormState } from "../../web/components/forms.tsx";
import { renderer } from "./pages.tsx";

/** Form posts are small; apiBodies guards only /api, so pages cap their own bodies before reading them. */
const FORM_BODY_LIMIT = 64 * 1024;

// Set before the handler runs so redirects and re-rendered forms carry it too.
const noStore = createMiddleware<AppEnv>(async (c, next) => {
  c.header("Cache-Control", "no-store");
  await next();
});

/** Account pages: rendered in the site layout, personal, so never stored by any cache. */
export const page = every(noStore, renderer);

/** A form post to an account page: the page middleware plus the body cap and the API's write limit. */
export const formPost = every(
  noStore,
  renderer,
  bodyLimit({
    maxSize: FORM_BODY_LIMIT,
    onError: () => {
      throw new AppError("payload_too_large", `Forms are limited to ${FORM_BODY_LIMIT / 1024} KiB.`);
    },
  }),
  limitWrites,
);

/** The sign-in page, coming back to `next` afterwards (slashes stay readable; `?`, `&` and `=` are encoded). */
export const loginFor = (next: string) => `/login?next=${encodeURIComponent(next).replaceAll("%2F", "/")}`;

/**
 * Sends anonymous visitors to sign in first, then back to `backTo` (by default the page they asked for).
 * These pages are private, so the sign-in is confirmed live first (a revoked session is sent to sign in).
 */
export function signedInOnly(backTo?: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await confirmPrivateRead(c);
    if (!c.var.auth) return c.redirect(loginFor(backTo ?? c.req.path + new URL(c.req.url).search), 303);
    await next();
  });
}

/**
 * Where to go after signing in: only a path on this site. Resolving it the way a browser would catches
 * "//evil.example", "/\evil.example" and control characters that browsers strip.
 */
export function safeNext(value: string | undefined, fallback = "/"): string {
  const base = "https://next.invalid";
  const url = value?.startsWith("/") ? URL.parse(value, base) : null;
  return url?.origin === base ? url.pathname + url.search + url.hash : fallback;
}

/** Text typed as a list (comma-separated, or one item per line) to the list the schema expects. */
export const splitList = (text = "", separator: string | RegExp = ",") =>
  text
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);

/** The posted text fields (files are not expected on these forms); a body that is no form is a 400, not a 500. */
export async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => {
    throw new AppError("invalid_input", "The form could not be read; send it again from the page.");
  });
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

// Hidden fields have nowhere to show a message next to them, so theirs goes to the summary.
const HIDDEN_FIELDS = new Set(["token", "next"]);
const isSecret = (name: string) => /password/i.test(name);

/** The field an issue belongs to, from its path and the form's fields; "" for the form as a whole. */
export type FieldOf = (path: readonly PropertyKey[], fields: Record<string, string>) => string;
const firstKey: FieldOf = (path) => String(path[0] ?? "");

/** Messages next to their fields (the first per field), and those without a field as the form's message. */
function placeIssues(issues: { path: readonly PropertyKey[]; message: string }[], fields: Record<string, string>, fieldOf: FieldOf = firstKey) {
  const errors: Record<string, string> = {};
  let message: string | undefined;
  for (const issue of issues) {
    const name = fieldOf(issue.path, fields);
    if (!name || HIDDEN_FIELDS.has(name)) message ??= issue.message;
    else errors[name] ??= issue.message;
  }
  return { errors, message };
}

const listedIssues = z.array(z.object({ path: z.string(), message: z.string() })).catch([]);
/** What a refusal may list in its details: invalid fields (`issues`) and what stops a publication (`problems`). */
const refusalDetails = z.object({ issues: listedIssues, problems: listedIssues }).catch({ issues: [], problems: [] });

interface Placement {
  /** Which field an issue's path belongs to, when the form's names are not the schema's top-level keys. */
  fieldOf?: FieldOf;
  /** Which field a domain refusal belongs to, such as weak_password → the new password. */
  errorFields?: Partial<Record<ErrorCode, string>>;
}

/** A domain refusal shown on its form, with the status and headers (Retry-After) the API would answer. */
export function refusalState(c: Context<AppEnv>, error: AppError, values: Record<string, string>, placement: Placement = {}): FormState {
  c.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const field = placement.errorFields?.[error.code];
  if (field) return { values, errors: { [field]: error.message } };
  const { issues, problems } = refusalDetails.parse(error.details);
  // "packages.0.price" names a row by number, as zod's own issue paths do.
  const segments = (path: string) => path.split(".").map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const listed = [...issues, ...problems].map((issue) => ({ path: segments(issue.path), message: issue.message }));
  return { values, errors: placeIssues(listed, values, placement.fieldOf).errors, message: error.message };
}

/** Whether the domain refused (shown on the form) rather than failed (the error page). */
export const isRefusal = (error: unknown): error is AppError => error instanceof AppError && error.status < 500;

interface FormSpec<S extends z.ZodType> extends Placement {
  /** The same schema the JSON API validates with. */
  schema: S;
  /** Re-renders the form; the status is already set. */
  render: (state: FormState) => Response | Promise<Response>;
  /**
   * Turns the text fields into the schema's shape (lists typed as comma-separated text); text it cannot
   * convert, such as a malformed price, goes into `errors` by field name.
   */
  prepare?: (fields: Record<string, string>, errors: Record<string, string>) => unknown;
}

/**
 * Handles a form post: validates it with the API's schema, then runs the action (which redirects).
 * Invalid input and the domain's refusals re-render the form with the status the API would answer,
 * keeping what was typed except passwords.
 */
export async function submitForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  spec: FormSpec<S>,
  action: (input: z.output<S>, fields: Record<string, string>) => Promise<Response>,
): Promise<Response> {
  const fields = await readForm(c);
  const values = Object.fromEntries(Object.entries(fields).filter(([name]) => !isSecret(name)));
  const unconverted: Record<string, string> = {};
  const parsed = spec.schema.safeParse(spec.prepare ? spec.prepare(fields, unconverted) : fields);
  if (!parsed.success || Object.keys(unconverted).length > 0) {
    const placed = placeIssues(parsed.error?.issues ?? [], fields, spec.fieldOf);
    c.status(400);
    return spec.render({ values, errors: { ...placed.errors, ...unconverted }, message: placed.message });
  }
  try {
    return await action(parsed.data, fields);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return spec.render(refusalState(c, error, values, spec));
  }
}
