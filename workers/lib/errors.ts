import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error code the API answers with, and its HTTP status. Codes are stable: clients branch on them. */
export const ERROR_STATUS = {
  invalid_input: 400,
  malformed_json: 400,
  invalid_token: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_rejected: 403,
  account_suspended: 403,
  email_not_verified: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  username_taken: 409,
  already_seller: 409,
  invalid_state: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rule_violation: 422,
  unknown_category: 422,
  currency_mismatch: 422,
  weak_password: 422,
  wrong_password: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type routes throw; `app.onError` turns it into the JSON envelope. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details: unknown;
  /** Extra response headers, such as Retry-After. */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: unknown };
}

export function errorBody(error: AppError, requestId?: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(requestId ? { requestId } : {}),
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/** Maps a status that Hono or the runtime raised on its own to our closest code. */
export function codeForStatus(status: number): ErrorCode {
  const found = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return found ? found[0] : status >= 500 ? "internal" : "invalid_input";
}
