import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { sql, type Kysely, type Migration } from 'kysely';
import { migrateToLatest, type Database } from '../../src/database';
import { createLogger } from '../../src/logger';
import { eventMigrations, retryDelays, type RetryPolicy } from '../../src/events';

/** The machine's services; tests fail, never skip, when they are not running. */
export { POSTGRES_ADMIN_URL } from '../../../stack/test/support/postgres';
export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Logs of the code under test: silent unless TEST_LOG_LEVEL says otherwise. */
export const testLogger = createLogger('events-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export { createTestDatabase, type TestDatabase } from '../../../stack/test/support/postgres';

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

export function randomName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Runs a broker command on a fresh connection, retrying (bounded) while the broker is unreachable. */
async function withBrokerChannel<T>(run: (channel: Channel) => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let connection: ChannelModel | undefined;
    try {
      connection = await connect(AMQP_URL);
      const channel = await connection.createChannel();
      return await run(channel);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}

/** Messages ready in a queue. */
export async function queueDepth(queue: string): Promise<number> {
  return withBrokerChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
}

/** Deletes what the tests declared: each service's queues (main, retries, dead) and the exchange. */
export async function deleteTopology(exchange: string, prefix: string, services: string[], policy: RetryPolicy): Promise<void> {
  await withBrokerChannel(async (channel) => {
    for (const service of services) {
      const queue = `${prefix}${service}`;
      for (const name of [queue, `${queue}.dead`, ...retryDelays(policy).map((ms) => `${queue}.retry.${ms}`)]) {
        await channel.deleteQueue(name);
      }
    }
    await channel.deleteExchange(exchange);
  });
}

const run = promisify(execFile);

/** rabbitmqctl, bounded. */
export async function rabbitmqctl(...args: string[]): Promise<void> {
  await run('rabbitmqctl', args, { timeout: 60_000 });
}
