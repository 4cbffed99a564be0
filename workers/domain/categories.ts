import type { CategoryRow } from "../data/catalog.ts";

export interface CategoryNode extends CategoryRow {
  children: CategoryNode[];
}

/**
 * Builds the category tree from flat rows (already in display order); a parent's count includes
 * every listing below it, so "Programming (1,204)" means what a buyer expects.
 */
export function buildCategoryTree(rows: CategoryRow[]): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>();
  for (const row of rows) nodes.set(row.id, { ...row, children: [] });
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const total = (node: CategoryNode): number =>
    (node.activeListings += node.children.reduce((sum, child) => sum + total(child), 0));
  roots.forEach(total);
  return roots;
}
