import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, codeForStatus, errorBody } from "./errors.ts";
import { errorChain, errorFields, errorMessage, log } from "./log.ts";
import { PRIVATE_CACHE_CONTROL } from "./cache-control.ts";

/**
 * Postgres SQLSTATE classes that mean the database cannot serve us right now: connection (08),
 * resources (53), operator intervention (57P) and invalid authorization (28, a credentials problem).
 */
const UNAVAILABLE_SQLSTATE = /^(08|28|53|57P)/;
/** Transport failures of the Neon driver and the runtime, whichever path (HTTP or WebSocket) failed. */
const UNREACHABLE =
  /error connecting to database|did not answer within|query read timeout|timeout exceeded when trying to connect|network connection lost|fetch failed|websocket|server error \(http status|connection terminated|econnrefused/i;

/** Normalises anything thrown into an AppError; unexpected errors become a logged 500 without internals. */
export function toAppError(error: unknown): AppError {
  for (const cause of errorChain(error)) {
    if (cause instanceof AppError) return cause;
    if (cause instanceof HTTPException) {
      const malformed = cause.status === 400 && /malformed json/i.test(cause.message);
      return new AppError(malformed ? "malformed_json" : codeForStatus(cause.status), cause.message || "Request failed.");
    }
    const sqlstate = (cause as { code?: unknown } | null)?.code;
    // The database's own integrity checks are a second line behind validation: say which rule, not 500.
    if (sqlstate === "23505") return new AppError("conflict", "That conflicts with something that already exists.");
    if (sqlstate === "23514" || sqlstate === "23503") {
      const constraint = (cause as { constraint?: unknown }).constraint;
      return new AppError("rule_violation", "The change breaks a data rule.", { details: { constraint } });
    }
    const isErrorEvent = typeof cause === "object" && cause !== null && "type" in cause && (cause as { type?: unknown }).type === "error";
    if ((typeof sqlstate === "string" && UNAVAILABLE_SQLSTATE.test(sqlstate)) || isErrorEvent || UNREACHABLE.test(errorMessage(cause))) {
      return new AppError("unavailable", "A service we depend on is unavailable. Please try again shortly.", {
        headers: { "Retry-After": "5" },
      });
    }
  }
  return new AppError("internal", "Something went wrong on our side.");
}

/** The API always answers JSON; elsewhere a browser asking for HTML gets the page view via `renderPage`. */
export function wantsJson(c: Context): boolean {
  if (c.req.path.startsWith("/api/")) return true;
  return !(c.req.header("Accept") ?? "").includes("text/html");
}

export function errorHandler(renderPage?: (c: Context, error: AppError) => Response | Promise<Response>): ErrorHandler {
  return (error, c) => {
    const appError = toAppError(error);
    const requestId = c.get("requestId") as string | undefined;
    if (appError.status >= 500) log("error", "request failed", { requestId, path: c.req.path, ...errorFields(error, { stack: true }) });
    for (const [name, value] of Object.entries(appError.headers)) c.header(name, value);
    c.header("Cache-Control", PRIVATE_CACHE_CONTROL); // as a signed-in success is: no cache anywhere keeps it
    if (renderPage && !wantsJson(c)) {
      c.status(appError.status);
      return renderPage(c, appError);
    }
    return c.json(errorBody(appError, requestId), appError.status);
  };
}

export function notFoundHandler(renderPage?: (c: Context, error: AppError) => Response | Promise<Response>): NotFoundHandler {
  const handle = errorHandler(renderPage);
  return (c) => handle(new AppError("not_found", `Nothing at ${c.req.method} ${c.req.path}.`), c);
}
