import { describe, expect, it } from "vitest";
import { makeSlug, packageSummary, publishProblems } from "../../workers/domain/listings.ts";
import { renderDescription } from "../../workers/domain/markdown.ts";
import { decodeCursor, encodeCursor, toPage } from "../../workers/domain/pagination.ts";

describe("makeSlug", () => {
  it("keeps the title's words, drops accents and symbols, and adds a random suffix", () => {
    const slug = makeSlug("I will design a Café logo — fast & clean!");
    expect(slug).toMatch(/^i-will-design-a-cafe-logo-fast-clean-[a-z0-9]{6}$/);
    expect(makeSlug("I will design a Café logo")).not.toBe(makeSlug("I will design a Café logo"));
    expect(makeSlug("!!!")).toMatch(/^listing-[a-z0-9]{6}$/);
    expect(makeSlug("word ".repeat(40)).length).toBeLessThanOrEqual(67);
  });
});

describe("packageSummary", () => {
  it("is the cheapest price and the fastest delivery, or nothing without packages", () => {
    const summary = packageSummary([
      { tier: "basic", price: 3000, deliveryDays: 5 },
      { tier: "premium", price: 9000, deliveryDays: 2 },
    ]);
    expect(summary).toEqual({ startingPrice: 3000, minDeliveryDays: 2 });
    expect(packageSummary([])).toEqual({ startingPrice: null, minDeliveryDays: null });
  });
});

describe("publishProblems", () => {
  const ready = {
    title: "I will write your product descriptions",
    description: "Clear, persuasive product descriptions written for your customers and for search engines.",
    tags: ["copywriting"],
    packages: [{ tier: "basic" as const, price: 2000, deliveryDays: 2 }],
    categoryIsLeaf: true,
  };

  it("finds nothing wrong with a complete listing", () => {
    expect(publishProblems(ready)).toEqual([]);
  });

  it("names each missing piece", () => {
    const problems = publishProblems({ ...ready, packages: [], tags: [], description: "Too short", categoryIsLeaf: false });
    expect(problems.map((p) => p.path).sort()).toEqual(["category", "description", "packages", "tags"]);
  });

  it("requires prices to rise with the tier, whatever order packages come in", () => {
    const packages = [
      { tier: "premium" as const, price: 5000, deliveryDays: 1 },
      { tier: "basic" as const, price: 2000, deliveryDays: 3 },
      { tier: "standard" as const, price: 5000, deliveryDays: 2 },
    ];
    expect(publishProblems({ ...ready, packages }).map((p) => p.message)).toEqual(["The premium package must cost more than the standard one."]);
  });
});

describe("renderDescription", () => {
  it("renders the safe subset and escapes or drops everything else", () => {
    const html = renderDescription("# Title\n\n**bold** _em_ `code`\n\n- one\n- two\n\n> quote\n\n<b onclick=x>raw</b> [link](javascript:alert(1)) ![i](http://x/p.png) <https://auto.example>");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>em</em>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("&lt;b onclick=x&gt;");
    expect(html).not.toMatch(/<a |<img|<b /);
  });
});

describe("keyset cursors", () => {
  it("round-trip a key and refuse anything else with 400", () => {
    const key = { at: new Date("2026-01-02T03:04:05.678Z"), id: crypto.randomUUID() };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor(undefined)).toBeUndefined();
    const notAnId = btoa(JSON.stringify({ at: key.at.toISOString(), id: "x'); drop table listings; --" }));
    for (const bad of ["garbage", btoa("{}"), btoa(JSON.stringify({ at: "yesterday", id: key.id })), notAnId]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ code: "invalid_input", status: 400 }) as Error);
    }
  });

  it("turn limit + 1 rows into a page whose cursor is the last row served", () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: crypto.randomUUID() }));
    const page = toPage(rows, 2, (row) => row);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.nextCursor!)).toEqual(rows[1]);
    expect(toPage(rows, 3, (row) => row).nextCursor).toBeNull();
  });
});
