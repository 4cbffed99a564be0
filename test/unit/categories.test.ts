import { describe, expect, it } from "vitest";
import { buildCategoryTree } from "../../workers/domain/categories.ts";

describe("buildCategoryTree", () => {
  it("nests children under parents in the given order and rolls counts up to every ancestor", () => {
    const tree = buildCategoryTree([
      { id: 1, parentId: null, slug: "design", name: "Design", activeListings: 2 },
      { id: 2, parentId: null, slug: "code", name: "Code", activeListings: 0 },
      { id: 3, parentId: 1, slug: "logos", name: "Logos", activeListings: 5 },
      { id: 4, parentId: 3, slug: "mascots", name: "Mascots", activeListings: 7 },
      { id: 5, parentId: 2, slug: "web", name: "Web", activeListings: 1 },
      { id: 6, parentId: 1, slug: "print", name: "Print", activeListings: 0 },
    ]);
    expect(tree.map((node) => [node.slug, node.activeListings])).toEqual([
      ["design", 14],
      ["code", 1],
    ]);
    const design = tree[0]!;
    expect(design.children.map((node) => [node.slug, node.activeListings])).toEqual([
      ["logos", 12],
      ["print", 0],
    ]);
    expect(design.children[0]!.children.map((node) => node.slug)).toEqual(["mascots"]);
  });

  it("keeps a category whose parent is missing as a root instead of dropping it", () => {
    const tree = buildCategoryTree([{ id: 9, parentId: 42, slug: "orphan", name: "Orphan", activeListings: 3 }]);
    expect(tree.map((node) => node.slug)).toEqual(["orphan"]);
  });
});
