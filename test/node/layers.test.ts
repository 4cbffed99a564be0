import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../scripts/local/bin.ts";

/**
 * The layering of docs/architecture.md is the linter's to judge: each case puts one import into a real
 * file of a layer and expects `npm run check`'s eslint to refuse (or accept) it.
 */
// typescript-eslint assumes a one-off run under CI=true and then parses each file as it is on disk,
// ignoring the text handed to lintText; this test lints text that is not on disk, so it says otherwise.
const eslint = new ESLint({
  cwd: projectRoot,
  overrideConfig: { languageOptions: { parserOptions: { disallowAutomaticSingleRunInference: true } } },
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const results = await eslint.lintText(code, { filePath });
  return results.flatMap((result) => result.messages).map((message) => `${message.ruleId ?? "parse"}: ${message.message}`);
}


const refused: [string, string, string, RegExp][] = [
  ["a route queries the data layer", "workers/routes/health.ts", 'import { findUserById } from "../data/users.ts";\nvoid findUserById;\n', /routes may not import data/],
  ["a page imports a data type", "web/components/StatusBadge.tsx", 'import type { UserRow } from "../../workers/data/users.ts";\nexport type X = UserRow;\n', /web may not import data/],
  ["the domain imports Hono", "workers/domain/markdown.ts", 'import { Hono } from "hono";\nexport const x = new Hono();\n', /no-restricted-imports/],
  ["the domain takes a binding", "workers/domain/markdown.ts", "export function f(bucket: R2Bucket) { return bucket; }\n", /no-restricted-types/],
  ["the domain imports a route", "workers/domain/markdown.ts", 'import { catalog } from "../routes/catalog.ts";\nvoid catalog;\n', /domain may not import routes/],
  ["a library imports the domain", "workers/lib/log.ts", 'import { markdownToHtml } from "../domain/markdown.ts";\nvoid markdownToHtml;\n', /lib may not import domain/],
  ["a middleware writes SQL", "workers/middleware/csrf.ts", 'import { sql } from "drizzle-orm";\nvoid sql;\n', /no-restricted-imports/],
  ["deployed code imports a script", "workers/app.ts", 'import { migrateDatabase } from "../scripts/migrate.ts";\nvoid migrateDatabase;\n', /entry may not import tooling/],
];

// Type-aware linting loads the whole TypeScript program on first use, which takes a while.
describe("the layers are enforced by the linter", { timeout: 120_000 }, () => {
  it.each(refused)("refuses when %s", async (_name, filePath, code, expected) => {
    const found = await problems(filePath, code);
    expect(found.join("\n")).toMatch(expected);
  });

  it("accepts the direction the design allows: route → domain → data", async () => {
    const route = await problems("workers/routes/health.ts", 'import { ownAccount } from "../domain/accounts.ts";\nvoid ownAccount;\n');
    const domain = await problems("workers/domain/markdown.ts", 'import { findUserById } from "../data/users.ts";\nvoid findUserById;\n');
    expect([...route, ...domain].filter((problem) => /boundaries|no-restricted/.test(problem))).toEqual([]);
  });
});
