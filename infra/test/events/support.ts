import { sql, type Kysely, type Migration } from 'kysely';
import { migrateToLatest, type Database } from '../../src/database';
import { createLogger } from '../../src/logger';
import { eventMigrations } from '../../src/events';

/** The machine's services and the generic helpers; tests fail, never skip, when a service is not running. */
export {
  AMQP_URL,
  createTestDatabase,
  deleteTopology,
  POSTGRES_ADMIN_URL,
  queueDepth,
  randomName,
  sleep,
  waitFor,
  type TestDatabase,
} from '@umt/test-support';

/** Logs of the code under test: silent unless TEST_LOG_LEVEL says otherwise. */
export const testLogger = createLogger('events-test', process.env.TEST_LOG_LEVEL ?? 'silent');


/** A test service's own table: one row per handler run, so a duplicate effect shows as a second row. */
export interface TestTables {
  effects: { eventId: string; type: string; note: string | null };
}

const testMigrations: Record<string, Migration> = {
  '0001_effects': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's migration contract
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('effects')
        .addColumn('event_id', 'uuid', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
    },
  },
};

/** Migrates a test service's schema: its own table plus the backbone's. */
export async function migrateTestService(database: Database<TestTables>): Promise<void> {
  await migrateToLatest(database, { ...testMigrations, ...eventMigrations });
}

export async function effectCounts(database: Database<TestTables>): Promise<Map<string, number>> {
  const rows = await database.db
    .selectFrom('effects')
    .select(['eventId', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('eventId')
    .execute();
  return new Map(rows.map((r) => [r.eventId, Number(r.count)]));
}
