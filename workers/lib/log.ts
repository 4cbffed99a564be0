/** Structured logs: one JSON object per line, so Workers Logs can filter on any field. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const lastLogged = new Map<string, number>();

/** Logs a recurring condition (a dependency down) at most once a minute per isolate, not once per request. */
export function logThrottled(key: string, level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const now = Date.now();
  if (now - (lastLogged.get(key) ?? 0) < 60_000) return;
  lastLogged.set(key, now);
  log(level, message, fields);
}

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/**
 * The error and what it wraps: drizzle wraps driver errors in its own "Failed query" error, and a failed
 * WebSocket connection rejects with an ErrorEvent (not an Error) carrying the real error in `.error`.
 */
export function* errorChain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    yield current;
    const wrapper = current as { cause?: unknown; error?: unknown };
    current = wrapper.cause ?? (current instanceof Error ? undefined : wrapper.error);
  }
}

/** The message of anything thrown, Error or not. */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/**
 * Log fields for an error: the innermost cause's message and code, and the failing SQL text, but never
 * query parameters, which can hold emails, tokens or password hashes. The stack only where it helps
 * (unexpected failures), not for a dependency that is merely down.
 */
export function errorFields(error: unknown, options: { stack?: boolean } = {}): Record<string, unknown> {
  const chain = [...errorChain(error)];
  const root = chain.at(-1);
  const query = chain.map((e) => (e as { query?: unknown }).query).find((q) => typeof q === "string");
  // Upstash errors append the failed command with its arguments (cache values, emails in limit keys).
  const message = errorMessage(root).replace(/,? ?command was: .*$/s, "");
  const { name, code, stack } = (root ?? {}) as { name?: unknown; code?: unknown; stack?: unknown };
  return { error: message, errorName: name, code, query, ...(options.stack ? { stack } : {}) };
}
