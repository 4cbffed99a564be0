/**
 * Messages that look like an attempt to take payment off the platform are flagged for admin review,
 * never blocked: a false positive must not stop a conversation.
 */
const OFF_PLATFORM = [
  /[\w.+-]+@[\w-]+\.[\w.-]+/, // an email address
  /(?:\+?\d[\s().-]*){9,}/, // a phone number: nine or more digits with separators
  /\b(?:paypal|venmo|cash\s?app|zelle|wise|revolut|western\s+union|bitcoin|btc|usdt|iban)\b/i,
  /(?:^|\s)\$[a-z][\w-]{2,}/i, // a $cashtag
];

export function looksOffPlatform(body: string): boolean {
  return OFF_PLATFORM.some((pattern) => pattern.test(body));
}
