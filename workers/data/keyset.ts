import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** The sort key of the last row a page served: newest-first lists order by (time desc, id desc). */
export interface Key {
  at: Date;
  id: string;
}

/** Rows strictly after the key in (at desc, id desc) order: one index range, whatever was inserted since. */
export function after(at: PgColumn, id: PgColumn, key: Key | undefined): SQL | undefined {
  return key && or(lt(at, key.at), and(eq(at, key.at), lt(id, key.id)));
}

export const newestFirst = (at: PgColumn, id: PgColumn) => [desc(at), desc(id)] as const;
