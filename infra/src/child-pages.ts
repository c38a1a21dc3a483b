import { sql, type Kysely } from 'kysely';
import type { Loaders } from './loaders';
import {
  afterCursor,
  cursorValue,
  encodeCursor,
  keysetOrder,
  pageWindow,
  toConnection,
  type Connection,
  type PageArgs,
  type SortKey,
} from './pagination';

export interface ChildListSpec<T> {
  /** Table of the children, e.g. 'projects'. */
  table: string;
  /** Column (camelCase) that points at the parent, e.g. 'brandId'. */
  parentColumn: keyof T & string;
  /** Order of the children (camelCase timestamp column), then id. */
  sortKey: SortKey<T>;
  /** Tenant the caller belongs to; children of other organizations are never read. */
  orgId: string;
}

// The helper serves every subgraph's tables, which no single DB type describes; rows are checked by the caller's T.
type AnyTables = Record<string, Record<string, unknown>>;

/**
 * A page of each parent's children (a brand's projects, a project's contents) in one SQL query per request:
 * the children of all requested parents are ranked per parent with a window function and cut at the page size.
 */
export async function childPage<T extends { id: string }, DB>(
  ctx: { db: Kysely<DB>; loaders: Loaders },
  spec: ChildListSpec<T>,
  parentId: string,
  args: PageArgs,
): Promise<Connection<T>> {
  const { limit, after } = pageWindow(args);
  const name = `${spec.table}.${spec.parentColumn}:${spec.sortKey}:${limit}:${after ? encodeCursor(after) : ''}`;
  const loader = ctx.loaders.groupedBy<T>(
    name,
    async (parentIds) => {
      const db = ctx.db as unknown as Kysely<AnyTables>;
      let ranked = db
        .selectFrom(spec.table)
        .selectAll()
        .select(cursorValue(spec.sortKey))
        .select(sql<number>`row_number() over (partition by ${sql.ref(spec.parentColumn)} order by ${keysetOrder(spec.sortKey)})`.as('pageRank'))
        .where('orgId', '=', spec.orgId)
        .where(spec.parentColumn, 'in', [...parentIds] as never[]);
      if (after) ranked = ranked.where(afterCursor(after, spec.sortKey));
      const rows = await db
        .selectFrom(ranked.as('ranked'))
        .selectAll()
        .where('pageRank', '<=', limit + 1)
        .orderBy(keysetOrder(spec.sortKey))
        .execute();
      return rows as unknown as T[];
    },
    (row) => String(row[spec.parentColumn]),
  );
  return toConnection(await loader.load(parentId), limit, spec.sortKey);
}
