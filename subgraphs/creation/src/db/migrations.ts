import { aiMigrations } from '@umt/ai';
import { tenantColumns, timestampColumns } from '@umt/infra';
import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as DB describes it today.
type AnyDB = Kysely<Record<string, never>>;

export const migrations: Record<string, Migration> = {
  '0001_contents': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('contents')
        .$call(tenantColumns)
        .addColumn('project_id', 'uuid', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('DRAFT').check(sql`status in ('DRAFT', 'REVIEW', 'APPROVED')`))
        .$call(timestampColumns)
        .execute();
      await db.schema.createIndex('contents_org_page_idx').on('contents').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createIndex('contents_project_idx')
        .on('contents')
        .columns(['org_id', 'project_id', 'created_at', 'id'])
        .execute();
    },
  },
  // 0100 is the event backbone's (infra eventMigrations); 0200 the AI layer's.
  ...aiMigrations,
  '0101_briefs': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('briefs')
        .addColumn('project_id', 'uuid', (c) => c.primaryKey())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('brand_id', 'uuid', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('project_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('OPEN').check(sql`status in ('OPEN', 'CLOSED')`))
        .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};
