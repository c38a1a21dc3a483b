import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMINS, BRAND_EDITORS, CONTENT_EDITORS, EVERY_ROLE, ROLES, SCOPES, type Role } from '@umt/infra';
import type { Stack } from '../src/index';
import { databaseFingerprint, errorCodes, gql, gqlOk, PASSWORD, sleep, teamWithEveryRole, type GraphQLResponse, type Team } from '@umt/test-support';
import { startTestStack } from './support/stack';

const FUTURE = new Date(Date.now() + 7 * 86_400_000).toISOString();

/** A valid AI generation request: a LinkedIn post for a brand (no provider is configured: the offline generator runs it). */
const START_GENERATION = `mutation ($i: JSON!) { startGeneration(input: { task: CONTENT, input: $i }) { id status } }`;
const GENERATION_INPUT = { brand: { name: 'Acme' }, channel: 'LINKEDIN', brief: 'Say hello' };

/** What a partner does: send an operation with its key (this stack lets partners send free queries). */
async function withKey(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

interface Operation {
  query: string;
  variables?: Record<string, unknown>;
}

interface Case {
  allowed: readonly Role[];
  /** Codes an allowed caller gets when success needs data the matrix does not create (none by default). */
  allowedCodes?: string[];
  /** The operation a caller with `role` attempts; called once per role. */
  operation: (role: Role) => Operation | Promise<Operation>;
}

/**
 * The access matrix of the README, mutation by mutation: every allowed role succeeds, every other role gets
 * FORBIDDEN and the database is exactly as it was.
 */
describe('role matrix', () => {
  let stack: Stack;
  let team: Team;
  let fixtures: { brandId: string; projectId: string; contentId: string; apiKeyId: string };
  let seq = 0;
  const unique = (role: Role) => `${role.toLowerCase()}-${++seq}`;

  /** A member who exists only to be removed. */
  async function spareMember(): Promise<string> {
    const invited = await gqlOk<{ inviteMember: { token: string } }>(
      stack.url,
      `mutation ($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { token } }`,
      { e: `spare-${++seq}-${Date.now()}@example.test` },
      team.tokens.OWNER,
    );
    const accepted = await gqlOk<{ acceptInvitation: { user: { id: string } } }>(
      stack.url,
      `mutation ($t: String!, $p: String!) { acceptInvitation(input: { token: $t, name: "Spare", password: $p }) { user { id } } }`,
      { t: invited.inviteMember.token, p: PASSWORD },
    );
    return accepted.acceptInvitation.user.id;
  }

  const cases: Record<string, Case> = {
    changePassword: {
      allowed: EVERY_ROLE,
      operation: () => ({
        query: `mutation ($p: String!) { changePassword(input: { currentPassword: $p, newPassword: $p }) }`,
        variables: { p: PASSWORD },
      }),
    },
    inviteMember: {
      allowed: ADMINS,
      operation: (role) => ({
        query: `mutation ($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { invitation { id } } }`,
        variables: { e: `invitee-${unique(role)}@example.test` },
      }),
    },
    changeMemberRole: {
      allowed: ADMINS,
      operation: () => ({
        query: `mutation ($u: ID!) { changeMemberRole(input: { userId: $u, role: CONTENT_CREATOR }) { role } }`,
        variables: { u: team.userIds.CONTENT_CREATOR },
      }),
    },
    removeMember: {
      allowed: ADMINS,
      operation: async () => ({ query: `mutation ($u: ID!) { removeMember(userId: $u) }`, variables: { u: await spareMember() } }),
    },
    createApiKey: {
      allowed: ADMINS,
      operation: (role) => ({ query: `mutation ($n: String!) { createApiKey(input: { name: $n, scopes: ["content:read"] }) { key } }`, variables: { n: unique(role) } }),
    },
    revokeApiKey: {
      allowed: ADMINS,
      operation: () => ({ query: `mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, variables: { id: fixtures.apiKeyId } }),
    },
    createBrand: {
      allowed: BRAND_EDITORS,
      operation: (role) => ({ query: `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, variables: { n: `Brand ${unique(role)}` } }),
    },
    createProject: {
      allowed: BRAND_EDITORS,
      operation: () => ({
        query: `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "P", type: BLOG }) { id } }`,
        variables: { b: fixtures.brandId },
      }),
    },
    planCalendarEntry: {
      allowed: BRAND_EDITORS,
      operation: () => ({
        query: `mutation ($b: ID!, $at: DateTime!) { planCalendarEntry(input: { brandId: $b, channel: BLOG, title: "T", scheduledAt: $at }) { id } }`,
        variables: { b: fixtures.brandId, at: FUTURE },
      }),
    },
    createContent: {
      allowed: CONTENT_EDITORS,
      operation: () => ({
        query: `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: BLOG, title: "T", body: "B" }) { id } }`,
        variables: { p: fixtures.projectId },
      }),
    },
    ...Object.fromEntries(
      ['Auth', 'Strategy', 'Creation', 'Campaigns'].flatMap((prefix) => [
        [
          `replay${prefix}DeadLetters`,
          { allowed: ADMINS, operation: () => ({ query: `mutation { replay${prefix}DeadLetters { applied failed } }` }) },
        ],
        [
          `replay${prefix}DeadLetter`,
          {
            allowed: ADMINS,
            // No dead letter exists here: allowed callers get past the policy and find nothing.
            allowedCodes: ['NOT_FOUND'],
            operation: () => ({ query: `mutation { replay${prefix}DeadLetter(id: "00000000-0000-4000-8000-000000000000") { outcome } }` }),
          },
        ],
      ]),
    ),
    // No provider is configured here and no connection exists: allowed callers get past the policy and are refused
    // for that, before any call leaves the system.
    startPlatformConnection: {
      allowed: BRAND_EDITORS,
      allowedCodes: ['BAD_USER_INPUT'],
      operation: () => ({ query: `mutation ($b: ID!) { startPlatformConnection(input: { brandId: $b, provider: X }) { state } }`, variables: { b: fixtures.brandId } }),
    },
    completePlatformConnection: {
      allowed: BRAND_EDITORS,
      allowedCodes: ['BAD_USER_INPUT'],
      operation: () => ({ query: `mutation { completePlatformConnection(input: { state: "unknown", code: "c" }) { id } }` }),
    },
    connectPlatformWithApiKey: {
      allowed: BRAND_EDITORS,
      allowedCodes: ['BAD_USER_INPUT'],
      operation: () => ({
        query: `mutation ($b: ID!) { connectPlatformWithApiKey(input: { brandId: $b, provider: WORDPRESS, secret: "s", username: "u", siteUrl: "http://127.0.0.1:9" }) { id } }`,
        variables: { b: fixtures.brandId },
      }),
    },
    checkPlatformConnection: {
      allowed: BRAND_EDITORS,
      allowedCodes: ['NOT_FOUND'],
      operation: () => ({ query: `mutation { checkPlatformConnection(id: "00000000-0000-4000-8000-000000000000") { id } }` }),
    },
    disconnectPlatform: {
      allowed: BRAND_EDITORS,
      allowedCodes: ['NOT_FOUND'],
      operation: () => ({ query: `mutation { disconnectPlatform(id: "00000000-0000-4000-8000-000000000000") }` }),
    },
    schedulePublication: {
      allowed: BRAND_EDITORS,
      operation: () => ({
        query: `mutation ($c: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $c, channel: BLOG, scheduledAt: $at }) { id } }`,
        variables: { c: fixtures.contentId, at: FUTURE },
      }),
    },
    startGeneration: {
      allowed: CONTENT_EDITORS,
      operation: () => ({ query: START_GENERATION, variables: { i: GENERATION_INPUT } }),
    },
    setAiBudget: {
      allowed: ADMINS,
      operation: () => ({ query: `mutation { setAiBudget(input: { monthlyLimitCents: 5000, warningPercent: 75 }) { monthlyLimitCents isDefault } }` }),
    },
  };
  /** Mutations anyone may call: they work on tokens the caller holds, not on an organization's data. */
  const PUBLIC = ['register', 'verifyEmail', 'login', 'refreshSession', 'logout', 'acceptInvitation'];

  beforeAll(async () => {
    // Partners may send free queries here: the API-key checks below are about scopes (the safelist has its own tests).
    stack = await startTestStack({ env: { PERSISTED_QUERIES_PARTNERS: 'any' } });
    team = await teamWithEveryRole(stack.url, 'Matrix Inc');
    const owner = team.tokens.OWNER;
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Fixture" }) { id } }`, {}, owner);
    const project = await gqlOk<{ createProject: { id: string } }>(
      stack.url,
      `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Fixture", type: EMAIL }) { id } }`,
      { b: brand.createBrand.id },
      owner,
    );
    const content = await gqlOk<{ createContent: { id: string } }>(
      stack.url,
      `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: EMAIL, title: "F", body: "F" }) { id } }`,
      { p: project.createProject.id },
      owner,
    );
    const key = await gqlOk<{ createApiKey: { apiKey: { id: string } } }>(
      stack.url,
      `mutation { createApiKey(input: { name: "fixture", scopes: ["content:read"] }) { apiKey { id } } }`,
      {},
      owner,
    );
    fixtures = { brandId: brand.createBrand.id, projectId: project.createProject.id, contentId: content.createContent.id, apiKeyId: key.createApiKey.apiKey.id };
  });
  afterAll(() => stack?.stop());

  /**
   * The database once the events of earlier allowed calls have been applied (a brand created a moment ago reaches
   * strategy's and auth's projections a few milliseconds later): two equal fingerprints 100 ms apart.
   */
  async function settledFingerprint(): Promise<Record<string, string>> {
    let last = await databaseFingerprint(stack);
    for (let attempt = 0; attempt < 30; attempt++) {
      await sleep(100);
      const next = await databaseFingerprint(stack);
      if (JSON.stringify(next) === JSON.stringify(last)) return next;
      last = next;
    }
    throw new Error('the database kept changing for 3 s');
  }

  it('covers every mutation of the graph', async () => {
    const schema = await gqlOk<{ __schema: { mutationType: { fields: { name: string }[] } } }>(stack.url, `{ __schema { mutationType { fields { name } } } }`);
    const mutations = schema.__schema.mutationType.fields.map((f) => f.name).filter((n) => !PUBLIC.includes(n));
    expect(mutations.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.keys(cases))('%s: allowed roles succeed, the others get FORBIDDEN and change nothing', async (mutation) => {
    const spec = cases[mutation]!;
    for (const role of ROLES) {
      const { query, variables } = await spec.operation(role);
      if (spec.allowed.includes(role)) {
        const result = await gql(stack.url, query, variables, team.tokens[role]);
        expect({ mutation, role, codes: errorCodes(result) }).toEqual({ mutation, role, codes: spec.allowedCodes ?? [] });
      } else {
        const before = await settledFingerprint();
        const result = await gql(stack.url, query, variables, team.tokens[role]);
        expect({ mutation, role, codes: errorCodes(result) }).toEqual({ mutation, role, codes: ['FORBIDDEN'] });
        expect(await databaseFingerprint(stack)).toEqual(before);
      }
    }
  });

  it('VIEWER reads everything an organization has but the admin-only lists', async () => {
    const read = await gql(
      stack.url,
      `{ organization { name members { role } } brands { nodes { id } } contents { nodes { id } } publications { nodes { id } } generationJobs { nodes { id } } }`,
      {},
      team.tokens.VIEWER,
    );
    expect(read.errors ?? []).toEqual([]);
    for (const query of [
      `{ apiKeys { nodes { id } } }`,
      `{ auditEvents { nodes { id } } }`,
      `{ organization { pendingInvitations { id } } }`,
      `{ aiUsage { month total { calls costMicroUsd } budget { monthlyLimitCents } } }`,
      `{ aiCalls { nodes { id } } }`,
    ]) {
      expect({ query, codes: errorCodes(await gql(stack.url, query, {}, team.tokens.VIEWER)) }).toEqual({ query, codes: ['FORBIDDEN'] });
      expect({ query, errors: (await gql(stack.url, query, {}, team.tokens.ADMIN)).errors ?? [] }).toEqual({ query, errors: [] });
    }
  });

  it('every role follows the organization’s generation jobs; only OWNER and ADMIN see AI usage and calls', async () => {
    const started = await gqlOk<{ startGeneration: { id: string } }>(stack.url, START_GENERATION, { i: GENERATION_INPUT }, team.tokens.CONTENT_CREATOR);
    const id = started.startGeneration.id;
    for (const role of ROLES) {
      const jobs = await gql<{ generationJob: { id: string } | null; generationJobs: { nodes: { id: string }[] } }>(
        stack.url,
        `query ($id: ID!) { generationJob(id: $id) { id } generationJobs(first: 100) { nodes { id } } }`,
        { id },
        team.tokens[role],
      );
      expect({ role, errors: jobs.errors ?? [], job: jobs.data?.generationJob, listed: jobs.data?.generationJobs.nodes.some((n) => n.id === id) }).toEqual({
        role,
        errors: [],
        job: { id },
        listed: true,
      });
      for (const query of [`{ aiUsage { month total { calls } } }`, `{ aiCalls { nodes { id } } }`]) {
        const result = await gql(stack.url, query, {}, team.tokens[role]);
        expect({ role, query, codes: errorCodes(result) }).toEqual({ role, query, codes: ADMINS.includes(role) ? [] : ['FORBIDDEN'] });
      }
    }
  });

  it('API keys: content:read follows generation jobs, content:write starts them, and no key sees AI cost or sets the budget', async () => {
    const key = async (label: string, scopes: readonly string[]) =>
      (
        await gqlOk<{ createApiKey: { key: string } }>(
          stack.url,
          `mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }`,
          { i: { name: `ai ${label} ${++seq}`, scopes } },
          team.tokens.OWNER,
        )
      ).createApiKey.key;
    const reader = await key('reader', ['content:read']);
    const writer = await key('writer', ['content:write']);
    const unrelated = await key('unrelated', ['brands:read', 'brands:write']);
    const everything = await key('every scope', SCOPES);

    const started = await withKey(stack.url, writer, START_GENERATION, { i: GENERATION_INPUT });
    expect(started.errors ?? []).toEqual([]);
    const id = (started.data as { startGeneration: { id: string; status: string } }).startGeneration.id;

    const read = await withKey(stack.url, reader, `query ($id: ID!) { generationJob(id: $id) { id } generationJobs(first: 100) { nodes { id } } }`, { id });
    expect(read.errors ?? []).toEqual([]);
    expect(read.data).toMatchObject({ generationJob: { id } });

    const refusals: Array<[string, string, string, Record<string, unknown>?]> = [
      ['unrelated', unrelated, `query ($id: ID!) { generationJob(id: $id) { id } }`, { id }],
      ['unrelated', unrelated, `{ generationJobs { nodes { id } } }`],
      ['reader', reader, START_GENERATION, { i: GENERATION_INPUT }],
      ['unrelated', unrelated, START_GENERATION, { i: GENERATION_INPUT }],
      ...[reader, writer, everything].flatMap((k, i): Array<[string, string, string]> => {
        const name = ['reader', 'writer', 'every scope'][i]!;
        return [
          [name, k, `{ aiUsage { month } }`],
          [name, k, `{ aiCalls { nodes { id } } }`],
          [name, k, `mutation { setAiBudget(input: { monthlyLimitCents: 1 }) { monthlyLimitCents } }`],
        ];
      }),
    ];
    for (const [name, apiKey, query, variables] of refusals) {
      const before = query.startsWith('mutation') ? await settledFingerprint() : undefined;
      const result = await withKey(stack.url, apiKey, query, variables);
      expect({ name, query, codes: errorCodes(result) }).toEqual({ name, query, codes: ['FORBIDDEN'] });
      if (before) expect(await databaseFingerprint(stack)).toEqual(before);
    }
  });
});
