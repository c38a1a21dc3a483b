import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadLetterKey } from '@umt/infra';
import { sql } from 'kysely';
import { AMQP_URL, createTestDatabase, deleteTopology, errorCodes, gql, gqlOk, publishRaw, queueDepth, randomName, STACK_QUEUE_OWNERS, type Team, teamWithEveryRole, type TestDatabase, waitFor } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };

interface Letter {
  id: string;
  eventId: string;
  type: string;
  attempts: number;
  reason: string;
  error: string;
  envelope: string;
}

/**
 * Messages the strategy subgraph can never process, put on the real RabbitMQ exchange as a misbehaving publisher
 * would. One with a valid envelope (a payload its schema refuses) is its organization's: its ADMIN lists it through
 * the gateway, another organization's ADMIN does not. One without a valid envelope belongs to no organization: no
 * ADMIN sees it, operators find it in the table and in the metric.
 */
describe('unprocessable events through the whole stack (RabbitMQ, PostgreSQL)', () => {
  let database: TestDatabase;
  let stack: Stack;
  let team: Team;
  let stranger: Team;
  const exchange = randomName('umt-test-unprocessable');
  const deadQueue = `${exchange}.strategy.dead`;

  const list = (token: string) =>
    gql<{ strategyDeadLetters: { nodes: Letter[] } }>(stack.url, `{ strategyDeadLetters(status: ALL) { nodes { id eventId type attempts reason error envelope } } }`, {}, token);

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startTestStack({
      databaseUrl: database.url,
      env: { AMQP_URL, EVENTS_EXCHANGE: exchange, EVENT_MAX_ATTEMPTS: String(RETRY.maxAttempts), EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(',') },
    });
    [team, stranger] = await Promise.all([teamWithEveryRole(stack.url, 'Poisoned Inc'), teamWithEveryRole(stack.url, 'Stranger Inc')]);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    await deleteTopology(exchange, `${exchange}.`, STACK_QUEUE_OWNERS, RETRY);
  });

  it('an event whose payload fails its schema: dead-lettered at once, listed to its organization’s ADMIN only', async () => {
    const event = {
      id: randomUUID(),
      type: 'brand.created',
      source: 'brand',
      occurredAt: new Date().toISOString(),
      orgId: team.orgId,
      data: { brandId: randomUUID(), website: null, industry: null },
    };
    await publishRaw(exchange, 'brand.created', JSON.stringify(event));
    await waitFor('the dead letter', async () => ((await list(team.tokens.ADMIN)).data?.strategyDeadLetters.nodes ?? []).some((l) => l.eventId === event.id), 15_000, 50);

    const letter = (await list(team.tokens.ADMIN)).data!.strategyDeadLetters.nodes.find((l) => l.eventId === event.id)!;
    expect(letter).toMatchObject({ type: 'brand.created', attempts: 1, reason: 'INVALID_PAYLOAD' });
    expect(JSON.parse(letter.envelope)).toEqual(event);
    expect(letter.error).toMatch(/invalid payload for brand\.created: data\.name/);
    expect(await queueDepth(deadQueue)).toBe(1);

    // Another organization's ADMIN neither sees it nor can replay it.
    expect((await list(stranger.tokens.ADMIN)).data?.strategyDeadLetters.nodes).toEqual([]);
    const foreign = await gql(stack.url, `mutation ($id: ID!) { replayStrategyDeadLetter(id: $id) { outcome } }`, { id: letter.id }, stranger.tokens.ADMIN);
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    // Its own ADMIN can; the payload is still invalid, so the replay fails and counts an attempt.
    const replay = await gqlOk<{ replayStrategyDeadLetter: { outcome: string } }>(
      stack.url,
      `mutation ($id: ID!) { replayStrategyDeadLetter(id: $id) { outcome } }`,
      { id: letter.id },
      team.tokens.ADMIN,
    );
    expect(replay.replayStrategyDeadLetter.outcome).toBe('FAILED');
  });

  it('campaigns, a consumer too, lists its own to the organization’s ADMIN', async () => {
    const event = {
      id: randomUUID(),
      type: 'content.created',
      source: 'creation',
      occurredAt: new Date().toISOString(),
      orgId: team.orgId,
      data: { contentId: randomUUID(), projectId: randomUUID(), channel: 'CARRIER_PIGEON', title: 'Coo' },
    };
    await publishRaw(exchange, 'content.created', JSON.stringify(event));
    const campaigns = (token: string) =>
      gql<{ campaignsDeadLetters: { nodes: Letter[] } }>(stack.url, `{ campaignsDeadLetters { nodes { id eventId type attempts reason error envelope } } }`, {}, token);
    await waitFor('the dead letter', async () => ((await campaigns(team.tokens.ADMIN)).data?.campaignsDeadLetters.nodes.length ?? 0) > 0, 15_000, 50);
    const [letter] = (await campaigns(team.tokens.ADMIN)).data!.campaignsDeadLetters.nodes;
    expect(letter).toMatchObject({ eventId: event.id, type: 'content.created', attempts: 1, reason: 'INVALID_PAYLOAD' });
    expect(letter!.error).toMatch(/data\.channel/);
    expect((await campaigns(stranger.tokens.ADMIN)).data?.campaignsDeadLetters.nodes).toEqual([]);
  });

  it('messages with no valid envelope: stored without an organization, seen by operators only', async () => {
    const bodies = ['{"not": "an envelope"', JSON.stringify({ id: randomUUID(), type: 'brand.created', source: 'brand', occurredAt: new Date().toISOString(), orgId: 'poisoned-inc', data: {} })];
    const depth = await queueDepth(deadQueue);
    for (const body of bodies) await publishRaw(exchange, 'brand.created', body);
    await waitFor('both in the dead-letter queue', async () => (await queueDepth(deadQueue)) === depth + 2, 15_000, 50);

    const { db } = stack.database.forSchema<Record<string, never>>('strategy');
    const rows = await sql<{ eventId: string; orgId: string | null; reason: string; body: Buffer }>`
      select event_id, org_id, reason, body from strategy.dead_letters where org_id is null order by first_failed_at`.execute(db);
    expect(rows.rows.map((r) => ({ ...r, body: r.body.toString('utf8') }))).toEqual([
      { eventId: deadLetterKey(bodies[0]!), orgId: null, reason: 'not_json', body: bodies[0] },
      { eventId: deadLetterKey(bodies[1]!), orgId: null, reason: 'not_envelope', body: bodies[1] },
    ]);
    for (const token of [team.tokens.ADMIN, team.tokens.OWNER, stranger.tokens.ADMIN]) {
      const seen = (await list(token)).data?.strategyDeadLetters.nodes ?? [];
      expect(seen.filter((l) => bodies.some((b) => l.eventId === deadLetterKey(b)))).toEqual([]);
    }

    const metrics = await (await fetch(stack.subgraphUrls.strategy.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toMatch(/umt_events_malformed_total\{service="strategy",reason="not_json"\} 1/);
    expect(metrics).toMatch(/umt_events_malformed_total\{service="strategy",reason="not_envelope"\} 1/);
  });
});
