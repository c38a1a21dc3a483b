import { tenantColumns, timestampColumns } from '@umt/infra';
import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as DB describes it today.
type AnyDB = Kysely<Record<string, never>>;

export const migrations: Record<string, Migration> = {
  '0001_brands_and_projects': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('brands')
        .$call(tenantColumns)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('website', 'text')
        .addColumn('industry', 'text')
        .addColumn('voice', 'text')
        .$call(timestampColumns)
        .execute();
      await db.schema.createIndex('brands_org_page_idx').on('brands').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createIndex('brands_org_name_key')
        .on('brands')
        .unique()
        .expression(sql`org_id, lower(name)`)
        .execute();
      await db.schema
        .createTable('projects')
        .$call(tenantColumns)
        .addColumn('brand_id', 'uuid', (c) => c.notNull().references('brands.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('BLOG', 'SOCIAL_POST', 'EMAIL', 'LANDING_PAGE', 'AD_COPY')`))
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .defaultTo('DRAFT')
            .check(sql`status in ('DRAFT', 'IN_PROGRESS', 'REVIEW', 'APPROVED', 'PUBLISHED')`),
        )
        .addColumn('due_at', 'timestamptz')
        .$call(timestampColumns)
        .execute();
      await db.schema
        .createIndex('projects_brand_page_idx')
        .on('projects')
        .columns(['org_id', 'brand_id', 'created_at', 'id'])
        .execute();
    },
  },
};
