import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SUBGRAPHS } from '@umt/infra';
import { sql } from 'kysely';
import { rabbitmqctl } from '../../infra/test/events/support';
import { AMQP_URL, deleteTopology, randomName, sleep, waitFor, gql, registerTenant, type Tenant, createTestDatabase, type TestDatabase } from '@umt/test-support';
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
 * RabbitMQ's application is stopped and started again in the middle of a burst of mutations through the gateway.
 * Nothing may be lost (every brand gets its planning space) and nothing doubled (exactly one each).
 */
describe('a broker outage during a burst of 1,000 mutations', () => {
  const exchange = randomName('umt-test-outage');
  let database: TestDatabase;
  let stack: Stack;
  let tenant: Tenant;
  let brokerDown = false;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startTestStack({
      databaseUrl: database.url,
      // The burst is one user's: lift the per-principal rate limit that would otherwise (rightly) stop it.
      env: { AMQP_URL, EVENTS_EXCHANGE: exchange, EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(','), OUTBOX_POLL_MS: '100', RATE_LIMIT_MAX: '1000000' },
    });
    tenant = await registerTenant(stack.url, 'Outage Inc');
  });
  afterAll(async () => {
    if (brokerDown) await rabbitmqctl('start_app').catch(() => undefined);
    await stack?.stop();
    await deleteTopology(exchange, `${exchange}.`, SUBGRAPHS.map((s) => s.name), RETRY).catch(() => undefined);
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
        brokerDown = true;
        await rabbitmqctl('stop_app');
        await sleep(2_000);
        // Events pile up in the outbox while the broker is away (the test would prove nothing otherwise).
        backlogDuringOutage = await scalar(stack, 'brand', sql<{ n: number }>`select count(*)::int as n from brand.outbox where sent_at is null`);
      } finally {
        await rabbitmqctl('start_app');
        await rabbitmqctl('await_startup');
        brokerDown = false;
      }
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), outage]);
    // The mutations never needed the broker: they only wrote to the outbox.
    expect(failed).toBe(0);
    expect(backlogDuringOutage).toBeGreaterThan(0);

    const planned = () => scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.brand_planning`);
    await waitFor('every planning space', async () => (await planned()) >= MUTATIONS, 120_000, 250);
    await sleep(1_000); // a duplicate, if any, would land now
    expect(await planned()).toBe(MUTATIONS);
    expect(await scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.processed_events where type = 'brand.created'`)).toBe(
      MUTATIONS,
    );
    expect(await scalar(stack, 'brand', sql<{ n: number }>`select count(*)::int as n from brand.outbox where sent_at is null`)).toBe(0);
    expect(await scalar(stack, 'strategy', sql<{ n: number }>`select count(*)::int as n from strategy.dead_letters`)).toBe(0);
  }, 240_000); // its own bounded waits come first; this is the backstop on a loaded machine
});
