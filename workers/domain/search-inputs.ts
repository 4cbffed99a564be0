import { z } from "zod";
import { SEARCH_SORTS } from "../data/search.ts";
import { PACKAGE_PRICE } from "./listing-inputs.ts";
import { pageQuery } from "./pagination.ts";

const price = z.coerce.number().int("Prices are whole minor units.").min(0).max(PACKAGE_PRICE.max);

/** `GET /api/search`: every parameter optional; `category` is one slug or several, comma-separated. */
export const searchQuery = pageQuery
  .extend({
    q: z.string().trim().max(200, "Search for at most 200 characters.").default(""),
    category: z
      .string()
      .trim()
      .max(400)
      .optional()
      .transform((text) => (text ? [...new Set(text.split(",").map((slug) => slug.trim().toLowerCase()).filter(Boolean))] : []))
      .pipe(z.array(z.string().max(80)).max(10, "Pick at most 10 categories.")),
    minPrice: price.optional(),
    maxPrice: price.optional(),
    maxDeliveryDays: z.coerce.number().int().min(1).max(90).optional(),
    minRating: z.coerce.number().min(0).max(5).optional(),
    sort: z.enum(SEARCH_SORTS).default("relevance"),
  })
  .refine((query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice, {
    message: "minPrice is above maxPrice.",
    path: ["minPrice"],
  });

export type SearchQuery = z.infer<typeof searchQuery>;

/** `GET /api/search/suggest?q=`. */
export const suggestQuery = z.object({ q: z.string().trim().min(1, "Type something to complete.").max(100) });

const phrase = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(80)
  .regex(/^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u, "Words of letters and digits, separated by single spaces.");

/** `POST /api/admin/search/synonyms`: two spellings of one need. */
export const synonymInput = z
  .object({ term: phrase, synonym: phrase })
  .refine((pair) => pair.term !== pair.synonym, { message: "A word is no synonym of itself.", path: ["synonym"] });

/**
 * The search page's form: categories as repeated checkboxes and the price as one band ("2500-5000"),
 * turned into the API's query before the same schema checks it.
 */
export const searchPageQuery = z.preprocess((raw) => {
  if (typeof raw !== "object" || raw === null) return raw;
  const { category, price, ...rest } = raw as Record<string, unknown>;
  const [min, max] = typeof price === "string" ? price.split("-") : [];
  return {
    ...rest,
    ...(category === undefined ? {} : { category: Array.isArray(category) ? category.join(",") : category }),
    ...(min ? { minPrice: min } : {}),
    ...(max ? { maxPrice: String(Number(max) - 1) } : {}),
  };
}, searchQuery);
