const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request may change state: what CSRF checks, session checks and write limits apply to. */
export function isWriteMethod(method: string): boolean {
  return !SAFE_METHODS.has(method);
}
