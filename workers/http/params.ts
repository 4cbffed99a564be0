import { z } from "zod";
import { validate } from "../lib/validate.ts";

/** The path parameters every resource uses, validated once here for the JSON API and the pages alike. */
export const idParam = validate("param", z.object({ id: z.uuid() }));
export const slugParam = validate("param", z.object({ slug: z.string().trim().min(1).max(120) }));
export const usernameParam = validate("param", z.object({ username: z.string().trim().min(1).max(40) }));
