// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the Node scripts type-check this file without the Worker types
/// <reference path="./argon2-wasm.d.ts" />
/**
 * Password hashing with argon2id (RFC 9106) at OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
 * Workers have no native argon2, so there it runs the WebAssembly build from @phi-ag/argon2 (imported as a
 * module, which wrangler bundles); Node (the seed script) has argon2 built in (OpenSSL), the same function.
 * Stored in the PHC string format, `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (unpadded base64).
 * verifyPassword reports needsRehash for any other scheme or parameters, including the earlier
 * `pbkdf2-sha256$<iterations>$<salt>$<hash>` hashes, which still verify. Reasoning and figures: docs/security.md.
 */

/** argon2id cost: m is memory in KiB, t the number of passes, p the number of lanes. */
export interface Argon2Params {
  m: number;
  t: number;
  p: number;
}
export const ARGON2_PARAMS: Readonly<Argon2Params> = { m: 19_456, t: 2, p: 1 };
/** The earlier scheme's work factor (the most PBKDF2 Workers allow): such hashes verify, then get upgraded. */
export const PBKDF2_ITERATIONS = 100_000;
/** Longer input is refused before any hashing. The policy allows 256 code points, at most 1,024 UTF-8 bytes. */
export const MAX_PASSWORD_BYTES = 1024;

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const ARGON2_VERSION = 0x13;
// Bounds on parameters read back from a stored hash. WebAssembly memory never shrinks, so verifying with a
// larger m would keep that much allocated in the isolate: 46 MiB is the largest argon2id setting OWASP lists.
const MAX_MEMORY_KIB = 47_104;
const MAX_PASSES = 10;
const MAX_LANES = 8;

const encoder = new TextEncoder();
// TextEncoder always returns a fresh ArrayBuffer; the Worker types only say ArrayBufferLike.
const encode = (password: string) => encoder.encode(password.normalize("NFKC")) as Uint8Array<ArrayBuffer>;
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

type Argon2id = (password: Uint8Array, salt: Uint8Array, params: Argon2Params, length: number) => Uint8Array;

interface NodeCrypto {
  argon2Sync?(
    algorithm: "argon2id",
    parameters: { message: Uint8Array; nonce: Uint8Array; memory: number; passes: number; parallelism: number; tagLength: number },
  ): Uint8Array;
}

/** Node's built-in argon2id (Node 24.7 and later), or undefined where there is none, as in workerd. */
function nativeArgon2id(): Argon2id | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeCrypto = process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;
  const argon2Sync = nodeCrypto?.argon2Sync?.bind(nodeCrypto);
  if (!argon2Sync) return undefined;
  return (message, nonce, { m, t, p }, tagLength) =>
    new Uint8Array(argon2Sync("argon2id", { message, nonce, memory: m, passes: t, parallelism: p, tagLength }));
}

/** The C exports of the WebAssembly build (the reference implementation, compiled with emscripten). */
interface Argon2Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  /** (t, m, p, pwd, pwdlen, salt, saltlen, hash, hashlen, encoded, encodedlen, type, version) → 0 on success */
  argon2_hash(...args: number[]): number;
}

async function wasmArgon2id(): Promise<Argon2id> {
  const { default: module } = await import("@phi-ag/argon2/argon2.wasm");
  const wasm = (await WebAssembly.instantiate(module)).exports as unknown as Argon2Exports;
  wasm._initialize();
  const copyIn = (bytes: Uint8Array) => {
    const pointer = wasm.malloc(Math.max(bytes.length, 1));
    if (!pointer) throw new Error("argon2id: out of WebAssembly memory");
    new Uint8Array(wasm.memory.buffer).set(bytes, pointer);
    return pointer;
  };
  // The call is synchronous, so requests sharing the isolate never interleave inside it: one instance
  // (about 20 MiB of memory at the current parameters) serves them all. The package's own JavaScript
  // wrapper is not used: it passes the UTF-16 length of the password, truncating non-ASCII passwords.
  return (password, salt, { m, t, p }, length) => {
    const passwordAt = copyIn(password);
    const saltAt = copyIn(salt);
    const hashAt = copyIn(new Uint8Array(length));
    try {
      const code = wasm.argon2_hash(t, m, p, passwordAt, password.length, saltAt, salt.length, hashAt, length, 0, 0, 2, ARGON2_VERSION);
      if (code !== 0) throw new Error(`argon2id failed with code ${code}`);
      return new Uint8Array(wasm.memory.buffer, hashAt, length).slice();
    } finally {
      new Uint8Array(wasm.memory.buffer, passwordAt, password.length).fill(0);
      for (const pointer of [passwordAt, saltAt, hashAt]) wasm.free(pointer);
    }
  };
}

