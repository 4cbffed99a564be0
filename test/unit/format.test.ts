import { describe, expect, it } from "vitest";
import { formatWhen } from "../../web/format.ts";

describe("formatWhen", () => {
  const now = new Date("2026-12-03T19:10:00Z");
  it("shows the time today, the day this year, and the year before that (UTC)", () => {
    expect(formatWhen("2026-12-03T08:05:09.000Z", now)).toBe("08:05");
    expect(formatWhen("2026-12-02T23:59:00.000Z", now)).toBe("Dec 2");
    expect(formatWhen("2025-03-12T10:00:00.000Z", now)).toBe("Mar 12, 2025");
  });
});
