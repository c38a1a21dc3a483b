import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Loaders } from './loaders';
import { afterCursor, cursorValue, fetchPage, keysetOrder, type Connection, type PageArgs, type SortDirection, type SortKey } from './pagination';

// These helpers serve every subgraph's tenant tables, which no single DB type describes; rows are typed by the
// caller's T, and every query they build filters on org_id.
type AnyTables = Record<string, Record<string, unknown>>;

interface TenantScope<DB> {
  db: Kysely<DB>;
  loaders: Loaders;
}

/** One of the caller's rows by id, batched per request; null for unknown ids and for other tenants' rows. */
export function loadOwned<T extends { id: string }, DB>(ctx: TenantScope<DB>, table: string, orgId: string, id: string): Promise<T | null> {
  const db = ctx.db as unknown as Kysely<AnyTables>;
  return ctx.loaders
    .byId<T>(`${table}:byId`, async (ids) => {
      const rows = await db.selectFrom(table).selectAll().where('orgId', '=', orgId).where('id', 'in', [...ids]).execute();
      return rows as unknown as T[];
    })
    .load(id);
}

/** A keyset page of the caller's rows of one table. */
export function ownedPage<T extends { id: string }, DB>(
  ctx: TenantScope<DB>,
  spec: { table: string; sortKey: SortKey<T>; orgId: string; direction?: SortDirection; where?: Record<string, unknown> },
  args: PageArgs,
): Promise<Connection<T>> {
  const db = ctx.db as unknown as Kysely<AnyTables>;
  const direction = spec.direction ?? 'asc';
  return fetchPage<T>(args, spec.sortKey, async (limit, after) => {
    let query = db.selectFrom(spec.table).selectAll().select(cursorValue(spec.sortKey)).where('orgId', '=', spec.orgId);
    for (const [column, value] of Object.entries(spec.where ?? {})) query = query.where(column, '=', value);
    if (after) query = query.where(afterCursor(after, spec.sortKey, direction));
    const rows = await query.orderBy(keysetOrder(spec.sortKey, direction)).limit(limit).execute();
    return rows as unknown as T[];
  });
}

/** The columns every tenant table starts with: a generated UUID id and the owning organization.
 * Migrations call this, so it must never change: write a new helper instead. */
export function tenantColumns<TB extends string, C extends string>(table: CreateTableBuilder<TB, C>) {
  return table
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull());
}

/** created_at and updated_at, both set by the database. */
export function timestampColumns<TB extends string, C extends string>(table: CreateTableBuilder<TB, C>) {
  return table
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));
}
