import { toBase64Url } from "./tokens.ts";

/**
 * OWASP's device cookies ("Slow down online guessing attacks with device cookies"): a browser that
 * signed in to an account gets a token naming that account, and its later sign-ins to it are limited by
 * their own budget instead of the per-account one that strangers share. So a stranger who exhausts the
 * account's budget locks out only other untrusted clients, never the owner's own browsers.
 *
 * A token is `<nonce>.<mac>`: 16 random bytes and an HMAC-SHA-256 over the account's email and the
 * nonce. It never shows the email; it is valid only for the email it was made for.
 */
export const DEVICE_COOKIE_SECONDS = 180 * 24 * 60 * 60;

const encoder = new TextEncoder();
// A label no other use of the secret signs (JWT signing inputs are base64url and dots), so a device MAC is never anything else.
const LABEL = "device-cookie\u0000";

const hmacKey = (secret: string, usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
const signed = (email: string, nonce: string) => encoder.encode(`${LABEL}${email}\u0000${nonce}`);

function fromBase64Url(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/** A fresh device token for a browser that has just proved it knows this account's password. */
export async function newDeviceToken(secret: string, email: string): Promise<string> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), signed(email, nonce));
  return `${nonce}.${toBase64Url(new Uint8Array(mac))}`;
}

/** The device's id (its nonce) when the token was made for this email by this server; null for anything else. */
export async function trustedDevice(secret: string, token: string | undefined, email: string): Promise<string | null> {
  const [nonce, given, ...rest] = (token ?? "").split(".");
  const mac = given ? fromBase64Url(given) : null;
  if (!nonce || !mac || rest.length > 0 || !/^[\w-]{22}$/.test(nonce)) return null;
  // subtle.verify compares in constant time.
  return (await crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), mac, signed(email, nonce))) ? nonce : null;
}
