import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_REFERENCE_WAIT_MS } from '@umt/infra';
import { AMQP_URL, createTestDatabase, databaseFingerprint, deleteTopology, gql, gqlOk, type GraphQLResponse, randomName, registerTenant, STACK_QUEUE_OWNERS, type Tenant, type TestDatabase } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const FUTURE = new Date(Date.now() + 7 * 86_400_000).toISOString();

/** The mutations that take another domain's id, each with the input field that holds it. */
const REFERENCING = {
  planCalendarEntry: {
    field: 'brandId',
    query: `mutation ($id: ID!, $at: DateTime!) { planCalendarEntry(input: { brandId: $id, channel: BLOG, title: "T", scheduledAt: $at }) { id } }`,
  },
  createContent: {
    field: 'projectId',
    // No date: the `at` variable every call sends is left unused, which GraphQL allows.
    query: `mutation ($id: ID!) { createContent(input: { projectId: $id, channel: BLOG, title: "T", body: "B" }) { id } }`,
  },
  schedulePublication: {
    field: 'contentId',
    query: `mutation ($id: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $id, channel: BLOG, scheduledAt: $at }) { id } }`,
  },
} as const;

function refusal(result: GraphQLResponse) {
  return { data: result.data ?? null, errors: (result.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })) };
}

/** Creates a brand, its project and a piece of content, each used by the next request at once. */
async function chain(url: string, token: string, n: string) {
  const brand = await gqlOk<{ createBrand: { id: string } }>(url, `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n }, token);
  const entry = await gqlOk<{ planCalendarEntry: { id: string } }>(url, REFERENCING.planCalendarEntry.query, { id: brand.createBrand.id, at: FUTURE }, token);
  const project = await gqlOk<{ createProject: { id: string } }>(
    url,
    `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "P", type: BLOG }) { id } }`,
    { b: brand.createBrand.id },
    token,
  );
  const content = await gqlOk<{ createContent: { id: string } }>(url, REFERENCING.createContent.query, { id: project.createProject.id, at: FUTURE }, token);
  const publication = await gqlOk<{ schedulePublication: { id: string } }>(
    url,
    REFERENCING.schedulePublication.query,
    { id: content.createContent.id, at: FUTURE },
    token,
  );
  return {
    brandId: brand.createBrand.id,
    projectId: project.createProject.id,
    contentId: content.createContent.id,
    entryId: entry.planCalendarEntry.id,
    publicationId: publication.schedulePublication.id,
  };
}

/**
 * A reference to another domain's id is checked against the subgraph's projection of that domain (fed by its
 * events): an id unknown to the caller's organization is refused with NOT_FOUND naming the field, and changes
 * nothing; an id created a moment ago is waited for. Real PostgreSQL, the default REFERENCE_WAIT_MS, both transports.
 */
describe.each(['in-process', 'rabbitmq'] as const)('references to other domains (%s transport)', (transport) => {
  let database: TestDatabase;
  let stack: Stack;
  let tenant: Tenant;
  let other: Tenant;
  let others: Awaited<ReturnType<typeof chain>>;
  const exchange = randomName('umt-test-references');

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startTestStack({
      databaseUrl: database.url,
      env: {
        ...(transport === 'rabbitmq' ? { AMQP_URL, EVENTS_EXCHANGE: exchange } : {}),
        EVENT_MAX_ATTEMPTS: String(RETRY.maxAttempts),
        EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(','),
      },
    });
    [tenant, other] = await Promise.all([registerTenant(stack.url, 'Referrer Co'), registerTenant(stack.url, 'Other Co')]);
    others = await chain(stack.url, other.token, 'Theirs');
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    if (transport === 'rabbitmq') await deleteTopology(exchange, `${exchange}.`, STACK_QUEUE_OWNERS, RETRY);
  });

  it('a reference made in the request right after the thing was created succeeds', async () => {
    // Several chains at once: each step uses what the previous one created, before its event can be assumed applied.
    const chains = await Promise.all(Array.from({ length: 4 }, (_, i) => chain(stack.url, tenant.token, `Mine ${i}`)));
    const read = await gqlOk<{ publication: { content: { id: string } | null } }>(
      stack.url,
      `query ($id: ID!) { publication(id: $id) { content { id } } }`,
      { id: chains[0]!.publicationId },
      tenant.token,
    );
    expect(read.publication.content?.id).toBe(chains[0]!.contentId);
  });

  it('an unknown id, and another organization’s, are refused with NOT_FOUND naming the field, after the wait, changing nothing', async () => {
    const foreign = { planCalendarEntry: others.brandId, createContent: others.projectId, schedulePublication: others.contentId };
    const before = await databaseFingerprint(stack);
    const started = Date.now();
    // Every refusal waits REFERENCE_WAIT_MS for the id to arrive: all six are sent together.
    const results = await Promise.all(
      Object.entries(REFERENCING).flatMap(([mutation, { query, field }]) =>
        [randomUUID(), foreign[mutation as keyof typeof foreign]].map(async (id) => ({
          mutation,
          id,
          got: refusal(await gql(stack.url, query, { id, at: FUTURE }, tenant.token)),
          want: { data: null, errors: [{ code: 'NOT_FOUND', field }] },
        })),
      ),
    );
    const elapsed = Date.now() - started;
    for (const { mutation, id, got, want } of results) expect({ mutation, id, result: got }).toEqual({ mutation, id, result: want });
    expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_REFERENCE_WAIT_MS - 50);
    expect(await databaseFingerprint(stack)).toEqual(before);
  });
});
