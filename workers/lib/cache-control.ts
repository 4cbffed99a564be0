/** What a response meant for one caller says: no cache anywhere keeps it. */
export const PRIVATE_CACHE_CONTROL = "private, no-store";
