import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { openDatabaseHost, type Database, type DatabaseHost } from '../../src/database';
import { eventTables, InProcessTransport, OutboxRelay } from '../../src/events';
import { createTestDatabase, migrateTestService, testLogger, waitFor, type TestDatabase, type TestTables } from './support';

const DAY = 24 * 3600;

/** The relay deletes published rows past their retention, and never a row that is not published yet. */
describe('outbox retention', () => {
  let testDb: TestDatabase;
  let host: DatabaseHost;
  let database: Database<TestTables>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    host = openDatabaseHost({ url: testDb.url, poolSize: 3 });
    database = host.forSchema<TestTables>('retention');
    await migrateTestService(database);
  });
  afterAll(async () => {
    await host?.close();
    await testDb?.drop();
  });

  async function outboxRow(sentDaysAgo: number | null): Promise<string> {
    const id = randomUUID();
    const envelope = { id, type: 'test.kept', source: 'retention', orgId: randomUUID(), occurredAt: new Date().toISOString(), data: {} };
    await eventTables(database.db)
      .insertInto('outbox')
      .values({ id, type: envelope.type, orgId: envelope.orgId, source: envelope.source, payload: JSON.stringify(envelope), traceContext: '{}' })
      .execute();
    if (sentDaysAgo !== null) {
      await sql`update retention.outbox set sent_at = now() - make_interval(days => ${sentDaysAgo}), created_at = now() - make_interval(days => ${sentDaysAgo})
                where id = ${id}`.execute(database.db);
    }
    return id;
  }

  const remaining = async () => new Set((await eventTables(database.db).selectFrom('outbox').select('id').execute()).map((r) => r.id));

  it('deletes rows published before the retention, keeps newer ones and every unpublished one', async () => {
    const old = await outboxRow(10);
    const recent = await outboxRow(2);
    // Unpublished and old: a row stuck behind an outage must survive any retention. A transport that never confirms
    // keeps it unpublished for the test.
    const stuck = await outboxRow(null);
    await sql`update retention.outbox set created_at = now() - interval '30 days' where id = ${stuck}`.execute(database.db);
    const transport = new InProcessTransport({ exchange: 'retention-test', logger: testLogger });
    transport.publish = () => Promise.reject(new Error('broker unreachable'));
    const relay = new OutboxRelay({ database: database as Database<unknown>, transport, service: 'retention', retentionSeconds: 7 * DAY, pruneEveryMs: 50, logger: testLogger });
    relay.start();
    try {
      await waitFor('the old published row to be pruned', async () => !(await remaining()).has(old), 10_000, 50);
      expect(await remaining()).toEqual(new Set([recent, stuck]));
    } finally {
      await relay.stop();
    }
  });

  it('keeps everything when the retention is 0', async () => {
    const old = await outboxRow(400);
    const transport = new InProcessTransport({ exchange: 'retention-test-2', logger: testLogger });
    const relay = new OutboxRelay({ database: database as Database<unknown>, transport, service: 'retention', retentionSeconds: 0, pruneEveryMs: 20, logger: testLogger });
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await relay.stop();
    expect((await remaining()).has(old)).toBe(true);
  });
});
