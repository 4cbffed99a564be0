/** A failure that retrying cannot fix (bad input, missing row): the message is acknowledged, not retried. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** Exponential backoff for a message's next attempt: 10 s, 20 s, 40 s ... capped at 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}
