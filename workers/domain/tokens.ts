import { errors, jwtVerify, SignJWT } from "jose";
import { ROLES, type Role } from "../data/schema/accounts.ts";
import { MemoryLru } from "../lib/memory-lru.ts";

export type { Role };

/**
 * Sessions suit the edge: a short-lived signed access token authenticates a request with no database
 * round trip, and a long-lived opaque refresh token (stored only as a hash) renews it. Revocation
 * therefore takes effect within ACCESS_TOKEN_SECONDS.
 */
export const ACCESS_TOKEN_SECONDS = 60;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60;
/** A rotated refresh token presented again this soon is a browser's parallel requests, not theft. */
export const REFRESH_REUSE_GRACE_SECONDS = 10;

const ISSUER = "gigmarket";
const encoder = new TextEncoder();

export interface AccessClaims {
  userId: string;
  /** The sign-in (refresh token family) this token belongs to. */
  sessionId: string;
  roles: Role[];
}

export async function signAccessToken(secret: string, claims: AccessClaims, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ sid: claims.sessionId, roles: claims.roles })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_SECONDS)
    .sign(encoder.encode(secret));
}

/** A verified token's claims, kept per isolate with what they were checked against. */
interface VerifiedToken {
  secret: string;
  claims: AccessClaims;
  /** The token's `exp` (seconds since epoch): it is valid while the current second is below this. */
  expiresAt: number;
  bytes: number;
}

/**
 * Tokens this isolate has verified, by the whole token string (signature included). A token is immutable
 * and carries its expiry, so a second verification of the same string could only differ by the clock:
 * the cache answers it with the claims and the expiry check alone, and a signed-in edge hit skips the
 * HMAC (docs/caching.md). Bounded, least recently used out; only valid tokens are kept.
 */
const verifiedTokens = new MemoryLru<VerifiedToken>({ maxBytes: 512 * 1024, maxEntryBytes: 8 * 1024 }, (entry) => entry.bytes);

/** Whether a token whose `exp` is this is still valid at `now` (jose's rule: expired once `exp` <= the current second). */
const unexpired = (expiresAt: number, now: number) => expiresAt > Math.floor(now / 1000);

/** The claims of a valid, unexpired token; null for anything else (tampered, expired, wrong key, malformed). */
export async function verifyAccessToken(secret: string, token: string, now = Date.now()): Promise<AccessClaims | null> {
  const known = verifiedTokens.get(token);
  if (known && known.secret === secret) {
    if (unexpired(known.expiresAt, now)) return { ...known.claims, roles: [...known.claims.roles] };
    verifiedTokens.delete(token);
    return null;
  }
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { issuer: ISSUER, audience: ISSUER, algorithms: ["HS256"], currentDate: new Date(now) });
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is Role => ROLES.includes(role as Role)) : [];
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || typeof payload.exp !== "number") return null;
    const claims = { userId: payload.sub, sessionId: payload.sid, roles };
    verifiedTokens.set(token, { secret, claims: { ...claims, roles: [...roles] }, expiresAt: payload.exp, bytes: token.length + 256 });
    return claims;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

export const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** A random opaque token (refresh tokens, email links) and the hash that is all the database keeps. */
export async function newOpaqueToken(): Promise<{ token: string; hash: string }> {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { token, hash: await hashOpaqueToken(token) };
}

/** High-entropy tokens need no salt or stretching: a plain SHA-256 makes a stolen table useless. */
export async function hashOpaqueToken(token: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(token))));
}

const hmacKey = (secret: string, usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", encoder.encode(`read-your-writes:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [usage]);

/**
 * The read-your-writes marker a write earns: its expiry (seconds since epoch) and an HMAC of it, so a
 * client cannot forge one to send its reads past the caches to the primary.
 */
export async function signWriteMarker(secret: string, seconds: number, now = Date.now()): Promise<string> {
  const until = String(Math.floor(now / 1000) + seconds);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(until)));
  return `${until}.${toBase64Url(mac)}`;
}

/** Whether a marker is one we signed and has not expired (a constant-time check). */
export async function verifyWriteMarker(secret: string, marker: string, now = Date.now()): Promise<boolean> {
  const [until = "", mac = "", ...rest] = marker.split(".");
  if (rest.length > 0 || !/^\d{1,12}$/.test(until) || Number(until) * 1000 < now || !/^[\w-]{43}$/.test(mac)) return false;
  const bytes = Uint8Array.from(atob(mac.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), bytes, encoder.encode(until));
}
