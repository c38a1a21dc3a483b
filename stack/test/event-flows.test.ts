import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordEvent } from '@umt/infra';
import { sql } from 'kysely';
import { AMQP_URL, deleteTopology, errorCodes, gql, gqlOk, randomName, registerTenant, STACK_QUEUE_OWNERS, type Tenant, waitFor } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };

/** Counts rows of a subgraph's table straight from the database. */
async function count(stack: Stack, schema: string, table: string): Promise<number> {
  const { db } = stack.database.forSchema<Record<string, never>>(schema);
  const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.${table}`)}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

describe.each(['in-process', 'rabbitmq'] as const)('domain events between subgraphs (%s transport)', (transport) => {
  let stack: Stack;
  let tenant: Tenant;
  let other: Tenant;
  const exchange = randomName('umt-test-flows');

  beforeAll(async () => {
    stack = await startTestStack({
      // The embedded default (PGlite and the in-process bus, as `npm start` runs) and production's (PostgreSQL and
      // RabbitMQ) must behave the same.
      database: transport === 'in-process' ? 'pglite' : 'postgres',
      env: {
        ...(transport === 'rabbitmq' ? { AMQP_URL, EVENTS_EXCHANGE: exchange } : {}),
        EVENT_MAX_ATTEMPTS: String(RETRY.maxAttempts),
        EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(','),
      },
    });
    tenant = await registerTenant(stack.url, 'Events Co');
    other = await registerTenant(stack.url, 'Bystander Co');
  });
  afterAll(async () => {
    await stack?.stop();
    if (transport === 'rabbitmq') await deleteTopology(exchange, `${exchange}.`, STACK_QUEUE_OWNERS, RETRY);
  });

  it('brand.created prepares the brand’s planning space in strategy, visible through the gateway', async () => {
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Evented" }) { id } }`, {}, tenant.token);
    const planning = () =>
      gqlOk<{ brand: { planning: { brandName: string; preparedAt: string } | null } }>(
        stack.url,
        `query ($id: ID!) { brand(id: $id) { planning { brandName preparedAt } } }`,
        { id: brand.createBrand.id },
        tenant.token,
      );
    await waitFor('the planning space', async () => (await planning()).brand.planning !== null, 15_000, 50);
    expect((await planning()).brand.planning?.brandName).toBe('Evented');
  });

  it('project.created opens a brief in creation', async () => {
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Briefed" }) { id } }`, {}, tenant.token);
    const project = await gqlOk<{ createProject: { id: string } }>(
      stack.url,
      `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Launch", type: LANDING_PAGE }) { id } }`,
      { b: brand.createBrand.id },
      tenant.token,
    );
    const brief = () =>
      gqlOk<{ project: { brief: { title: string; projectType: string; status: string } | null } }>(
        stack.url,
        `query ($id: ID!) { project(id: $id) { brief { title projectType status } } }`,
        { id: project.createProject.id },
        tenant.token,
      );
    await waitFor('the brief', async () => (await brief()).project.brief !== null, 15_000, 50);
    expect((await brief()).project.brief).toEqual({ title: 'Launch', projectType: 'LANDING_PAGE', status: 'OPEN' });
  });

  it('content.created makes the content known to campaigns, which can then schedule it', async () => {
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Published" }) { id } }`, {}, tenant.token);
    const project = await gqlOk<{ createProject: { id: string } }>(
      stack.url,
      `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Posts", type: SOCIAL_POST }) { id } }`,
      { b: brand.createBrand.id },
      tenant.token,
    );
    const content = await gqlOk<{ createContent: { id: string } }>(
      stack.url,
      `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: LINKEDIN, title: "Launch post", body: "Hello" }) { id } }`,
      { p: project.createProject.id },
      tenant.token,
    );
    const { db } = stack.database.forSchema<Record<string, never>>('campaigns');
    const known = () =>
      sql<{ orgId: string; projectId: string; channel: string; title: string }>`
        select org_id, project_id, channel, title from campaigns.contents where content_id = ${content.createContent.id}`.execute(db);
    await waitFor('campaigns to know the content', async () => (await known()).rows.length === 1, 15_000, 50);
    expect((await known()).rows).toEqual([{ orgId: tenant.orgId, projectId: project.createProject.id, channel: 'LINKEDIN', title: 'Launch post' }]);
    await gqlOk(
      stack.url,
      `mutation ($c: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $c, channel: LINKEDIN, scheduledAt: $at }) { id } }`,
      { c: content.createContent.id, at: new Date(Date.now() + 86_400_000).toISOString() },
      tenant.token,
    );
  });

  it('applies each event exactly once, however many brands arrive together', async () => {
    const before = await count(stack, 'strategy', 'brand_planning');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => gqlOk(stack.url, `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: `Burst ${i}` }, tenant.token)),
    );
    await waitFor('40 planning spaces', async () => (await count(stack, 'strategy', 'brand_planning')) >= before + 40, 20_000, 100);
    // A duplicate would be delivered before an event published after all of them: once that one is applied, none is
    // still on its way.
    const sentinel = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Burst sentinel" }) { id } }`, {}, tenant.token);
    const planning = (id: string) => gqlOk<{ brand: { planning: unknown } }>(stack.url, `query ($id: ID!) { brand(id: $id) { planning { brandName } } }`, { id }, tenant.token);
    await waitFor('the sentinel planning space', async () => (await planning(sentinel.createBrand.id)).brand.planning !== null, 20_000, 50);
    expect(await count(stack, 'strategy', 'brand_planning')).toBe(before + 41);
    const outbox = await count(stack, 'brand', 'outbox');
    const { db } = stack.database.forSchema<Record<string, never>>('brand');
    const unsent = await sql<{ n: number }>`select count(*)::int as n from brand.outbox where sent_at is null`.execute(db);
    expect(outbox).toBeGreaterThanOrEqual(43);
    expect(unsent.rows[0]?.n).toBe(0);
  });

  it('a poisoned event ends in the dead letters its organization’s admins can list and replay', async () => {
    // An event no handler can apply (brand.created without a name), as a buggy or older publisher might send: its
    // payload fails the catalogue's schema, so it is dead-lettered at once, without retries.
    const { db } = stack.database.forSchema<Record<string, never>>('brand');
    const brandId = randomUUID();
    await db.transaction().execute((trx) =>
      recordEvent(trx, { type: 'brand.created', source: 'brand', orgId: tenant.orgId, data: { brandId, name: null } }),
    );
    const list = (token: string) =>
      gql<{ strategyDeadLetters: { nodes: { id: string; type: string; attempts: number; error: string; envelope: string }[] } }>(
        stack.url,
        `{ strategyDeadLetters { nodes { id type attempts error envelope } } }`,
        {},
        token,
      );
    await waitFor('the dead letter', async () => ((await list(tenant.token)).data?.strategyDeadLetters.nodes.length ?? 0) > 0, 15_000, 50);
    const [letter] = (await list(tenant.token)).data!.strategyDeadLetters.nodes;
    expect(letter).toMatchObject({ type: 'brand.created', attempts: 1 });
    expect(letter!.error).toMatch(/^UnprocessableMessageError: invalid payload for brand\.created: data\.name/);
    expect(letter!.error).not.toMatch(/\n\s+at /);
    expect(JSON.parse(letter!.envelope)).toMatchObject({ orgId: tenant.orgId, data: { brandId } });

    // Another organization sees none of it and cannot replay it.
    expect((await list(other.token)).data?.strategyDeadLetters.nodes).toEqual([]);
    const foreign = await gql(stack.url, `mutation ($id: ID!) { replayStrategyDeadLetter(id: $id) { outcome } }`, { id: letter!.id }, other.token);
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);

    // Replaying a still-broken event fails again and keeps the dead letter, with one more attempt counted.
    const replay = await gqlOk<{ replayStrategyDeadLetter: { outcome: string } }>(
      stack.url,
      `mutation ($id: ID!) { replayStrategyDeadLetter(id: $id) { outcome } }`,
      { id: letter!.id },
      tenant.token,
    );
    expect(replay.replayStrategyDeadLetter.outcome).toBe('FAILED');
    expect((await list(tenant.token)).data!.strategyDeadLetters.nodes[0]?.attempts).toBe(2);
    expect(await count(stack, 'strategy', 'brand_planning')).toBeGreaterThan(0);
  });
});
