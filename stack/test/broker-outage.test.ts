import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { AMQP_URL, createTestDatabase, deleteTopology, gql, gqlOk, queueDepth, randomName, registerTenant, STACK_QUEUE_OWNERS, startTcpProxy, type TcpProxy, type Tenant, type TestDatabase, throughProxy, waitFor } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

const MUTATIONS = 1_000;
const CONCURRENCY = 8;
const RETRY = { maxAttempts: 5, delaysMs: [200, 1000] };

async function scalar(stack: Stack, schema: string, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  const { db } = stack.database.forSchema<Record<string, never>>(schema);
  return (await query.execute(db)).rows[0]?.n ?? 0;
}

/**
 * The broker is cut off and let back in the middle of a burst of mutations through the gateway: the stack reaches
 * RabbitMQ through a TCP proxy this test owns, which drops every connection and refuses new ones for a while (the
 * machine's broker keeps running for every other test). Nothing may be lost (every brand gets its planning space)
 * and nothing doubled (exactly one each).
 */
describe('a broker outage during a burst of 1,000 mutations', () => {
  const exchange = randomName('umt-test-outage');
  let database: TestDatabase;
  let stack: Stack;
  let tenant: Tenant;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    const broker = new URL(AMQP_URL);
    proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    stack = await startTestStack({
      databaseUrl: database.url,
      // The burst is one user's: lift the per-principal rate limit that would otherwise (rightly) stop it.
      env: { AMQP_URL: throughProxy(AMQP_URL, proxy), EVENTS_EXCHANGE: exchange, EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(','), OUTBOX_POLL_MS: '100', RATE_LIMIT_MAX: '1000000' },
    });
    tenant = await registerTenant(stack.url, 'Outage Inc');
  });
  afterAll(async () => {
    proxy?.restore();
    await stack?.stop();
    await proxy?.close();
    await deleteTopology(exchange, `${exchange}.`, STACK_QUEUE_OWNERS, RETRY).catch(() => undefined);
    await database?.drop();
  });

  it('loses nothing and doubles nothing', async () => {
    let issued = 0;
    let failed = 0;
    let backlogDuringOutage = 0;
    const worker = async () => {
      while (issued < MUTATIONS) {
        const n = (issued += 1);
        const result = await gql(stack.url, `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: `Brand ${n}` }, tenant.token);
        if (result.errors) failed += 1;
      }
    };
    const outage = (async () => {
      await waitFor('the burst to be under way', () => issued >= MUTATIONS / 5, 60_000, 20);
      try {
        proxy.cut();
        // Events pile up in the outbox while the broker is away (the test would prove nothing otherwise).
        const backlog = () => scalar(stack, 'brand', sql<{ n: number }>`select count(*)::int as n from brand.outbox where sent_at is null`);
        await waitFor('a backlog in the outbox', async () => (backlogDuringOutage = await backlog()) >= 50 || issued >= MUTATIONS, 60_000, 50);
      } finally {
        proxy.restore();
      }
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), outage]);
    // The mutations never needed the broker: they only wrote to the outbox.
    expect(failed).toBe(0);
    expect(backlogDuringOutage).toBeGreaterThan(0);

    const planned = () => scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.brand_planning`);
    await waitFor('every planning space', async () => (await planned()) >= MUTATIONS, 120_000, 250);
    // A duplicate, if any, would be in strategy's queues now: wait until they are empty behind one more event.
    const unsent = () => scalar(stack, 'brand', sql<{ n: number }>`select count(*)::int as n from brand.outbox where sent_at is null`);
    await waitFor('the outbox to be drained', async () => (await unsent()) === 0, 60_000, 100);
    const sentinel = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Sentinel" }) { id } }`, {}, tenant.token);
    const sentinelPlanned = () =>
      scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.brand_planning where brand_id = ${sentinel.createBrand.id}`);
    await waitFor('the sentinel event to be processed', async () => (await sentinelPlanned()) === 1, 60_000, 50);
    const queues = [`${exchange}.strategy`, ...RETRY.delaysMs.map((ms) => `${exchange}.strategy.retry.${ms}`)];
    await waitFor('strategy\'s queues to be empty', async () => (await Promise.all(queues.map(queueDepth))).every((n) => n === 0), 30_000, 100);
    expect(await planned()).toBe(MUTATIONS + 1);
    expect(await scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.processed_events where type = 'brand.created'`)).toBe(
      MUTATIONS + 1,
    );
    expect(await scalar(stack, 'brand', sql<{ n: number }>`select count(*)::int as n from brand.outbox where sent_at is null`)).toBe(0);
    expect(await scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.dead_letters`)).toBe(0);
  }, 240_000); // its own bounded waits come first; this is the backstop on a loaded machine
});
