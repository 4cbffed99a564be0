import { z } from "zod";
import { safeText } from "../lib/text.ts";
import { pageQuery } from "./pagination.ts";
import { PACKAGE_TIERS } from "../data/schema/index.ts";

/** What every slug (listing or category) looks like: lower-case words of letters and digits joined by hyphens (makeSlug). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Minor units: 5.00 to 100,000.00 per package, as the database checks. */
export const PACKAGE_PRICE = { min: 500, max: 10_000_000 };
export const TIER_ORDER = PACKAGE_TIERS;

/** Currencies a listing may be priced in: ones with two minor digits, so PACKAGE_PRICE means the same in each. */
export const LISTING_CURRENCIES = ["USD", "EUR", "GBP"] as const;
export type ListingCurrency = (typeof LISTING_CURRENCIES)[number];
/** A listing with no prices yet is in this currency. */
export const DEFAULT_CURRENCY: ListingCurrency = "USD";

/** Money in, as it goes out: `{ amount, currency }`, the amount in minor units. */
const money = (min: number, tooLow: string, tooHigh: string) =>
  z.object({
    amount: z.number().int("Prices are whole minor units (cents).").min(min, tooLow).max(PACKAGE_PRICE.max, tooHigh),
    currency: z.enum(LISTING_CURRENCIES, `Prices are in ${LISTING_CURRENCIES.join(", ")}.`),
  });

const text = (min: number, max: number, what: string) =>
  safeText()
    .trim()
    .min(min, min <= 1 ? `Enter ${what}.` : `${what} needs at least ${min} characters.`)
    .max(max, `${what} is at most ${max} characters.`);

export const packageInput = z.object({
  tier: z.enum(PACKAGE_TIERS),
  title: text(3, 60, "The package title"),
  description: text(0, 600, "The package description").default(""),
  price: money(PACKAGE_PRICE.min, "Packages cost at least 5.00.", "Packages cost at most 100,000.00."),
  deliveryDays: z.number().int().min(1, "Delivery takes at least a day.").max(90, "Delivery takes at most 90 days."),
  /** null means unlimited revisions. */
  revisions: z.number().int().min(0).max(20).nullable().default(1),
  features: z.array(text(1, 80, "A feature")).max(10, "List at most 10 features.").default([]),
});

export const extraInput = z.object({
  title: text(3, 80, "The extra's title"),
  price: money(100, "Extras cost at least 1.00.", "Extras cost at most 100,000.00."),
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
  /** The category's slug, as the catalog API names categories. */
  category: z.string().trim().toLowerCase().min(1, "Choose a category.").max(80).regex(SLUG_PATTERN, "Choose a category by its slug."),
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

