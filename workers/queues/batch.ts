import { PermanentJobError, retryDelaySeconds } from "../lib/jobs.ts";
import { errorFields, log } from "../lib/log.ts";

/**
 * Runs each message on its own: one bad message never retries or drops its neighbours.
 * Transient failures retry with backoff; after max_retries the platform moves them to the dead-letter queue.
 * `concurrently` runs the batch's messages side by side (photos: the work waits on R2 and the Images
 * binding, not on the isolate's CPU); otherwise one after another.
 */
export async function processEach<Body>(
  batch: MessageBatch<unknown>,
  parse: (body: unknown) => Body,
  handle: (body: Body) => Promise<void>,
  options: { concurrently?: boolean } = {},
): Promise<void> {
  const settle = (message: Message<unknown>) => settleMessage(batch.queue, message, parse, handle);
  if (options.concurrently) {
    await Promise.all(batch.messages.map(settle));
    return;
  }
  for (const message of batch.messages) await settle(message);
}

/** Acknowledges a message that was handled or can never be; anything else is retried with backoff. */
async function settleMessage<Body>(queue: string, message: Message<unknown>, parse: (body: unknown) => Body, handle: (body: Body) => Promise<void>) {
  try {
    await handle(parse(message.body));
    message.ack();
  } catch (error) {
    const permanent = error instanceof PermanentJobError || error instanceof SyntaxError || (error as Error)?.name === "ZodError";
    log(permanent ? "error" : "warn", "queue message failed", {
      queue,
      messageId: message.id,
      attempts: message.attempts,
      permanent,
      ...errorFields(error),
    });
    if (permanent) message.ack();
    else message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}
