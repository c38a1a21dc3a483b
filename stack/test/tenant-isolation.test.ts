import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openAiFake, OPENAI_FAKE_MODEL, type OpenAiFake } from '@umt/fakes';
import { principalCodec, readCommonConfig, PRINCIPAL_HEADER, type Principal } from '@umt/infra';
import type { Stack } from '../src/index';
import { errorCodes, gql, gqlOk, registerTenant, waitFor, type Tenant } from '@umt/test-support';
import { startTestStack, testEnv } from './support/stack';

const FUTURE = new Date(Date.now() + 86_400_000).toISOString();

interface Created {
  brandId: string;
  projectId: string;
  entryId: string;
  contentId: string;
  publicationId: string;
  /** An AI generation run by a (fake) priced model: the organization has spent money this month. */
  jobId: string;
}

/** What one organization's AI usage says this month: its spending, its budget, its calls. */
const AI_USAGE = `{
  aiUsage { budget { monthlyLimitCents isDefault spentMicroUsd state } total { calls cachedAnswers inputTokens outputTokens costMicroUsd } byAgent { agent } byModel { model } }
  aiCalls(first: 100) { nodes { id job { id } } }
}`;

interface AiUsageSeen {
  aiUsage: {
    budget: { monthlyLimitCents: number; isDefault: boolean; spentMicroUsd: number; state: string };
    total: { calls: number; cachedAnswers: number; inputTokens: number; outputTokens: number; costMicroUsd: number };
    byAgent: { agent: string }[];
    byModel: { model: string }[];
  };
  aiCalls: { nodes: { id: string; job: { id: string } | null }[] };
}

/** Every entity type the graph has so far, created in one organization. */
async function createEverything(url: string, token: string): Promise<Created> {
  const brand = await gqlOk<{ createBrand: { id: string } }>(url, `mutation { createBrand(input: { name: "Secret brand" }) { id } }`, {}, token);
  const brandId = brand.createBrand.id;
  const project = await gqlOk<{ createProject: { id: string } }>(
    url,
    `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Secret project", type: EMAIL }) { id } }`,
    { b: brandId },
    token,
  );
  const projectId = project.createProject.id;
  const entry = await gqlOk<{ planCalendarEntry: { id: string } }>(
    url,
    `mutation ($b: ID!, $at: DateTime!) { planCalendarEntry(input: { brandId: $b, channel: EMAIL, title: "Secret slot", scheduledAt: $at }) { id } }`,
    { b: brandId, at: FUTURE },
    token,
  );
  const content = await gqlOk<{ createContent: { id: string } }>(
    url,
    `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: EMAIL, title: "Secret", body: "Secret body" }) { id } }`,
    { p: projectId },
    token,
  );
  const contentId = content.createContent.id;
  const publication = await gqlOk<{ schedulePublication: { id: string } }>(
    url,
    `mutation ($c: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $c, channel: EMAIL, scheduledAt: $at }) { id } }`,
    { c: contentId, at: FUTURE },
    token,
  );
  const started = await gqlOk<{ startGeneration: { id: string } }>(
    url,
    `mutation ($i: JSON!) { startGeneration(input: { task: CONTENT, input: $i }) { id } }`,
    { i: { brand: { name: 'Acme' }, channel: 'LINKEDIN', brief: 'Say hello' } },
    token,
  );
  const jobId = started.startGeneration.id;
  await waitFor(
    'the generation to finish',
    async () => {
      const job = await gqlOk<{ generationJob: { status: string } }>(url, `query ($id: ID!) { generationJob(id: $id) { status } }`, { id: jobId }, token);
      return job.generationJob.status === 'SUCCEEDED' || job.generationJob.status === 'FAILED';
    },
    30_000,
    100,
  );
  return { brandId, projectId, entryId: entry.planCalendarEntry.id, contentId, publicationId: publication.schedulePublication.id, jobId };
}

