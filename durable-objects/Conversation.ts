import { DurableObject } from "cloudflare:workers";

/**
 * One object per conversation (WebSockets, message log, receipts, presence). The chat feature is not built
 * yet: the class exists so its binding and SQLite migration are deployed from the first release.
 */
export class Conversation extends DurableObject<Env> {}
