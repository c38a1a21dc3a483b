import { tenantColumns, timestampColumns } from '@umt/infra';
import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as DB describes it today.
type AnyDB = Kysely<Record<string, never>>;

export const migrations: Record<string, Migration> = {
  '0001_calendar_entries': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('calendar_entries')
        .$call(tenantColumns)
        .addColumn('brand_id', 'uuid', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('notes', 'text')
        .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().defaultTo('PLANNED').check(sql`status in ('PLANNED', 'SCHEDULED', 'DONE', 'CANCELLED')`),
        )
        .$call(timestampColumns)
        .execute();
      await db.schema
        .createIndex('calendar_entries_brand_idx')
        .on('calendar_entries')
        .columns(['org_id', 'brand_id', 'scheduled_at', 'id'])
        .execute();
    },
  },
  // 0100 is the event backbone's (infra eventMigrations).
  '0101_brand_planning': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('brand_planning')
        .addColumn('brand_id', 'uuid', (c) => c.primaryKey())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('brand_name', 'text', (c) => c.notNull())
        .addColumn('prepared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};
