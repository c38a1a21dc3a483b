import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createEventBackbone, eventMigrations, migrateToLatest, openDatabaseHost, type DatabaseHost, type EventBackbone } from '@umt/infra';
import { sql } from 'kysely';
import { AMQP_URL, createTestDatabase, deleteTopology, freePort, queueDepth, randomName, type ServiceProcess, STACK_QUEUE_OWNERS, startProcess, type TestDatabase, waitFor, waitReady } from '@umt/test-support';

const EVENTS = 2_000;
const RETRY = { maxAttempts: 5, delaysMs: [200, 1000] };

/**
 * The strategy subgraph, a real process consuming brand.created from RabbitMQ, is killed with SIGKILL in the
 * middle of a backlog and started again: every event must take effect exactly once.
 */
describe('a consumer killed mid-batch', () => {
  const exchange = randomName('umt-test-crash');
  let database: TestDatabase | undefined;
  let host: DatabaseHost | undefined;
  let producer: EventBackbone<Record<string, never>> | undefined;
  const processes: ServiceProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await producer?.stop();
    await host?.close();
    await deleteTopology(exchange, `${exchange}.`, STACK_QUEUE_OWNERS, RETRY).catch(() => undefined);
    await database?.drop();
  });

  it('processes every event exactly once after a restart', async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, AMQP_URL, EVENTS_EXCHANGE: exchange, EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(',') };
    const start = async () => {
      const port = await freePort();
      const strategy = startProcess('strategy', 'subgraphs/strategy/dist/main.js', { ...env, PORT: String(port) });
      processes.push(strategy);
      await waitReady(`http://127.0.0.1:${port}/health/ready`, strategy);
      return strategy;
    };
    const first = await start(); // declares its queue and bindings

    // The producer: the brand side of the event path, run here so the test controls the backlog.
    host = openDatabaseHost({ url: database.url });
    const brand = host.forSchema<Record<string, never>>('brand');
    await migrateToLatest(brand, eventMigrations);
    producer = createEventBackbone({ service: 'brand', database: brand, config: { amqpUrl: AMQP_URL, exchange } });
    const orgId = randomUUID();
    for (let batch = 0; batch < EVENTS / 100; batch += 1) {
      await producer.transaction(async (trx) => {
        for (let i = 0; i < 100; i += 1) {
          await producer!.record(trx, 'brand.created', orgId, { brandId: randomUUID(), name: `Brand ${batch}-${i}`, website: null, industry: null });
        }
      });
    }
    await producer.start();

    const { db } = host.forSchema<Record<string, never>>('strategy');
    const planned = async () => (await sql<{ n: number }>`select count(*)::int as n from strategy.brand_planning`.execute(db)).rows[0]?.n ?? 0;
    await waitFor('the consumer to be part-way through', async () => (await planned()) >= 100, 60_000, 10);
    first.child.kill('SIGKILL');
    await first.stop();
    const atKill = await planned();
    expect(atKill).toBeLessThan(EVENTS); // really mid-batch

    await start();
    await waitFor('every event', async () => (await planned()) >= EVENTS, 120_000, 200);
    // A redelivered message goes back to the head of the queue at the restart: once one more event, published after
    // all of them, has been applied and the queues are empty, no duplicate can still be on its way.
    const sentinel = randomUUID();
    await producer.transaction(async (trx) => {
      await producer!.record(trx, 'brand.created', orgId, { brandId: sentinel, name: 'Sentinel', website: null, industry: null });
    });
    const sentinelApplied = async () =>
      ((await sql<{ n: number }>`select count(*)::int as n from strategy.brand_planning where brand_id = ${sentinel}`.execute(db)).rows[0]?.n ?? 0) === 1;
    await waitFor('the sentinel event', sentinelApplied, 60_000, 50);
    const queues = [`${exchange}.strategy`, ...RETRY.delaysMs.map((ms) => `${exchange}.strategy.retry.${ms}`)];
    await waitFor('strategy\'s queues to be empty', async () => (await Promise.all(queues.map(queueDepth))).every((n) => n === 0), 30_000, 100);
    expect(await planned()).toBe(EVENTS + 1);
    const processed = await sql<{ n: number }>`select count(*)::int as n from strategy.processed_events`.execute(db);
    expect(processed.rows[0]?.n).toBe(EVENTS + 1);
    const dead = await sql<{ n: number }>`select count(*)::int as n from strategy.dead_letters`.execute(db);
    expect(dead.rows[0]?.n).toBe(0);
  }, 240_000); // its own bounded waits come first; this is the backstop on a loaded machine
});
