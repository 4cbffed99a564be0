import { thumbHashToDataURL } from "thumbhash";

/** Money is integer minor units; this is the only place it becomes text for people. */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: amount % 100 === 0 ? 0 : 2 }).format(
    amount / 100,
  );
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat("en-US").format(value);
}

const monthYear = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
const day = new Intl.DateTimeFormat("en-US", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "March 2024", for member-since lines. */
export const formatMonth = (iso: string) => monthYear.format(new Date(iso));

/** "Mar 12, 2024", for reviews and changes. */
export const formatDay = (iso: string) => day.format(new Date(iso));

const dayInYear = new Intl.DateTimeFormat("en-US", { day: "numeric", month: "short", timeZone: "UTC" });

/** When something last happened, short: "14:05" today, "Mar 12" this year, "Mar 12, 2024" before (UTC, like message times). */
export function formatWhen(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (iso.slice(0, 10) === now.toISOString().slice(0, 10)) return iso.slice(11, 16);
  return at.getUTCFullYear() === now.getUTCFullYear() ? dayInYear.format(at) : day.format(at);
}

/** "1 revision", "3 revisions": counts with their noun. */
export const plural = (count: number, noun: string) => `${formatCount(count)} ${noun}${count === 1 ? "" : "s"}`;

const regions = new Intl.DisplayNames(["en"], { type: "region" });

/** "PT" → "Portugal"; a code the runtime does not know stays as it is. */
export function formatCountry(code: string): string {
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** "812 B", "2.4 MB": a file's size for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KB"] : [bytes / (1024 * 1024), "MB"];
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

/** A ThumbHash (base64) as a tiny PNG data URL, painted under a photo until its bytes arrive. */
export const placeholderUrl = (hash: string) => thumbHashToDataURL(Uint8Array.from(atob(hash), (c) => c.charCodeAt(0)));
