import { describe, expect, it } from "vitest";
import { authorize, can, type Resource } from "../../workers/domain/access.ts";

const owner = { userId: "owner", roles: ["buyer", "seller"] as const };
const stranger = { userId: "stranger", roles: ["buyer"] as const };
const admin = { userId: "admin", roles: ["buyer", "admin"] as const };
const as = (actor: { userId: string; roles: readonly ("buyer" | "seller" | "admin")[] }) => ({ userId: actor.userId, roles: [...actor.roles] });

describe("can", () => {
  it("lets anyone view a live listing but only its owner change it and only admins moderate it", () => {
    const live: Resource = { kind: "listing", ownerId: "owner", status: "active" };
    expect(can(null, "view", live)).toBe(true);
    expect(can(as(stranger), "change", live)).toBe(false);
    expect(can(as(owner), "change", live)).toBe(true);
    expect(can(as(admin), "change", live)).toBe(false);
    expect(can(as(admin), "moderate", live)).toBe(true);
    expect(can(as(owner), "moderate", live)).toBe(false);
  });

  it("hides drafts from everyone but their owner and admins, and deleted listings from all", () => {
    const draft: Resource = { kind: "listing", ownerId: "owner", status: "draft" };
    expect(can(null, "view", draft)).toBe(false);
    expect(can(as(stranger), "view", draft)).toBe(false);
    expect(can(as(admin), "view", draft)).toBe(true);
    expect(can(as(owner), "view", { ...draft, status: "deleted" })).toBe(false);
  });

  it("lets both parties of an order and the participants of a conversation in, nobody else but admins", () => {
    const order: Resource = { kind: "order", buyerId: "b", sellerId: "s" };
    expect(can({ userId: "b", roles: ["buyer"] }, "change", order)).toBe(true);
    expect(can({ userId: "s", roles: ["buyer", "seller"] }, "view", order)).toBe(true);
    expect(can(as(stranger), "view", order)).toBe(false);
    expect(can(as(admin), "view", order)).toBe(true);
    const chat: Resource = { kind: "conversation", participantIds: ["b", "s"] };
    expect(can({ userId: "s", roles: ["buyer"] }, "change", chat)).toBe(true);
    expect(can(as(stranger), "view", chat)).toBe(false);
  });
});

describe("authorize", () => {
  const draft: Resource = { kind: "listing", ownerId: "owner", status: "draft" };
  const live: Resource = { kind: "listing", ownerId: "owner", status: "active" };
  it("answers 401 to anonymous callers, 404 to strangers who may not see it, 403 to those who may only see it", () => {
    expect(() => authorize(null, "change", live)).toThrow(expect.objectContaining({ status: 401 }) as Error);
    expect(() => authorize(as(stranger), "change", draft)).toThrow(expect.objectContaining({ status: 404 }) as Error);
    expect(() => authorize(as(stranger), "change", live)).toThrow(expect.objectContaining({ status: 403 }) as Error);
    expect(() => authorize(as(owner), "change", draft)).not.toThrow();
  });
});
