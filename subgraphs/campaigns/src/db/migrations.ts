import { tenantColumns, timestampColumns } from '@umt/infra';
import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as DB describes it today.
type AnyDB = Kysely<Record<string, never>>;

export const migrations: Record<string, Migration> = {
  '0001_publications': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('publications')
        .$call(tenantColumns)
        .addColumn('content_id', 'uuid', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .defaultTo('SCHEDULED')
            .check(sql`status in ('SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED', 'CANCELLED')`),
        )
        .addColumn('external_url', 'text')
        .$call(timestampColumns)
        .execute();
      await db.schema
        .createIndex('publications_org_schedule_idx')
        .on('publications')
        .columns(['org_id', 'scheduled_at', 'id'])
        .execute();
      await db.schema
        .createIndex('publications_content_idx')
        .on('publications')
        .columns(['org_id', 'content_id', 'scheduled_at', 'id'])
        .execute();
    },
  },
  // 0100 is the event backbone's (infra eventMigrations).
  '0101_contents': {
    async up(db: AnyDB) {
      // Campaigns' record of the content creation has made, from content.created.
      await db.schema
        .createTable('contents')
        .addColumn('content_id', 'uuid', (c) => c.primaryKey())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('project_id', 'uuid', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('known_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};
