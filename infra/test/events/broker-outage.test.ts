import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabaseHost, type DatabaseHost } from '../../src/database';
import { AmqpTransport, createEventBackbone, eventTables, type EventBackbone, type RetryPolicy } from '../../src/events';
import { startTcpProxy, throughProxy, type TcpProxy } from '@umt/test-support';
import {
  AMQP_URL,
  createTestDatabase,
  deleteTopology,
  effectCounts,
  migrateTestService,
  randomName,
  sleep,
  testLogger,
  waitFor,
  type TestDatabase,
  type TestTables,
} from './support';

/**
 * Cuts the broker off for a few seconds while events are being recorded: both services reach RabbitMQ through a TCP
 * proxy this test owns, which drops every connection and refuses new ones, then lets them through again. The
 * machine's broker keeps running for every other test.
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
  let proxy: TcpProxy;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    host = openDatabaseHost({ url: testDb.url });
    const alphaDb = host.forSchema<TestTables>('alpha');
    const betaDb = host.forSchema<TestTables>('beta');
    await migrateTestService(alphaDb);
    await migrateTestService(betaDb);
    const broker = new URL(AMQP_URL);
    proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    const transportOptions = { url: throughProxy(AMQP_URL, proxy), exchange, logger: testLogger, reconnectSeconds: 0.5, publishTimeoutMs: 3_000, heartbeatSeconds: 2 };
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
    proxy?.restore();
    await alpha?.stop();
    await beta?.stop();
    await publisherTransport?.close();
    await consumerTransport?.close();
    await host?.close();
    await testDb?.drop();
    await proxy?.close();
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
    let pendingDuringOutage = 0;
    try {
      proxy.cut();
      await waitFor('both clients to notice', () => !publisherTransport.isConnected() && !consumerTransport.isConnected(), 20_000);
      // Events keep being recorded meanwhile, and wait in the outbox.
      await waitFor('events to pile up in the outbox', async () => (pendingDuringOutage = await alpha.relay.pending()) >= PER_TRANSACTION * 3, 20_000, 50);
    } finally {
      proxy.restore();
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
