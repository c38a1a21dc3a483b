import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabaseHost, type DatabaseHost } from '../../src/database';
import { AmqpTransport, createEventBackbone, eventTables, type EventBackbone, type RetryPolicy } from '../../src/events';
import {
  AMQP_URL,
  createTestDatabase,
  deleteTopology,
  effectCounts,
  migrateTestService,
  rabbitmqctl,
  randomName,
  sleep,
  testLogger,
  waitFor,
  type TestDatabase,
  type TestTables,
} from './support';

/**
 * Stops this machine's RabbitMQ application for a few seconds while events are being recorded, and restarts it —
 * always, in a finally block. Other tests using RabbitMQ at the same moment see the same outage.
 */
describe('a broker outage while events are recorded', () => {
  const exchange = randomName('test.events');
  const policy: RetryPolicy = { maxAttempts: 5, delaysMs: [100, 500] };
  const TRANSACTIONS = 30;
  const PER_TRANSACTION = 10;
  let testDb: TestDatabase;
  let host: DatabaseHost;
  let publisherTransport: AmqpTransport;
  let consumerTransport: AmqpTransport;
  let alpha: EventBackbone<TestTables>;
  let beta: EventBackbone<TestTables>;
  let brokerStopped = false;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    host = openDatabaseHost({ url: testDb.url });
    const alphaDb = host.forSchema<TestTables>('alpha');
    const betaDb = host.forSchema<TestTables>('beta');
    await migrateTestService(alphaDb);
    await migrateTestService(betaDb);
    const transportOptions = { url: AMQP_URL, exchange, logger: testLogger, reconnectSeconds: 0.5, publishTimeoutMs: 3_000, heartbeatSeconds: 2 };
    publisherTransport = new AmqpTransport({ ...transportOptions, connectionName: 'outage-test alpha' });
    consumerTransport = new AmqpTransport({ ...transportOptions, connectionName: 'outage-test beta' });
    const config = { exchange, maxAttempts: policy.maxAttempts, retryDelaysMs: policy.delaysMs, outboxPollMs: 50 };
    alpha = createEventBackbone({
      service: 'alpha',
      database: alphaDb,
      transport: publisherTransport,
      config,
      logger: testLogger,
      relay: { batchSize: 50, backoff: { initialMs: 100, maxMs: 1_000 } },
    });
    beta = createEventBackbone({
      service: 'beta',
      database: betaDb,
      transport: consumerTransport,
      config,
      logger: testLogger,
      handlers: {
        'order.placed': async (trx, event) => {
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note: null }).execute();
        },
      },
    });
    await beta.start();
    await alpha.start();
  });

  afterAll(async () => {
    if (brokerStopped) await rabbitmqctl('start_app'); // never leave the machine's broker down
    await alpha?.stop();
    await beta?.stop();
    await publisherTransport?.close();
    await consumerTransport?.close();
    await host?.close();
    await testDb?.drop();
    await deleteTopology(exchange, `${exchange}.`, ['beta'], policy);
  });

  it('loses nothing and applies every event exactly once', async () => {
    const ids: string[] = [];
    const producing = (async () => {
      for (let t = 0; t < TRANSACTIONS; t += 1) {
        await alpha.transaction(async (trx) => {
          for (let i = 0; i < PER_TRANSACTION; i += 1) {
            ids.push((await alpha.record(trx, 'order.placed', '00000000-0000-4000-8000-000000000001', { t, i })).id);
          }
        });
        await sleep(150);
      }
    })();

    await waitFor('the first effects', async () => (await effectCounts(beta.consumer.database)).size > 0, 30_000);
    let pendingDuringOutage: number;
    try {
      brokerStopped = true;
      await rabbitmqctl('stop_app');
      await waitFor('both clients to notice', () => !publisherTransport.isConnected() && !consumerTransport.isConnected(), 20_000);
      await sleep(1_500); // events keep being recorded meanwhile
      pendingDuringOutage = await alpha.relay.pending();
    } finally {
      await rabbitmqctl('start_app');
      brokerStopped = false;
    }
    await producing;
    expect(pendingDuringOutage).toBeGreaterThan(0);

    const total = TRANSACTIONS * PER_TRANSACTION;
    expect(ids).toHaveLength(total);
    await waitFor('every effect after the outage', async () => (await effectCounts(beta.consumer.database)).size === total, 60_000, 200);
    await alpha.relay.flush();
    const effects = await effectCounts(beta.consumer.database);
    expect(ids.filter((id) => effects.get(id) !== 1)).toEqual([]);
    expect(effects.size).toBe(total);
    const unsent = await eventTables(alpha.consumer.database.db).selectFrom('outbox').select('id').where('sentAt', 'is', null).execute();
    expect(unsent).toEqual([]);
    const retried = await eventTables(alpha.consumer.database.db).selectFrom('outbox').select('id').where('lastError', 'is not', null).execute();
    expect(retried.length + pendingDuringOutage).toBeGreaterThan(0);
  }, 120_000);
});
