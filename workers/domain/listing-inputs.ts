import { z } from "zod";
import { safeText } from "../lib/text.ts";
import { pageQuery } from "./pagination.ts";
import { PACKAGE_TIERS } from "../data/schema/index.ts";

/** What every slug (listing or category) looks like: lower-case words of letters and digits joined by hyphens (makeSlug). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The largest value of a Postgres integer column: ids beyond it can name no row. */
const INT4_MAX = 2_147_483_647;

/** Minor units: $5.00 to $100,000.00 per package, as the database checks. */
export const PACKAGE_PRICE = { min: 500, max: 10_000_000 };
export const TIER_ORDER = PACKAGE_TIERS;

const text = (min: number, max: number, what: string) =>
  safeText()
    .trim()
    .min(min, min <= 1 ? `Enter ${what}.` : `${what} needs at least ${min} characters.`)
    .max(max, `${what} is at most ${max} characters.`);

export const packageInput = z.object({
  tier: z.enum(PACKAGE_TIERS),
  title: text(3, 60, "The package title"),
  description: text(0, 600, "The package description").default(""),
  price: z.number().int().min(PACKAGE_PRICE.min, "Packages cost at least $5.").max(PACKAGE_PRICE.max, "Packages cost at most $100,000."),
  deliveryDays: z.number().int().min(1, "Delivery takes at least a day.").max(90, "Delivery takes at most 90 days."),
  /** null means unlimited revisions. */
  revisions: z.number().int().min(0).max(20).nullable().default(1),
  features: z.array(text(1, 80, "A feature")).max(10, "List at most 10 features.").default([]),
});

export const extraInput = z.object({
  title: text(3, 80, "The extra's title"),
  price: z.number().int().min(100, "Extras cost at least $1.").max(PACKAGE_PRICE.max),
  addedDays: z.number().int().min(0).max(30).default(0),
});

export const faqInput = z.object({ question: text(3, 200, "The question"), answer: text(1, 1000, "the answer") });

const tags = z
  .array(
    safeText()
      .trim()
      .toLowerCase()
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} +#.-]{0,29}$/u, "Tags are 1–30 letters, digits, spaces or + # . -"),
  )
  .max(8, "Use at most 8 tags.")
  .transform((list) => [...new Set(list)]);

const packages = z
  .array(packageInput)
  .max(3, "A listing has at most three packages.")
  .refine((list) => new Set(list.map((p) => p.tier)).size === list.length, "Each package tier can appear once.");

/** Everything a seller writes about a listing; every field optional so PATCH can send what changed. */
const listingFields = {
  title: text(5, 120, "The title"),
  description: text(0, 10_000, "The description"),
  categoryId: z.number().int().positive().max(INT4_MAX),
  tags,
  packages,
  extras: z.array(extraInput).max(5, "Offer at most 5 extras."),
  faq: z.array(faqInput).max(10, "Answer at most 10 questions."),
};

export const listingCreateInput = z.object({
  ...listingFields,
  description: listingFields.description.default(""),
  tags: listingFields.tags.default([]),
  packages: listingFields.packages.default([]),
  extras: listingFields.extras.default([]),
  faq: listingFields.faq.default([]),
});
export type ListingCreateInput = z.output<typeof listingCreateInput>;

export const listingPatchInput = z.object(listingFields).partial().refine((patch) => Object.keys(patch).length > 0, "Change at least one field.");
export type ListingPatchInput = z.output<typeof listingPatchInput>;

export const listingQuery = pageQuery.extend({ category: safeText().trim().toLowerCase().regex(SLUG_PATTERN, "not a category").max(120).optional() });

