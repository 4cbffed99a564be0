import { DurableObject } from "cloudflare:workers";

/**
 * One object per order: the order state machine, its timers and the only writer of that order. The orders
 * feature is not built yet: the class exists so its binding and SQLite migration are deployed from the start.
 */
export class OrderEscrow extends DurableObject<Env> {}