describe('tenant isolation and anonymous callers', () => {
  let stack: Stack;
  let a: Tenant;
  let b: Tenant;
  let created: Created;
  /** The model the stack's AI generations call: a fake OpenAI API, priced, so that A's generation costs money. */
  let model: OpenAiFake;
  const config = readCommonConfig(testEnv());
  const principalFor = (subgraph: string, principal: Principal) => principalCodec(config.principalKeys, 60, subgraph).sign(principal);

  beforeAll(async () => {
    model = openAiFake();
    await model.server.start(0, '127.0.0.1');
    stack = await startTestStack({
      env: { AI_PROVIDERS: 'openai', ...model.env(), AI_PRICES: JSON.stringify({ [OPENAI_FAKE_MODEL]: { input: 2.5, output: 10 } }) },
    });
    a = await registerTenant(stack.url, 'Tenant A');
    b = await registerTenant(stack.url, 'Tenant B');
    created = await createEverything(stack.url, a.token);
  });
  afterAll(async () => {
    await stack?.stop();
    await model?.server.stop();
  });

  it('B cannot read any of A’s entities by id', async () => {
    const data = await gqlOk(
      stack.url,
      `query ($brand: ID!, $project: ID!, $entry: ID!, $content: ID!, $publication: ID!, $job: ID!) {
        brand(id: $brand) { id }
        project(id: $project) { id }
        calendarEntry(id: $entry) { id }
        content(id: $content) { id }
        publication(id: $publication) { id }
        generationJob(id: $job) { id }
      }`,
      { brand: created.brandId, project: created.projectId, entry: created.entryId, content: created.contentId, publication: created.publicationId, job: created.jobId },
      b.token,
    );
    expect(data).toEqual({ brand: null, project: null, calendarEntry: null, content: null, publication: null, generationJob: null });
  });

  it('B’s lists and its organization show none of A’s data', async () => {
    const data = await gqlOk<Record<string, unknown>>(
      stack.url,
      `{
        me { id }
        organization { id name members { user { id } } brands { nodes { id } } }
        brands { nodes { id } }
        contents { nodes { id } }
        publications { nodes { id } }
        generationJobs { nodes { id } }
      }`,
      {},
      b.token,
    );
    expect(data).toEqual({
      me: { id: b.userId },
      organization: { id: b.orgId, name: 'Tenant B', members: [{ user: { id: b.userId } }], brands: { nodes: [] } },
      brands: { nodes: [] },
      contents: { nodes: [] },
      publications: { nodes: [] },
      generationJobs: { nodes: [] },
    });
  });

  it('B’s AI usage, calls and budget show none of A’s spending, and B’s budget is B’s own', async () => {
    const ofA = await gqlOk<AiUsageSeen>(stack.url, AI_USAGE, {}, a.token);
    // Not vacuous: A's generation called the priced model, and it cost something.
    expect(ofA.aiUsage.total.calls).toBeGreaterThan(0);
    expect(ofA.aiUsage.total.costMicroUsd).toBeGreaterThan(0);
    expect(ofA.aiUsage.budget.spentMicroUsd).toBe(ofA.aiUsage.total.costMicroUsd);
    expect(ofA.aiCalls.nodes.map((n) => n.job?.id)).toContain(created.jobId);

    const ofB = await gqlOk<AiUsageSeen>(stack.url, AI_USAGE, {}, b.token);
    expect(ofB).toEqual({
      aiUsage: {
        budget: { monthlyLimitCents: ofA.aiUsage.budget.monthlyLimitCents, isDefault: true, spentMicroUsd: 0, state: 'OK' },
        total: { calls: 0, cachedAnswers: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 },
        byAgent: [],
        byModel: [],
      },
      aiCalls: { nodes: [] },
    });
    const byJob = await gqlOk<{ aiCalls: { nodes: unknown[] } }>(stack.url, `query ($j: ID!) { aiCalls(jobId: $j) { nodes { id } } }`, { j: created.jobId }, b.token);
    expect(byJob.aiCalls.nodes).toEqual([]);

    // Each organization's budget is its own: B setting one changes nothing for A.
    await gqlOk(stack.url, `mutation { setAiBudget(input: { monthlyLimitCents: 1, warningPercent: 50 }) { monthlyLimitCents } }`, {}, b.token);
    const budgets = await Promise.all(
      [a, b].map((t) => gqlOk<{ aiUsage: { budget: { monthlyLimitCents: number; isDefault: boolean; spentMicroUsd: number } } }>(stack.url, `{ aiUsage { budget { monthlyLimitCents isDefault spentMicroUsd } } }`, {}, t.token)),
    );
    expect(budgets.map((r) => r.aiUsage.budget)).toEqual([
      { monthlyLimitCents: ofA.aiUsage.budget.monthlyLimitCents, isDefault: true, spentMicroUsd: ofA.aiUsage.budget.spentMicroUsd },
      { monthlyLimitCents: 1, isDefault: false, spentMicroUsd: 0 },
    ]);
  });

  it('A still sees all of it (the checks above are not vacuous)', async () => {
    const data = await gqlOk<Record<string, { id: string } | null>>(
      stack.url,
      `query ($brand: ID!, $project: ID!, $entry: ID!, $content: ID!, $publication: ID!, $job: ID!) {
        brand(id: $brand) { id }
        project(id: $project) { id }
        calendarEntry(id: $entry) { id }
        content(id: $content) { id }
        publication(id: $publication) { id }
        generationJob(id: $job) { id }
      }`,
      { brand: created.brandId, project: created.projectId, entry: created.entryId, content: created.contentId, publication: created.publicationId, job: created.jobId },
      a.token,
    );
    expect(Object.values(data).every((v) => v !== null)).toBe(true);
    const jobs = await gqlOk<{ generationJobs: { nodes: { id: string }[] } }>(stack.url, `{ generationJobs { nodes { id } } }`, {}, a.token);
    expect(jobs.generationJobs.nodes).toEqual([{ id: created.jobId }]);
  });

  it('B cannot attach work to A’s brand, project or content', async () => {
    // Each refusal waits for the reference (REFERENCE_WAIT_MS) before answering: sent together.
    const [project, entry, content, publication] = await Promise.all([
      gql(stack.url, `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Hijack", type: BLOG }) { id } }`, { b: created.brandId }, b.token),
      gql(
        stack.url,
        `mutation ($b: ID!, $at: DateTime!) { planCalendarEntry(input: { brandId: $b, channel: BLOG, title: "Hijack", scheduledAt: $at }) { id } }`,
        { b: created.brandId, at: FUTURE },
        b.token,
      ),
      gql(stack.url, `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: BLOG, title: "Mine", body: "x" }) { id } }`, { p: created.projectId }, b.token),
      gql(
        stack.url,
        `mutation ($c: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $c, channel: BLOG, scheduledAt: $at }) { id } }`,
        { c: created.contentId, at: FUTURE },
        b.token,
      ),
    ]);
    expect(errorCodes(project)).toEqual(['NOT_FOUND']);
    expect([entry, content, publication].map((r) => r.errors?.map((e) => [e.extensions?.code, e.extensions?.field]))).toEqual([
      [['NOT_FOUND', 'brandId']],
      [['NOT_FOUND', 'projectId']],
      [['NOT_FOUND', 'contentId']],
    ]);

    const seenByA = await gqlOk<{ project: { contents: { nodes: { id: string }[] } } }>(
      stack.url,
      `query ($p: ID!) { project(id: $p) { contents { nodes { id } } } }`,
      { p: created.projectId },
      a.token,
    );
    expect(seenByA.project.contents.nodes.map((n) => n.id)).toEqual([created.contentId]);
  });

  it('B cannot see or touch A’s members, invitations, API keys or security events', async () => {
    const invited = await gqlOk<{ inviteMember: { invitation: { id: string } } }>(
      stack.url,
      `mutation { inviteMember(input: { email: "someone@a.example", role: VIEWER }) { invitation { id } } }`,
      {},
      a.token,
    );
    expect(invited.inviteMember.invitation.id).toBeTruthy();
    const key = await gqlOk<{ createApiKey: { apiKey: { id: string } } }>(
      stack.url,
      `mutation { createApiKey(input: { name: "A's key", scopes: ["content:read"] }) { apiKey { id } } }`,
      {},
      a.token,
    );
    const keyId = key.createApiKey.apiKey.id;

    const seenByB = await gqlOk(
      stack.url,
      `{ organization { pendingInvitations { id } } apiKeys { nodes { id } } auditEvents(first: 100) { nodes { actorId targetId } } }`,
      {},
      b.token,
    );
    expect(seenByB).toMatchObject({ organization: { pendingInvitations: [] }, apiKeys: { nodes: [] } });
    expect(JSON.stringify(seenByB)).not.toContain(a.userId);
    expect(JSON.stringify(seenByB)).not.toContain(keyId);

    for (const mutation of [
      `mutation { revokeApiKey(id: "${keyId}") { id } }`,
      `mutation { changeMemberRole(input: { userId: "${a.userId}", role: VIEWER }) { role } }`,
      `mutation { removeMember(userId: "${a.userId}") }`,
    ]) {
      expect({ mutation, codes: errorCodes(await gql(stack.url, mutation, {}, b.token)) }).toEqual({ mutation, codes: ['NOT_FOUND'] });
    }
    const stillA = await gqlOk<{ apiKeys: { nodes: { id: string; revokedAt: string | null }[] }; organization: { members: { role: string }[] } }>(
      stack.url,
      `{ apiKeys { nodes { id revokedAt } } organization { members { role } } }`,
      {},
      a.token,
    );
    expect(stillA.apiKeys.nodes).toEqual([{ id: keyId, revokedAt: null }]);
    expect(stillA.organization.members).toEqual([{ role: 'OWNER' }]);
  });

  /** Sends an `_entities` request straight to a subgraph, as the gateway would, with the given principal. */
  async function entities(subgraph: keyof Stack['subgraphUrls'], typename: string, id: string, principal: Principal) {
    const response = await fetch(stack.subgraphUrls[subgraph], {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principalFor(subgraph, principal) },
      body: JSON.stringify({
        query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id } } }`,
        variables: { r: [{ __typename: typename, id }] },
      }),
    });
    return (await response.json()) as { data?: { _entities: unknown[] }; errors?: { extensions?: { code?: string } }[] };
  }

  it('B cannot resolve A’s entities through _entities in any subgraph', async () => {
    const asB: Principal = { kind: 'user', userId: b.userId, orgId: b.orgId, roles: ['OWNER'] };
    const asA: Principal = { kind: 'user', userId: a.userId, orgId: a.orgId, roles: ['OWNER'] };
    const cases = [
      ['auth', 'Organization', a.orgId],
      ['auth', 'User', a.userId],
      ['brand', 'Brand', created.brandId],
      ['brand', 'Project', created.projectId],
      ['brand', 'Organization', a.orgId],
      ['strategy', 'CalendarEntry', created.entryId],
      ['creation', 'Content', created.contentId],
      ['campaigns', 'Publication', created.publicationId],
      ['creation', 'GenerationJob', created.jobId],
    ] as const;
    for (const [subgraph, typename, id] of cases) {
      const asOther = await entities(subgraph, typename, id, asB);
      expect({ typename, result: asOther.data?._entities }).toEqual({ typename, result: [null] });
      const asOwner = await entities(subgraph, typename, id, asA);
      expect({ typename, result: asOwner.data?._entities }).toEqual({ typename, result: [{ id }] });
    }
  });

  it('an anonymous caller can only register, log in and use its own tokens', async () => {
    const id = created.brandId;
    const operations: Record<string, string> = {
      me: `{ me { id } }`,
      organization: `{ organization { id } }`,
      brands: `{ brands { nodes { id } } }`,
      brand: `{ brand(id: "${id}") { id } }`,
      project: `{ project(id: "${id}") { id } }`,
      calendarEntry: `{ calendarEntry(id: "${id}") { id } }`,
      content: `{ content(id: "${id}") { id } }`,
      contents: `{ contents { nodes { id } } }`,
      publication: `{ publication(id: "${id}") { id } }`,
      publications: `{ publications { nodes { id } } }`,
      createBrand: `mutation { createBrand(input: { name: "x" }) { id } }`,
      createProject: `mutation { createProject(input: { brandId: "${id}", name: "x", type: BLOG }) { id } }`,
      planCalendarEntry: `mutation { planCalendarEntry(input: { brandId: "${id}", channel: BLOG, title: "x", scheduledAt: "${FUTURE}" }) { id } }`,
      createContent: `mutation { createContent(input: { projectId: "${id}", channel: BLOG, title: "x", body: "x" }) { id } }`,
      schedulePublication: `mutation { schedulePublication(input: { contentId: "${id}", channel: BLOG, scheduledAt: "${FUTURE}" }) { id } }`,
      apiKeys: `{ apiKeys { nodes { id } } }`,
      auditEvents: `{ auditEvents { nodes { id } } }`,
      changePassword: `mutation { changePassword(input: { currentPassword: "x", newPassword: "long enough password" }) }`,
      inviteMember: `mutation { inviteMember(input: { email: "x@example.test", role: VIEWER }) { token } }`,
      changeMemberRole: `mutation { changeMemberRole(input: { userId: "${id}", role: VIEWER }) { role } }`,
      removeMember: `mutation { removeMember(userId: "${id}") }`,
      createApiKey: `mutation { createApiKey(input: { name: "x", scopes: ["content:read"] }) { key } }`,
      revokeApiKey: `mutation { revokeApiKey(id: "${id}") { id } }`,
      strategyDeadLetters: `{ strategyDeadLetters { nodes { id } } }`,
      creationDeadLetters: `{ creationDeadLetters { nodes { id } } }`,
      replayStrategyDeadLetter: `mutation { replayStrategyDeadLetter(id: "${id}") { outcome } }`,
      replayStrategyDeadLetters: `mutation { replayStrategyDeadLetters { applied } }`,
      replayCreationDeadLetter: `mutation { replayCreationDeadLetter(id: "${id}") { outcome } }`,
      replayCreationDeadLetters: `mutation { replayCreationDeadLetters { applied } }`,
      campaignsDeadLetters: `{ campaignsDeadLetters { nodes { id } } }`,
      replayCampaignsDeadLetter: `mutation { replayCampaignsDeadLetter(id: "${id}") { outcome } }`,
      replayCampaignsDeadLetters: `mutation { replayCampaignsDeadLetters { applied } }`,
      authDeadLetters: `{ authDeadLetters { nodes { id } } }`,
      replayAuthDeadLetter: `mutation { replayAuthDeadLetter(id: "${id}") { outcome } }`,
      replayAuthDeadLetters: `mutation { replayAuthDeadLetters { applied } }`,
      platformProviders: `{ platformProviders { provider } }`,
      platformConnections: `{ platformConnections { nodes { id } } }`,
      platformConnection: `{ platformConnection(id: "${id}") { id } }`,
      startPlatformConnection: `mutation { startPlatformConnection(input: { brandId: "${id}", provider: X }) { state } }`,
      completePlatformConnection: `mutation { completePlatformConnection(input: { state: "s", code: "c" }) { id } }`,
      connectPlatformWithApiKey: `mutation { connectPlatformWithApiKey(input: { brandId: "${id}", provider: MAILCHIMP, secret: "k-us1" }) { id } }`,
      checkPlatformConnection: `mutation { checkPlatformConnection(id: "${id}") { id } }`,
      disconnectPlatform: `mutation { disconnectPlatform(id: "${id}") }`,
      circuitBreakers: `{ circuitBreakers { service } }`,
      generationJob: `{ generationJob(id: "${id}") { id } }`,
      generationJobs: `{ generationJobs { nodes { id } } }`,
      aiUsage: `{ aiUsage { month } }`,
      aiCalls: `{ aiCalls { nodes { id } } }`,
      startGeneration: `mutation { startGeneration(input: { task: CONTENT, input: { brand: { name: "Acme" }, channel: "LINKEDIN", brief: "Say hello" } }) { id } }`,
      setAiBudget: `mutation { setAiBudget(input: { monthlyLimitCents: 0 }) { monthlyLimitCents } }`,
    };
    const PUBLIC = ['register', 'verifyEmail', 'login', 'refreshSession', 'logout', 'acceptInvitation'];

    // The list above must cover every root field of the graph: a new field without a check fails here.
    const schema = await gqlOk<{ __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } } }>(
      stack.url,
      `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`,
    );
    const rootFields = [...schema.__schema.queryType.fields, ...schema.__schema.mutationType.fields].map((f) => f.name);
    expect(rootFields.filter((f) => !PUBLIC.includes(f)).sort()).toEqual(Object.keys(operations).sort());

    for (const [field, query] of Object.entries(operations)) {
      const result = await gql(stack.url, query);
      expect({ field, codes: errorCodes(result) }).toEqual({ field, codes: ['UNAUTHENTICATED'] });
    }

    const anonymous = await entities('brand', 'Brand', created.brandId, { kind: 'anonymous' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Nothing was written by any of those calls.
    const brands = await gqlOk<{ brands: { nodes: unknown[] } }>(stack.url, `{ brands { nodes { id } } }`, {}, a.token);
    expect(brands.brands.nodes).toHaveLength(1);
    const jobs = await gqlOk<{ generationJobs: { nodes: unknown[] } }>(stack.url, `{ generationJobs { nodes { id } } }`, {}, a.token);
    expect(jobs.generationJobs.nodes).toHaveLength(1);
  });
});
