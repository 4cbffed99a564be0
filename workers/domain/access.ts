import type { ListingStatus } from "../data/schema/index.ts";
import { AppError } from "../lib/errors.ts";
import type { AccessClaims } from "./tokens.ts";

/**
 * The one place that decides who may touch what. Every route with an object to protect describes it
 * as a Resource and calls `authorize`; tests read the same rules from `can`.
 */
export type Resource =
  | { kind: "listing"; ownerId: string; status: ListingStatus }
  | { kind: "order"; buyerId: string; sellerId: string }
  | { kind: "conversation"; participantIds: readonly string[] }
  | { kind: "account"; userId: string };

/** view: read it; change: act on it as its party; moderate: act on it as the platform. */
export type Action = "view" | "change" | "moderate";

type Actor = Pick<AccessClaims, "userId" | "roles"> | null;

function isParty(actor: NonNullable<Actor>, resource: Resource): boolean {
  switch (resource.kind) {
    case "listing":
      return resource.ownerId === actor.userId;
    case "order":
      return resource.buyerId === actor.userId || resource.sellerId === actor.userId;
    case "conversation":
      return resource.participantIds.includes(actor.userId);
    case "account":
      return resource.userId === actor.userId;
  }
}

/** Things anyone, signed in or not, may see. */
const isPublic = (resource: Resource) => resource.kind === "listing" && resource.status === "active";

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (action === "view" && isPublic(resource)) return true;
  if (!actor) return false;
  const admin = actor.roles.includes("admin");
  if (action === "moderate") return admin;
  if (resource.kind === "listing" && resource.status === "deleted") return false;
  if (action === "view") return admin || isParty(actor, resource);
  return isParty(actor, resource);
}

/**
 * Throws unless the actor may do this: 401 for anonymous callers, 404 when they may not even see the
 * object (its existence is not theirs to learn), 403 when they may see it but not do this.
 */
export function authorize(actor: Actor, action: Action, resource: Resource, noun = resource.kind): void {
  if (can(actor, action, resource)) return;
  if (!actor) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!can(actor, "view", resource)) throw new AppError("not_found", `No such ${noun}.`);
  throw new AppError("forbidden", action === "moderate" ? "Only admins can do this." : `Only the ${noun}'s ${partiesOf(resource)} can do this.`);
}

/** Who "its party" is, in the 403's words: a conversation has participants, an order a buyer and seller. */
const partiesOf = (resource: Resource) => (resource.kind === "conversation" ? "participants" : resource.kind === "order" ? "buyer or seller" : "owner");