// The loaded function is kept, never the promise of loading it: a promise would be shared with later
// requests, and would never settle for them if the request that started it ended first.
let loaded: Argon2id | undefined;
async function argon2id(): Promise<Argon2id> {
  loaded ??= nativeArgon2id() ?? (await wasmArgon2id());
  return loaded;
}

async function pbkdf2(password: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, iterations: number, length: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, length * 8));
}

export async function hashPassword(password: string, params: Argon2Params = ARGON2_PARAMS): Promise<string> {
  const bytes = encode(password);
  if (bytes.length > MAX_PASSWORD_BYTES) throw new RangeError(`Passwords are limited to ${MAX_PASSWORD_BYTES} bytes.`);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = (await argon2id())(bytes, salt, params, HASH_BYTES);
  const phc = (data: Uint8Array) => toBase64(data).replace(/=+$/, "");
  return `$argon2id$v=${ARGON2_VERSION}$m=${params.m},t=${params.t},p=${params.p}$${phc(salt)}$${phc(hash)}`;
}

export interface PasswordCheck {
  ok: boolean;
  /** The hash uses another scheme or older parameters: store a fresh hash now that the password is known. */
  needsRehash: boolean;
}

type StoredHash =
  | { scheme: "argon2id"; params: Argon2Params; salt: Uint8Array<ArrayBuffer>; hash: Uint8Array; outdated: boolean }
  | { scheme: "pbkdf2"; iterations: number; salt: Uint8Array<ArrayBuffer>; hash: Uint8Array; outdated: true };

const ARGON2ID_FORMAT = /^\$argon2id\$v=(\d{1,3})\$m=(\d{1,9}),t=(\d{1,9}),p=(\d{1,9})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const PBKDF2_FORMAT = /^pbkdf2-sha256\$(\d{1,9})\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

/** Reads a stored hash, or undefined if it is malformed or asks for more work than this module allows. */
function parseStored(stored: string): StoredHash | undefined {
  try {
    const argon = ARGON2ID_FORMAT.exec(stored);
    if (argon) {
      const [version, m, t, p] = argon.slice(1, 5).map(Number) as [number, number, number, number];
      const salt = fromBase64(argon[5]!);
      const hash = fromBase64(argon[6]!);
      const valid = version === ARGON2_VERSION && p >= 1 && p <= MAX_LANES && m >= 8 * p && m <= MAX_MEMORY_KIB;
      if (!valid || t < 1 || t > MAX_PASSES || salt.length < 8 || hash.length < 16 || hash.length > 64) return undefined;
      const current = m === ARGON2_PARAMS.m && t === ARGON2_PARAMS.t && p === ARGON2_PARAMS.p;
      const outdated = !current || salt.length !== SALT_BYTES || hash.length !== HASH_BYTES;
      return { scheme: "argon2id", params: { m, t, p }, salt, hash, outdated };
    }
    const pbkdf = PBKDF2_FORMAT.exec(stored);
    if (pbkdf) {
      const iterations = Number(pbkdf[1]);
      const hash = fromBase64(pbkdf[3]!);
      if (iterations < 1 || iterations > PBKDF2_ITERATIONS || hash.length < 16 || hash.length > 64) return undefined;
      return { scheme: "pbkdf2", iterations, salt: fromBase64(pbkdf[2]!), hash, outdated: true };
    }
  } catch {
    // atob refuses base64 it cannot read: treat it like any other malformed hash.
  }
  return undefined;
}

/** Compares in time that depends only on the lengths, which come from the stored hash, not the guess. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const bytes = encode(password);
  const parsed = parseStored(stored);
  if (!parsed || bytes.length > MAX_PASSWORD_BYTES) return { ok: false, needsRehash: false };
  const actual =
    parsed.scheme === "argon2id"
      ? (await argon2id())(bytes, parsed.salt, parsed.params, parsed.hash.length)
      : await pbkdf2(bytes, parsed.salt, parsed.iterations, parsed.hash.length);
  const ok = timingSafeEqual(actual, parsed.hash);
  return { ok, needsRehash: ok && parsed.outdated };
}
