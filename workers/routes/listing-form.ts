import type { ListingDetail } from "../domain/listing-service.ts";
import { DEFAULT_CURRENCY, TIER_ORDER } from "../domain/listing-inputs.ts";
import { splitList, type FieldOf } from "./page-forms.ts";

/**
 * The seller's listing form as flat text fields, and back. Inputs are named after the schema's paths
 * with the package tier or row number in place of the array index (`packages.standard.price`,
 * `extras.0.title`), because the form always shows every tier and row while the input lists only
 * the offered packages and the filled rows.
 */

/** Rows shown for extras and questions: at least `shown`, more when a listing already has them (the schema allows `max`). */
export const LISTING_FORM_ROWS = { extras: { shown: 3, max: 5 }, faq: { shown: 5, max: 10 } } as const;
type RowList = keyof typeof LISTING_FORM_ROWS;
const ROW_KEYS: Record<RowList, string[]> = { extras: ["title", "price", "addedDays"], faq: ["question", "answer"] };

const PRICE = /^\$?\s*(\d{1,9})(?:\.(\d{1,2}))?$/;
const WHOLE = /^\d{1,6}$/;

/** "12.50" → 1250 minor units (every listing currency has two minor digits), exactly (no floating point); undefined for anything else, such as "12.345". */
export function parseMajorUnits(text: string): number | undefined {
  const match = PRICE.exec(text.trim());
  return match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : undefined;
}

const majorUnits = (amount: number) => (amount / 100).toFixed(amount % 100 === 0 ? 0 : 2);

const offeredTiers = (fields: Record<string, string>) => TIER_ORDER.filter((tier) => fields[`packages.${tier}.offered`] === "on");

/** The row numbers of a list that have anything typed in them, in order. */
function filledRows(fields: Record<string, string>, list: RowList): number[] {
  const rows = Array.from({ length: LISTING_FORM_ROWS[list].max }, (_, row) => row);
  return rows.filter((row) => ROW_KEYS[list].some((key) => fields[`${list}.${row}.${key}`]?.trim()));
}

/** How many rows of a list the form shows for these values. */
export function rowsShown(values: Record<string, string>, list: RowList): number {
  return Math.max(LISTING_FORM_ROWS[list].shown, (filledRows(values, list).at(-1) ?? -1) + 1);
}

/**
 * The posted fields in the shape of listingCreateInput / listingPatchInput. Text that is not a number
 * where one is needed gets its message in `errors` (and NaN in the input, which the schema refuses too).
 */
export function listingFromForm(fields: Record<string, string>, errors: Record<string, string>) {
  const text = (name: string) => fields[name]?.trim() ?? "";
  const number = (name: string, parse: (text: string) => number | undefined, message: string) => {
    const value = parse(text(name));
    if (value === undefined) errors[name] = message;
    return value ?? Number.NaN;
  };
  const currency = text("currency") || DEFAULT_CURRENCY;
  const price = (name: string, what: string) => ({
    amount: number(name, parseMajorUnits, `Enter ${what} like 25 or 12.50 (at most 2 decimals).`),
    currency,
  });
  const whole = (name: string, message: string) => number(name, (value) => (WHOLE.test(value) ? Number(value) : undefined), message);

  return {
    title: text("title"),
    category: text("category"),
    description: text("description"),
    tags: splitList(fields.tags),
    packages: offeredTiers(fields).map((tier) => {
      const name = (key: string) => `packages.${tier}.${key}`;
      return {
        tier,
        title: text(name("title")),
        description: text(name("description")),
        price: price(name("price"), `the ${tier} price`),
        deliveryDays: whole(name("deliveryDays"), `Enter the ${tier} delivery time in whole days.`),
        revisions: text(name("revisions")) === "" ? null : whole(name("revisions"), `Enter the ${tier} revisions as a number, or leave it empty for unlimited.`),
        features: splitList(fields[name("features")], /\r?\n/),
      };
    }),
    extras: filledRows(fields, "extras").map((row) => ({
      title: text(`extras.${row}.title`),
      price: price(`extras.${row}.price`, `the price of extra ${row + 1}`),
      addedDays: text(`extras.${row}.addedDays`) === "" ? 0 : whole(`extras.${row}.addedDays`, `Enter the days extra ${row + 1} adds as a whole number.`),
    })),
    faq: filledRows(fields, "faq").map((row) => ({ question: text(`faq.${row}.question`), answer: text(`faq.${row}.answer`) })),
  };
}

/** Where an issue about `packages.1.price` shows: next to the price of the second offered tier, and so on. */
export const listingFormField: FieldOf = ([list, index, key], fields) => {
  const name = String(list ?? "");
  const rows: Partial<Record<string, readonly (string | number)[]>> = { packages: offeredTiers(fields), extras: filledRows(fields, "extras"), faq: filledRows(fields, "faq") };
  const row = typeof index === "number" ? rows[name]?.[index] : undefined;
  return row === undefined || key === undefined ? name : `${name}.${row}.${String(key)}`;
};

/** The form's fields for a new listing: the basic package ticked, one revision. */
export const NEW_LISTING_VALUES: Record<string, string> = { currency: DEFAULT_CURRENCY, "packages.basic.offered": "on", "packages.basic.revisions": "1" };

/** A saved listing as the form's fields, for its edit page. */
export function listingFormValues(listing: ListingDetail): Record<string, string> {
  const values: Record<string, string> = {
    title: listing.title,
    category: listing.category.slug,
    currency: listing.currency,
    description: listing.description,
    tags: listing.tags.join(", "),
  };
  for (const p of listing.packages) {
    const name = (key: string) => `packages.${p.tier}.${key}`;
    Object.assign(values, {
      [name("offered")]: "on",
      [name("title")]: p.title,
      [name("description")]: p.description,
      [name("price")]: majorUnits(p.price),
      [name("deliveryDays")]: String(p.deliveryDays),
      [name("revisions")]: p.revisions === null ? "" : String(p.revisions),
      [name("features")]: p.features.join("\n"),
    });
  }
  listing.extras.forEach((extra, row) =>
    Object.assign(values, { [`extras.${row}.title`]: extra.title, [`extras.${row}.price`]: majorUnits(extra.price), [`extras.${row}.addedDays`]: String(extra.addedDays) }),
  );
  listing.faq.forEach((entry, row) => Object.assign(values, { [`faq.${row}.question`]: entry.question, [`faq.${row}.answer`]: entry.answer }));
  return values;
}
