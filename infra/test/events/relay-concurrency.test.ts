import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabaseHost, type DatabaseHost } from '../../src/database';
import {
  AmqpTransport,
  createEventBackbone,
  eventTables,
  OutboxRelay,
  recordEvent,
  type EventBackbone,
  type RetryPolicy,
  type Transport,
} from '../../src/events';
import {
  AMQP_URL,
  createTestDatabase,
  deleteTopology,
  effectCounts,
  migrateTestService,
  randomName,
  testLogger,
  waitFor,
  type TestDatabase,
  type TestTables,
} from './support';

/** A transport that counts the publishes the broker confirmed, by event id. */
function counting(inner: Transport, counts: Map<string, number>): Transport {
  return {
    kind: inner.kind,
    messagingSystem: inner.messagingSystem,
    exchange: inner.exchange,
    queueName: (service) => inner.queueName(service),
    deadLetterQueueName: (service) => inner.deadLetterQueueName(service),
    start: () => inner.start(),
    subscribe: (subscription) => inner.subscribe(subscription),
    close: () => inner.close(),
    async publish(event) {
      await inner.publish(event);
      counts.set(event.envelope.id, (counts.get(event.envelope.id) ?? 0) + 1);
    },
  };
}

/** Two relays (two pools, two connections: as two instances of a service would be) on one outbox. */
describe('outbox relays running side by side', () => {
  const exchange = randomName('test.events');
  const policy: RetryPolicy = { maxAttempts: 3, delaysMs: [50, 100] };
  const EVENTS = 300;
  let testDb: TestDatabase;
  const hosts: DatabaseHost[] = [];
  const transports: AmqpTransport[] = [];
  let consumer: EventBackbone<TestTables>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    for (let i = 0; i < 3; i += 1) hosts.push(openDatabaseHost({ url: testDb.url, poolSize: 5 }));
    await migrateTestService(hosts[0]!.forSchema<TestTables>('alpha'));
    await migrateTestService(hosts[0]!.forSchema<TestTables>('beta'));
    for (let i = 0; i < 2; i += 1) {
      const transport = new AmqpTransport({ url: AMQP_URL, exchange, logger: testLogger });
      await transport.start();
      transports.push(transport);
    }
    consumer = createEventBackbone({
      service: 'beta',
      database: hosts[2]!.forSchema<TestTables>('beta'),
      config: { amqpUrl: AMQP_URL, exchange, maxAttempts: policy.maxAttempts, retryDelaysMs: policy.delaysMs, prefetch: 50 },
      logger: testLogger,
      handlers: {
        'burst.happened': async (trx, event) => {
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note: null }).execute();
        },
      },
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    for (const transport of transports) await transport.close();
    for (const host of hosts) await host.close();
    await testDb?.drop();
    await deleteTopology(exchange, `${exchange}.`, ['beta'], policy);
  });

  it(`deliver each of a burst of ${EVENTS} events once between them`, async () => {
    const counts = [new Map<string, number>(), new Map<string, number>()];
    const relays = [0, 1].map(
      (i) =>
        new OutboxRelay({
          database: hosts[i]!.forSchema('alpha'),
          transport: counting(transports[i]!, counts[i]!),
          batchSize: 10,
          pollMs: 20,
          logger: testLogger,
        }),
    );
    for (const relay of relays) relay.start();

    // The burst: 30 transactions of 10 events, committed concurrently from a third pool, waking both relays.
    const writer = hosts[2]!.forSchema<TestTables>('alpha');
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: EVENTS / 10 }, async (_, t) => {
        await writer.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 10; i += 1) {
            const envelope = await recordEvent(trx, { type: 'burst.happened', source: 'alpha', orgId: '00000000-0000-4000-8000-000000000001', data: { t, i } });
            ids.push(envelope.id);
          }
        });
        for (const relay of relays) relay.wake();
      }),
    );

    await waitFor('every event to be published', () => counts[0]!.size + counts[1]!.size >= EVENTS, 60_000);
    for (const relay of relays) await relay.stop();

    const published = ids.map((id) => (counts[0]!.get(id) ?? 0) + (counts[1]!.get(id) ?? 0));
    expect(published.filter((n) => n !== 1)).toEqual([]);
    // Both took part (each claims its own batches while the other holds its rows).
    expect(counts[0]!.size).toBeGreaterThan(0);
    expect(counts[1]!.size).toBeGreaterThan(0);
    const unsent = await eventTables(writer.db).selectFrom('outbox').select('id').where('sentAt', 'is', null).execute();
    expect(unsent).toEqual([]);

    await waitFor('every effect', async () => (await effectCounts(consumer.consumer.database)).size === EVENTS, 60_000);
    const effects = await effectCounts(consumer.consumer.database);
    expect(ids.filter((id) => effects.get(id) !== 1)).toEqual([]);
  });
});
