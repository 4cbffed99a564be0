import { describe, expect, it } from "vitest";
import { ARGON2_PARAMS, hashPassword, MAX_PASSWORD_BYTES, PBKDF2_ITERATIONS, verifyPassword } from "../../workers/domain/password.ts";

// Runs in workerd, so these exercise the WebAssembly build. The expected hashes below were computed by
// Node's built-in argon2id (OpenSSL): `crypto.argon2Sync("argon2id", { message, nonce: "somesalt", … })`.
const OPENSSL_VECTORS: [password: string, stored: string][] = [
  ["password", "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$PL01amPyeUuxG7H0vIr5X+qHkZvWnHmGBGXFYvh8z2E"],
  ["pässwörd-ünïcode", "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$htexn9e92u3jln3M94JlBe0cfVaspNyqzuXt06KNHwg"],
  ["password", "$argon2id$v=19$m=8192,t=3,p=1$c29tZXNhbHQ$wbxNAK9a4hvrwIGtYYaUhQURFGIl2NOgcO2VuYO41HQ"],
];

/** A hash in the scheme this module used before argon2id, made independently with Web Crypto. */
async function legacyPbkdf2Hash(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  return `pbkdf2-sha256$${iterations}$${base64(salt)}$${base64(new Uint8Array(bits))}`;
}

describe("hashPassword and verifyPassword", () => {
  it("round-trips in the PHC format with the current parameters", async () => {
    const stored = await hashPassword("a long enough passphrase");
    const { m, t, p } = ARGON2_PARAMS;
    expect(stored).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${m},t=${t},p=${p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`));
    expect(await verifyPassword("a long enough passphrase", stored)).toEqual({ ok: true, needsRehash: false });
  });

  it("refuses a wrong password", async () => {
    const stored = await hashPassword("a long enough passphrase");
    expect(await verifyPassword("a long enough passphrase!", stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword("A long enough passphrase", stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword("", stored)).toEqual({ ok: false, needsRehash: false });
  });

  it("salts every hash, so the same password never hashes the same twice", async () => {
    const [first, second] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(first).not.toBe(second);
    expect((await verifyPassword("same password", first)).ok).toBe(true);
    expect((await verifyPassword("same password", second)).ok).toBe(true);
  });

  it("computes standard argon2id, byte for byte the same as OpenSSL, non-ASCII passwords included", async () => {
    for (const [password, stored] of OPENSSL_VECTORS) {
      expect((await verifyPassword(password, stored)).ok, stored).toBe(true);
    }
    // A password that differs only after its first bytes must fail (a UTF-16 length would truncate it).
    expect((await verifyPassword("pässwörd-üxxxxx", OPENSSL_VECTORS[1]![1])).ok).toBe(false);
  });

  it("refuses a tampered or malformed hash without throwing", async () => {
    const stored = await hashPassword("tamper with me please");
    const hash = stored.slice(stored.lastIndexOf("$") + 1);
    const flipped = hash.startsWith("A") ? `B${hash.slice(1)}` : `A${hash.slice(1)}`;
    const tampered = [
      `${stored.slice(0, stored.lastIndexOf("$") + 1)}${flipped}`,
      stored.replace(",t=2,", ",t=3,"),
      stored.replace("$argon2id$", "$argon2i$"),
      stored.replace("$v=19$", "$v=16$"),
      stored.slice(0, -4),
      "",
      "not a hash",
      "$argon2id$v=19$m=19456,t=2,p=1$!!!$!!!",
      "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$PL01amPyeUuxG7H0vIr5X+qHkZvWnHmGBGXFYvh8z2E",
      "$argon2id$v=19$m=19456,t=1000,p=1$c29tZXNhbHQ$PL01amPyeUuxG7H0vIr5X+qHkZvWnHmGBGXFYvh8z2E",
      "pbkdf2-sha256$100000$not base64$at all",
    ];
    for (const value of tampered) {
      expect(await verifyPassword("tamper with me please", value), value).toEqual({ ok: false, needsRehash: false });
    }
  });

  it("asks for a rehash when the stored hash uses other argon2id parameters", async () => {
    const older = await hashPassword("upgrade me on login", { m: 8192, t: 3, p: 1 });
    expect(older).toContain("$m=8192,t=3,p=1$");
    expect(await verifyPassword("upgrade me on login", older)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("not the password", older)).toEqual({ ok: false, needsRehash: false });
  });

  it("still verifies the earlier PBKDF2 hashes, and asks for a rehash", async () => {
    const legacy = await legacyPbkdf2Hash("an older account password");
    expect(await verifyPassword("an older account password", legacy)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("a wrong password", legacy)).toEqual({ ok: false, needsRehash: false });
    // Workers refuse PBKDF2 above 100,000 iterations: such a hash is unreadable, not an error.
    expect(await verifyPassword("x", `pbkdf2-sha256$${PBKDF2_ITERATIONS + 1}$c29tZXNhbHQ=$${"A".repeat(43)}=`)).toEqual({
      ok: false,
      needsRehash: false,
    });
  });

  it("normalises Unicode (NFKC) before hashing", async () => {
    const composed = await hashPassword("Ångström password");
    expect((await verifyPassword("A\u030Angstro\u0308m password", composed)).ok).toBe(true);
    const fullWidth = await hashPassword("ｆｕｌｌ ｗｉｄｔｈ ｐａｓｓ");
    expect((await verifyPassword("full width pass", fullWidth)).ok).toBe(true);
    expect((await verifyPassword("Angstrom password", composed)).ok).toBe(false);
  });

  it("bounds the input it will hash", async () => {
    const longest = "x".repeat(MAX_PASSWORD_BYTES);
    const stored = await hashPassword(longest);
    expect((await verifyPassword(longest, stored)).ok).toBe(true);
    await expect(hashPassword(`${longest}x`)).rejects.toThrow(RangeError);
    expect(await verifyPassword(`${longest}x`, stored)).toEqual({ ok: false, needsRehash: false });
  });
});
