/** Structured logs: one JSON object per line, so Workers Logs can filter on any field. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** The error and what it wraps (drizzle wraps driver errors in its own "Failed query" error). */
export function* errorChain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== undefined && depth < 8; depth++) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

/**
 * Log fields for an error: the innermost cause's message and code, and the failing SQL text, but never
 * query parameters, which can hold emails, tokens or password hashes.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  const chain = [...errorChain(error)];
  const root = chain.at(-1);
  const query = chain.map((e) => (e as { query?: unknown }).query).find((q) => typeof q === "string");
  if (!(root instanceof Error)) return { error: String(root), query };
  const code = (root as { code?: unknown }).code;
  return { error: root.message, errorName: root.name, code, query, stack: root.stack };
}
