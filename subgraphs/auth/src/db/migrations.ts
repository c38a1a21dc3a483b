import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as DB describes it today.
type AnyDB = Kysely<Record<string, never>>;

export const migrations: Record<string, Migration> = {
  '0001_identity': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('organizations')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('memberships')
        .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('OWNER', 'ADMIN', 'BRAND_MANAGER', 'CONTENT_CREATOR', 'VIEWER')`),
        )
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('memberships_pkey', ['org_id', 'user_id'])
        .execute();
      await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();
    },
  },
  '0002_access_control': {
    async up(db: AnyDB) {
      await db.schema
        .alterTable('users')
        .addColumn('email_verified_at', 'timestamptz')
        .addColumn('email_verification_hash', 'text')
        .execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('family_id', 'uuid', (c) => c.notNull())
        .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('used_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute();
      await db.schema.createIndex('refresh_tokens_user_idx').on('refresh_tokens').column('user_id').execute();
      await db.schema
        .createTable('invitations')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('invited_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('accepted_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('invitations_org_idx').on('invitations').columns(['org_id', 'created_at']).execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', sql`text[]`, (c) => c.notNull())
        .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('expires_at', 'timestamptz')
        .addColumn('last_used_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('api_keys_org_idx').on('api_keys').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('org_id', 'uuid')
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'uuid')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_id', 'uuid')
        .addColumn('address', 'text')
        .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('audit_events_org_idx').on('audit_events').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('login_attempts')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('succeeded', 'boolean', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('login_attempts_email_idx').on('login_attempts').columns(['email', 'created_at']).execute();
      await db.schema.createIndex('login_attempts_address_idx').on('login_attempts').columns(['address', 'created_at']).execute();
    },
  },
  '0003_platform_connections': {
    async up(db: AnyDB) {
      // Auth's record that a brand exists in an organization (from brand.created): connections reference it.
      await db.schema
        .createTable('brands')
        .addColumn('brand_id', 'uuid', (c) => c.primaryKey())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('brands_org_idx').on('brands').columns(['org_id', 'brand_id']).execute();
      await db.schema
        .createTable('platform_connections')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('brand_id', 'uuid', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('auth_kind', 'text', (c) => c.notNull().check(sql`auth_kind in ('oauth2', 'api_key')`))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('account_name', 'text', (c) => c.notNull())
        .addColumn('account_url', 'text')
        .addColumn('sandbox', 'boolean', (c) => c.notNull())
        .addColumn('scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
        // Sealed with AES-256-GCM (infra/src/secret-box.ts): never stored in the clear.
        .addColumn('credentials_sealed', 'text', (c) => c.notNull())
        .addColumn('refresh_token_sealed', 'text')
        .addColumn('token_expires_at', 'timestamptz')
        .addColumn('health', 'text', (c) => c.notNull().defaultTo('HEALTHY').check(sql`health in ('HEALTHY', 'DEGRADED', 'BROKEN')`))
        .addColumn('last_error_code', 'text')
        .addColumn('last_error', 'text')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_checked_at', 'timestamptz')
        .addColumn('next_check_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('created_by', 'uuid')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // One live connection per brand, provider and account: connecting the same account again replaces its tokens.
      await db.schema
        .createIndex('platform_connections_account_key')
        .on('platform_connections')
        .columns(['org_id', 'brand_id', 'provider', 'account_id'])
        .unique()
        .execute();
      await db.schema.createIndex('platform_connections_org_idx').on('platform_connections').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('platform_connections_due_idx').on('platform_connections').columns(['next_check_at']).execute();
      // An OAuth2 flow between its start and its callback: state (hashed) → who started it, and the sealed verifier.
      await db.schema
        .createTable('connection_attempts')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('brand_id', 'uuid', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('verifier_sealed', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};
