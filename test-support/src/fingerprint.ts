import { SUBGRAPHS, type DatabaseHost } from '@umt/infra';
import { sql } from 'kysely';

/**
 * A digest of every row of every table the subgraphs own: equal fingerprints before and after a call mean the call
 * changed nothing in the database.
 */
export async function databaseFingerprint(stack: { database: DatabaseHost }): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const { name } of SUBGRAPHS) {
    const { db } = stack.database.forSchema<Record<string, never>>(name);
    // CamelCasePlugin maps result columns: table_name arrives as tableName.
    const tables = await sql<{ tableName: string }>`
      select table_name from information_schema.tables
      where table_schema = ${name} and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
      order by table_name`.execute(db);
    for (const { tableName: table } of tables.rows) {
      const digest = await sql<{ digest: string }>`
        select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
        from ${sql.table(`${name}.${table}`)} t`.execute(db);
      result[`${name}.${table}`] = digest.rows[0]?.digest ?? '';
    }
  }
  return result;
}
