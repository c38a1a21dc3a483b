import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { badInput } from './errors';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Position of a row in a keyset order: the sort column's value, then the id as tie-breaker. `at` is the value as the
 * database writes it (`timestamptz` as text): PostgreSQL keeps microseconds, a JavaScript Date only milliseconds, and
 * a cursor rounded to the millisecond would put the row it points at on the next page again.
 */
export interface Cursor {
  at: string;
  id: string;
}

/** The alias of the exact sort value that paged queries select beside each row (see cursorValue). */
export const CURSOR_COLUMN = 'pageCursorAt';

export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Rows are paged by a timestamp column (camelCase name) and their id. */
export type SortKey<T> = { [K in keyof T]: T[K] extends Date ? K : never }[keyof T] & string;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** A timestamp as PostgreSQL writes one (`2026-11-25 10:00:00.123456+00`) or as ISO 8601 (`2026-11-25T10:00:00.123Z`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}){0,2})$/;

export function decodeCursor(cursor: string): Cursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // Date.parse wants ISO 8601: a T, and an offset with minutes (PostgreSQL writes `+00`).
  const iso = at?.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00') ?? '';
  if (!at || !TIMESTAMP.test(at) || !id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(Date.parse(iso))) {
    throw badInput('after: not a cursor returned by this API', 'after');
  }
  return { at, id };
}

/** Checks paging arguments. */
export function pageWindow(args: PageArgs): { limit: number; after: Cursor | null } {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first: must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return { limit: first, after: args.after ? decodeCursor(args.after) : null };
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export type SortDirection = 'asc' | 'desc';

/** SQL ordering expression for a keyset page: `<column>, id`, both in one direction. */
export function keysetOrder(sortKey: string, direction: SortDirection = 'asc'): RawBuilder<unknown> {
  const dir = sql.raw(direction);
  return sql`${sql.ref(snake(sortKey))} ${dir}, ${sql.ref('id')} ${dir}`;
}

/** Keyset condition: rows strictly after the cursor in the page order. Stable under concurrent inserts, unlike offsets. */
export function afterCursor(after: Cursor, sortKey = 'createdAt', direction: SortDirection = 'asc'): RawBuilder<SqlBool> {
  const op = sql.raw(direction === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${sql.ref(snake(sortKey))}, ${sql.ref('id')}) ${op} (cast(${after.at} as timestamptz), ${after.id})`;
}

/** The exact sort value, to select beside each row of a page (`.select(cursorValue(sortKey))`) for its cursor. */
export function cursorValue(sortKey: string) {
  return sql<string>`${sql.ref(snake(sortKey))}::text`.as(CURSOR_COLUMN);
}

/** Turns `limit + 1` fetched rows into a page. */
export function toConnection<T extends { id: string }>(rows: T[], limit: number, sortKey: SortKey<T>): Connection<T> {
  const nodes = rows.slice(0, limit);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: last ? encodeCursor({ at: exactSortValue(last, sortKey), id: last.id }) : null,
    },
  };
}

/** The row's sort value as the database wrote it, or (for rows built without it) its Date in ISO form. */
function exactSortValue<T>(row: T, sortKey: SortKey<T>): string {
  const exact = (row as Record<string, unknown>)[CURSOR_COLUMN];
  return typeof exact === 'string' ? exact : (row[sortKey] as Date).toISOString();
}

/** Runs a keyset-paged query: `run` receives the row limit (one more than the page) and the decoded cursor. */
export async function fetchPage<T extends { id: string }>(
  args: PageArgs,
  sortKey: SortKey<T>,
  run: (limit: number, after: Cursor | null) => Promise<T[]>,
): Promise<Connection<T>> {
  const { limit, after } = pageWindow(args);
  return toConnection(await run(limit + 1, after), limit, sortKey);
}
