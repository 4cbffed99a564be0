export * from "./accounts.ts";
export * from "./catalog.ts";
export * from "./chat.ts";
export * from "./orders.ts";
export * from "./ledger.ts";
export * from "./reviews.ts";
export * from "./system.ts";
export * from "./search.ts";
