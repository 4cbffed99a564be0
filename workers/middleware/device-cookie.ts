import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { DEVICE_COOKIE_SECONDS, newDeviceToken, trustedDevice } from "../domain/device-cookies.ts";
import { clientIp } from "./auth.ts";
import { enforceLimit, LIMITS } from "./rate-limit.ts";

// __Host-device: one per browser, for the account that last signed in on it; sign-out keeps it.
const DEVICE_COOKIE = "device";

/**
 * Counts a sign-in attempt for this email (docs/security.md, "Sign-in lockout design"). A browser
 * holding this account's device cookie spends its own budget; every other client spends the per-IP
 * budget and the per-account one that all untrusted clients share. A stranger can exhaust the
 * latter, which locks out only untrusted clients, never the owner's known browsers.
 */
export async function limitSignIn(c: Context<AppEnv>, email: string): Promise<void> {
  const device = await trustedDevice(c.var.config.SESSION_SECRET, getCookie(c, DEVICE_COOKIE, "host"), email);
  if (device) return enforceLimit(c, LIMITS.signInPerDevice, device);
  await enforceLimit(c, LIMITS.signInPerIp, clientIp(c));
  await enforceLimit(c, LIMITS.signInPerAccount, email);
}

/** After the password was right: this browser is now a known device for the account (a fresh nonce each time). */
export async function rememberDevice(c: Context<AppEnv>, email: string): Promise<void> {
  const token = await newDeviceToken(c.var.config.SESSION_SECRET, email);
  setCookie(c, DEVICE_COOKIE, token, { prefix: "host", httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: DEVICE_COOKIE_SECONDS });
}
