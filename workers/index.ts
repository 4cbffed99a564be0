import { createApp } from "./app.ts";
import { handleQueue, handleScheduled } from "./queues/index.ts";

export { Conversation } from "../durable-objects/Conversation.ts";
export { OrderEscrow } from "../durable-objects/OrderEscrow.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
