import { describe, expect, it } from "vitest";
import COMMON_PASSWORDS from "../../workers/domain/common-passwords.txt";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../workers/domain/password-limits.ts";
import { checkPassword } from "../../workers/domain/password-policy.ts";

const code = (password: string, context?: { email?: string; name?: string }) => {
  const verdict = checkPassword(password, context);
  return verdict.ok ? "ok" : verdict.code;
};

describe("checkPassword", () => {
  it("asks for 10 to 256 characters and nothing else: no composition rules", () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(code("tulip-orb")).toBe("password_too_short");
    expect(code("tulip-orbs")).toBe("ok");
    expect(code("all lowercase words only")).toBe("ok");
    expect(code("x".repeat(MAX_PASSWORD_LENGTH - 1) + "y")).toBe("ok");
    expect(code("x".repeat(MAX_PASSWORD_LENGTH) + "y")).toBe("password_too_long");
    expect(code("x".repeat(100_000))).toBe("password_too_long");
  });

  it("counts Unicode code points after NFKC, not UTF-16 units", () => {
    expect(code("🔑".repeat(9))).toBe("password_too_short"); // 18 UTF-16 units, 9 code points
    expect(code("🔑".repeat(10))).toBe("ok");
    expect(code("e\u0301".repeat(5) + "abcd")).toBe("password_too_short"); // NFKC composes é: 9 code points
    expect(code("\uFB03".repeat(4))).toBe("ok"); // the ﬃ ligature becomes "ffi": 12 code points
  });

  it("refuses the most common passwords, whatever their case", () => {
    for (const password of ["qwertyuiop", "1234567890", "password123", "PassWord123", "  Password123 ", "ｑｗｅｒｔｙｕｉｏｐ"]) {
      expect(code(password), password).toBe("password_too_common");
    }
    // A common password that is also short reports what the user can fix first.
    expect(code("password")).toBe("password_too_short");
  });

  it("refuses the account's own email, its local part, or name", () => {
    const context = { email: "Grace.Hopper@example.com", name: "Grace Hopper Navy" };
    expect(code("grace.hopper@example.com", context)).toBe("password_too_common");
    expect(code("GRACE.HOPPER", context)).toBe("password_too_common");
    expect(code("grace hopper navy", context)).toBe("password_too_common");
    expect(code("grace.hopper.cobol", context)).toBe("ok");
    expect(code("no email given at all")).toBe("ok");
    expect(code("no-at-sign-email", { email: "no-at-sign-email" })).toBe("password_too_common");
  });

  it("explains each refusal in words", () => {
    const verdict = checkPassword("short");
    expect(verdict).toMatchObject({ ok: false, code: "password_too_short" });
    expect(verdict.ok ? "" : verdict.message).toMatch(/10 characters/);
  });
});

describe("the common-password list", () => {
  const entries = COMMON_PASSWORDS.trimEnd().split("\n"); // one per line, the file ending in a newline

  it("holds ~10,000 distinct lowercase entries, each long enough to pass the length rule", () => {
    expect(entries.length).toBe(10_000);
    expect(new Set(entries).size).toBe(entries.length);
    for (const entry of entries) {
      expect(entry, entry).toBe(entry.normalize("NFKC").toLowerCase().trim());
      expect([...entry].length, entry).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
    }
  });
});
