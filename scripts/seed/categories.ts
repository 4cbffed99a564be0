import type pg from "pg";
import { insertRows, type Columns } from "./bulk-load.ts";
import { CONTENT_CATEGORIES } from "./categories-content.ts";
import { CREATIVE_CATEGORIES } from "./categories-creative.ts";
import { TECHNICAL_CATEGORIES } from "./categories-technical.ts";
import type { RootCategory } from "./category-types.ts";
import type { SeededLeaf } from "./listings.ts";

const DISPLAY_ORDER = [
  "graphics-design",
  "programming-tech",
  "digital-marketing",
  "writing-translation",
  "video-animation",
  "music-audio",
  "business",
  "data",
  "photography",
  "ai-services",
];

const allRoots = [...CREATIVE_CATEGORIES, ...CONTENT_CATEGORIES, ...TECHNICAL_CATEGORIES];

export const CATEGORY_TREE: RootCategory[] = DISPLAY_ORDER.map((slug) => {
  const root = allRoots.find((candidate) => candidate.slug === slug);
  if (!root) throw new Error(`no category data for ${slug}`);
  return root;
});

type CategoryRow = { parentId: number | null; slug: string; name: string; description: string; position: number };

const CATEGORY_COLUMNS: Columns<CategoryRow> = { parentId: "int", slug: "text", name: "text", description: "text", position: "smallint" };

/** Writes the tree (roots, then their children) and returns each root's leaves with their new ids, by root slug. */
export async function insertCategories(client: pg.ClientBase): Promise<Map<string, SeededLeaf[]>> {
  const ids = async () => {
    const { rows } = await client.query<{ id: number; slug: string }>("select id, slug::text from categories");
    return new Map(rows.map((row) => [row.slug, row.id]));
  };
  const idOf = (map: Map<string, number>, slug: string) => {
    const id = map.get(slug);
    if (id === undefined) throw new Error(`category ${slug} was not stored`);
    return id;
  };

  const rootRows = CATEGORY_TREE.map((root, position) => ({ parentId: null, slug: root.slug, name: root.name, description: root.description, position }));
  await insertRows(client, "categories", CATEGORY_COLUMNS, rootRows);
  const rootIds = await ids();
  const leafRows = CATEGORY_TREE.flatMap((root) =>
    root.leaves.map((leaf, position) => ({ parentId: idOf(rootIds, root.slug), slug: leaf.slug, name: leaf.name, description: leaf.description, position })),
  );
  await insertRows(client, "categories", CATEGORY_COLUMNS, leafRows);
  const allIds = await ids();
  return new Map(
    CATEGORY_TREE.map((root) => [root.slug, root.leaves.map((leaf) => ({ ...leaf, id: idOf(allIds, leaf.slug), rootId: idOf(rootIds, root.slug) }))]),
  );
}
