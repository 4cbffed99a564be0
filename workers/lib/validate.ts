import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { AppError } from "./errors.ts";

/**
 * Schema validation for every input (json, query, param, header, form). Failures become the standard
 * error envelope with the offending fields listed, never a bare 400 from the library.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      }));
      const first = issues[0];
      // A body's fields are named alone (the JSON parsed: it is a field that is wrong); elsewhere, where they came from.
      const source = target === "json" || target === "form" ? "" : `${target} `;
      const where = first?.path ? `${source}${first.path}: ` : source ? `${source.trim()}: ` : "";
      throw new AppError("invalid_input", `${where}${first?.message ?? "not accepted"}`, {
        details: { issues },
      });
    }
  });
}
