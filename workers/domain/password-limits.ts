/** The length rule of new passwords, in its own module so Node tools (the list generator) can read it too. */
export const MIN_PASSWORD_LENGTH = 10;
/** Bounds the work of normalising and hashing; no one types more. */
export const MAX_PASSWORD_LENGTH = 256;
