import { PermanentJobError, retryDelaySeconds } from "../lib/jobs.ts";
import { errorFields, log } from "../lib/log.ts";

/**
 * Runs each message on its own: one bad message never retries or drops its neighbours.
 * Transient failures retry with backoff; after max_retries the platform moves them to the dead-letter queue.
 */
export async function processEach<Body>(
  batch: MessageBatch<unknown>,
  parse: (body: unknown) => Body,
  handle: (body: Body) => Promise<void>,
): Promise<void> {
  for (const message of batch.messages) {
    try {
      await handle(parse(message.body));
      message.ack();
    } catch (error) {
      const permanent = error instanceof PermanentJobError || error instanceof SyntaxError || (error as Error)?.name === "ZodError";
      log(permanent ? "error" : "warn", "queue message failed", {
        queue: batch.queue,
        messageId: message.id,
        attempts: message.attempts,
        permanent,
        ...errorFields(error),
      });
      if (permanent) message.ack();
      else message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
