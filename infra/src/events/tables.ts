import { sql, type ColumnType, type Kysely, type Migration, type RawBuilder } from 'kysely';

/**
 * The backbone's tables, in the service's own schema. Names are camelCase here and snake_case in SQL
 * (the database's CamelCasePlugin translates). JSON columns are written as JSON text and read back with
 * `::text` casts: the CamelCasePlugin would otherwise rename snake_case keys inside event data.
 */
export interface OutboxTable {
  /** The event id. */
  id: string;
  type: string;
  orgId: string;
  source: string;
  /** The envelope. */
  payload: ColumnType<unknown, string, never>;
  /** W3C carrier (traceparent, tracestate) of the context that recorded the event. */
  traceContext: ColumnType<unknown, string, never>;
  createdAt: ColumnType<Date, never, never>;
  sentAt: ColumnType<Date | null, never, Date | RawBuilder<unknown>>;
  publishAttempts: ColumnType<number, never, number | RawBuilder<unknown>>;
  lastError: ColumnType<string | null, never, string | null>;
}

export interface ProcessedEventsTable {
  eventId: string;
  type: string;
  processedAt: ColumnType<Date, never, never>;
}

export interface DeadLettersTable {
  id: string;
  /** The envelope's id; for a body that is no envelope, a UUID derived from the body (see deadLetterKey). */
  eventId: string;
  /** The envelope's type; for a body that is no envelope, its routing key (or 'unknown'). */
  type: string;
  /** Null when the message had no valid envelope: no organization can be trusted, so only operators see it. */
  orgId: string | null;
  /** Null when the body was not an envelope. */
  envelope: ColumnType<unknown, string | null, never>;
  /** The body exactly as received (at most MAX_STORED_BODY_BYTES); null in rows recorded before 0102. */
  body: ColumnType<Uint8Array | null, Buffer, never>;
  /** A DeadLetterReason. */
  reason: string;
  error: string;
  attempts: number;
  firstFailedAt: ColumnType<Date, Date | string, Date | string>;
  lastFailedAt: ColumnType<Date, Date | string, Date | string>;
  replayedAt: ColumnType<Date | null, never, Date | null | RawBuilder<unknown>>;
}

export interface EventTables {
  outbox: OutboxTable;
  processedEvents: ProcessedEventsTable;
  deadLetters: DeadLettersTable;
}

/** Name of the backbone's migration: sorts after a subgraph's own '0001_…' to '00xx_…' migrations. */
export const EVENT_MIGRATION_NAME = '0100_event_backbone';

/**
 * The backbone's second migration: dead letters for any message (not only envelopes). Named to sort after every
 * migration any subgraph had when it was written ('0101_…'), rather than letting the migrator apply migrations out
 * of order: Kysely's ordered check stays on (it catches a subgraph's own misnamed migration), and a fresh database
 * and an upgraded one run the same sequence. Infra and subgraph migrations share one numbering per schema: a later
 * migration of either takes the next free number ('0103_…' onwards).
 */
export const EVENT_DEAD_LETTERS_MIGRATION_NAME = '0102_event_dead_letters_any_message';

/**
 * The backbone's tables as a Kysely migration a subgraph adds to its own list:
 * `migrations: { ...ownMigrations, ...eventMigrations }`. It runs against the service's schema
 * (the migrator's Kysely is bound with `withSchema`). Never change it: add a new migration instead.
 *
 * Kysely's Migrator refuses a new migration that sorts before one already applied, so a subgraph's later
 * migrations must be named after the backbone's latest ('0103_…' onwards).
 */
export const eventMigrations: Record<string, Migration> = {
  [EVENT_MIGRATION_NAME]: {
    // Migrations receive an untyped Kysely by Kysely's own contract.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('trace_context', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        // clock_timestamp, not now(): events recorded in one transaction keep the order they were recorded in.
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .addColumn('sent_at', 'timestamptz')
        .addColumn('publish_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute();
      // The relay's scan: unsent rows, oldest first. Partial, so it stays as small as the backlog.
      await db.schema
        .createIndex('outbox_unsent_idx')
        .on('outbox')
        .columns(['created_at', 'id'])
        .where(sql.ref('sent_at'), 'is', null)
        .execute();
      // Housekeeping of delivered rows (delete where sent_at < …).
      await db.schema.createIndex('outbox_sent_at_idx').on('outbox').column('sent_at').where(sql.ref('sent_at'), 'is not', null).execute();

      await db.schema
        .createTable('processed_events')
        .addColumn('event_id', 'uuid', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable('dead_letters')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        // One row per event: a failure after a replay updates it.
        .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('envelope', 'jsonb', (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('first_failed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('last_failed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('replayed_at', 'timestamptz')
        .execute();
      // Listing, newest failure first.
      await db.schema.createIndex('dead_letters_last_failed_idx').on('dead_letters').columns(['last_failed_at desc', 'id desc']).execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>) {
      await db.schema.dropTable('dead_letters').ifExists().execute();
      await db.schema.dropTable('processed_events').ifExists().execute();
      await db.schema.dropTable('outbox').ifExists().execute();
    },
  },
  [EVENT_DEAD_LETTERS_MIGRATION_NAME]: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's migration contract
    async up(db: Kysely<any>) {
      // A message that is not an envelope has no organization and no envelope; its body is kept as bytes, exactly as
      // received (it may not be UTF-8, or may hold NUL, which text refuses).
      await db.schema.alterTable('dead_letters').alterColumn('org_id', (c) => c.dropNotNull()).execute();
      await db.schema.alterTable('dead_letters').alterColumn('envelope', (c) => c.dropNotNull()).execute();
      await db.schema.alterTable('dead_letters').addColumn('body', 'bytea').execute();
      await db.schema
        .alterTable('dead_letters')
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo('handler_failed'))
        .execute();
      // The ADMIN API lists one organization's letters; operators look for those of none.
      await db.schema.createIndex('dead_letters_org_idx').on('dead_letters').columns(['org_id', 'last_failed_at']).execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's migration contract
    async down(db: Kysely<any>) {
      await db.deleteFrom('dead_letters').where('org_id', 'is', null).execute();
      await db.schema.dropIndex('dead_letters_org_idx').ifExists().execute();
      await db.schema.alterTable('dead_letters').dropColumn('reason').execute();
      await db.schema.alterTable('dead_letters').dropColumn('body').execute();
      await db.schema.alterTable('dead_letters').alterColumn('envelope', (c) => c.setNotNull()).execute();
      await db.schema.alterTable('dead_letters').alterColumn('org_id', (c) => c.setNotNull()).execute();
    },
  },
};

/** The backbone's view of a service's database. */
export function eventTables<DB>(db: Kysely<DB>): Kysely<EventTables> {
  // The service's DB type does not list the backbone's tables, which its migration list adds.
  return db as unknown as Kysely<EventTables>;
}
