import type { ListingCreateInput } from "./listing-inputs.ts";
import { TIER_ORDER } from "./listing-inputs.ts";

type PackageLike = Pick<ListingCreateInput["packages"][number], "tier" | "deliveryDays"> & { price: number };

/** A readable, unique slug: the title's words plus a short random suffix (slugs never change afterwards). */
export function makeSlug(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(4)), (byte) => byte.toString(36).padStart(2, "0")).join("").slice(0, 6);
  return `${words || "listing"}-${suffix}`;
}

/** The denormalised columns list pages read instead of joining packages. */
export function packageSummary(packages: PackageLike[]) {
  if (packages.length === 0) return { startingPrice: null, minDeliveryDays: null };
  return {
    startingPrice: Math.min(...packages.map((p) => p.price)),
    minDeliveryDays: Math.min(...packages.map((p) => p.deliveryDays)),
  };
}

export interface PublishCandidate {
  title: string;
  description: string;
  tags: string[];
  packages: PackageLike[];
  /** Listings live in a subcategory, never directly in a top-level category. */
  categoryIsLeaf: boolean;
}

export interface Problem {
  path: string;
  message: string;
}

/** What stops a draft from going live; an empty list means it can be published. */
export function publishProblems(listing: PublishCandidate): Problem[] {
  const problems: Problem[] = [];
  if (listing.packages.length === 0) problems.push({ path: "packages", message: "Add at least one package." });
  if (!listing.categoryIsLeaf) problems.push({ path: "category", message: "Choose a subcategory, not a top-level category." });
  if (listing.description.trim().length < 50) problems.push({ path: "description", message: "Describe the service in at least 50 characters." });
  if (listing.tags.length === 0) problems.push({ path: "tags", message: "Add at least one tag so buyers can find it." });
  // Higher tiers must offer more for more: price strictly rises from basic to premium.
  const ordered = [...listing.packages].sort((a, b) => TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier));
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.price <= ordered[i - 1]!.price) {
      problems.push({ path: "packages", message: `The ${ordered[i]!.tier} package must cost more than the ${ordered[i - 1]!.tier} one.` });
    }
  }
  return problems;
}
