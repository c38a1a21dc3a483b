import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '../src/index';
import { databaseFingerprint, errorCodes, gql, gqlOk, registerTenant, type Tenant } from '@umt/test-support';
import { startTestStack } from './support/stack';

const SNIPPETS = [
  `'; DROP TABLE brand.brands; --`,
  `" OR 1=1 --`,
  `Robert'); DELETE FROM auth.users WHERE ('1'='1`,
  `<script>alert(document.cookie)</script>`,
  `<img src=x onerror=alert(1)>`,
  `{{7*7}} \${7*7} %s%s%s`,
  `../../etc/passwd`,
  `😀 ünïcødé ‮RTL`,
];
const BAD_IDS = ['', 'not-a-uuid', '1 OR 1=1', `00000000-0000-0000-0000-00000000000g`, `'; DROP TABLE x; --`, 'a'.repeat(5000)];
const FUTURE = new Date(Date.now() + 86_400_000).toISOString();

describe('hostile input gets clean errors and leaves the data as it was', () => {
  let stack: Stack;
  let tenant: Tenant;
  let fixtures: { brandId: string; projectId: string; contentId: string };

  beforeAll(async () => {
    stack = await startTestStack();
    tenant = await registerTenant(stack.url, 'Hostile Inputs Ltd');
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Base" }) { id } }`, {}, tenant.token);
    const project = await gqlOk<{ createProject: { id: string } }>(
      stack.url,
      `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Base", type: BLOG }) { id } }`,
      { b: brand.createBrand.id },
      tenant.token,
    );
    const content = await gqlOk<{ createContent: { id: string } }>(
      stack.url,
      `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: BLOG, title: "Base", body: "Base" }) { id } }`,
      { p: project.createProject.id },
      tenant.token,
    );
    fixtures = { brandId: brand.createBrand.id, projectId: project.createProject.id, contentId: content.createContent.id };
  });
  afterAll(() => stack?.stop());

  /** Expects the call to fail with one of `codes` and the database to be exactly as before. */
  async function refusedWithoutChange(query: string, variables: Record<string, unknown>, codes: string[], token: string | undefined = tenant.token) {
    const before = await databaseFingerprint(stack);
    const result = await gql(stack.url, query, variables, token);
    const got = errorCodes(result);
    expect({ query, variables: JSON.stringify(variables).slice(0, 120), ok: got.length > 0 && got.every((c) => codes.includes(c ?? '')) }).toEqual({
      query,
      variables: JSON.stringify(variables).slice(0, 120),
      ok: true,
    });
    for (const error of result.errors ?? []) {
      expect(JSON.stringify(error)).not.toMatch(/stack|at .*\.js|select |insert |syntax error at/i);
    }
    expect(await databaseFingerprint(stack)).toEqual(before);
  }

  it('stores SQL and script snippets in free-text fields literally and runs none of them', async () => {
    for (const snippet of SNIPPETS) {
      const brand = await gqlOk<{ createBrand: { id: string; name: string; industry: string; voice: string } }>(
        stack.url,
        `mutation ($i: CreateBrandInput!) { createBrand(input: $i) { id name industry voice } }`,
        { i: { name: `Brand ${snippet}`, industry: snippet, voice: snippet } },
        tenant.token,
      );
      expect(brand.createBrand).toMatchObject({ name: `Brand ${snippet}`.trim(), industry: snippet.trim(), voice: snippet.trim() });
      const content = await gqlOk<{ createContent: { title: string; body: string } }>(
        stack.url,
        `mutation ($p: ID!, $t: String!) { createContent(input: { projectId: $p, channel: BLOG, title: $t, body: $t }) { title body } }`,
        { p: fixtures.projectId, t: snippet },
        tenant.token,
      );
      expect(content.createContent).toEqual({ title: snippet.trim(), body: snippet.trim() });
      await gqlOk(
        stack.url,
        `mutation ($b: ID!, $t: String!, $at: DateTime!) { planCalendarEntry(input: { brandId: $b, channel: X, title: $t, notes: $t, scheduledAt: $at }) { id } }`,
        { b: fixtures.brandId, t: snippet, at: FUTURE },
        tenant.token,
      );
    }
    // Every table is still there and readable.
    const all = await gqlOk<{ brands: { nodes: unknown[] }; contents: { nodes: unknown[] }; me: { id: string } }>(
      stack.url,
      `{ brands(first: 100) { nodes { id } } contents(first: 100) { nodes { id } } me { id } }`,
      {},
      tenant.token,
    );
    expect(all.brands.nodes).toHaveLength(1 + SNIPPETS.length);
    expect(all.contents.nodes).toHaveLength(1 + SNIPPETS.length);
  });

  it('refuses snippets where a format is expected: emails, URLs, scopes, tokens', async () => {
    for (const snippet of SNIPPETS) {
      await refusedWithoutChange(`mutation ($i: CreateBrandInput!) { createBrand(input: $i) { id } }`, { i: { name: 'Valid', website: snippet } }, ['BAD_USER_INPUT']);
      await refusedWithoutChange(`mutation ($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { token } }`, { e: snippet }, ['BAD_USER_INPUT']);
      await refusedWithoutChange(`mutation ($s: [String!]!) { createApiKey(input: { name: "k", scopes: $s }) { key } }`, { s: [snippet] }, ['BAD_USER_INPUT']);
      await refusedWithoutChange(`mutation ($t: String!) { verifyEmail(token: $t) }`, { t: snippet }, ['BAD_USER_INPUT'], undefined);
      await refusedWithoutChange(`mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, { t: snippet }, ['UNAUTHENTICATED'], undefined);
      await refusedWithoutChange(
        `mutation ($t: String!) { acceptInvitation(input: { token: $t, name: "x", password: "long enough password" }) { accessToken } }`,
        { t: snippet },
        ['BAD_USER_INPUT'],
        undefined,
      );
      await refusedWithoutChange(
        `mutation ($e: String!) { register(input: { organizationName: "x", name: "x", email: $e, password: "long enough password" }) { accessToken } }`,
        { e: snippet },
        ['BAD_USER_INPUT'],
        undefined,
      );
    }
  });

  it('refuses malformed ids in every id argument', async () => {
    const operations: [string, (id: string) => Record<string, unknown>][] = [
      [`query ($id: ID!) { brand(id: $id) { id } }`, (id) => ({ id })],
      [`query ($id: ID!) { project(id: $id) { id } }`, (id) => ({ id })],
      [`query ($id: ID!) { calendarEntry(id: $id) { id } }`, (id) => ({ id })],
      [`query ($id: ID!) { content(id: $id) { id } }`, (id) => ({ id })],
      [`query ($id: ID!) { publication(id: $id) { id } }`, (id) => ({ id })],
      [`mutation ($id: ID!) { createProject(input: { brandId: $id, name: "x", type: BLOG }) { id } }`, (id) => ({ id })],
      [`mutation ($id: ID!, $at: DateTime!) { planCalendarEntry(input: { brandId: $id, channel: BLOG, title: "x", scheduledAt: $at }) { id } }`, (id) => ({ id, at: FUTURE })],
      [`mutation ($id: ID!) { createContent(input: { projectId: $id, channel: BLOG, title: "x", body: "x" }) { id } }`, (id) => ({ id })],
      [`mutation ($id: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $id, channel: BLOG, scheduledAt: $at }) { id } }`, (id) => ({ id, at: FUTURE })],
      [`mutation ($id: ID!) { changeMemberRole(input: { userId: $id, role: VIEWER }) { role } }`, (id) => ({ id })],
      [`mutation ($id: ID!) { removeMember(userId: $id) }`, (id) => ({ id })],
      [`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, (id) => ({ id })],
    ];
    for (const [query, variables] of operations) {
      for (const id of BAD_IDS) await refusedWithoutChange(query, variables(id), ['BAD_USER_INPUT']);
    }
  });

  it('refuses oversized strings, NUL characters and values of the wrong type', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      [`mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: 'x'.repeat(10_000) }, ['BAD_USER_INPUT']],
      [`mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: 'nul\u0000byte' }, ['BAD_USER_INPUT']],
      [`mutation ($p: ID!, $b: String!) { createContent(input: { projectId: $p, channel: BLOG, title: "x", body: $b }) { id } }`, { p: fixtures.projectId, b: 'x'.repeat(100_001) }, ['BAD_USER_INPUT']],
      [`mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: 42 }, ['BAD_USER_INPUT']],
      [`mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: { $ne: null } }, ['BAD_USER_INPUT']],
      [`mutation { createBrand(input: { name: 42 }) { id } }`, {}, ['GRAPHQL_VALIDATION_FAILED']],
      [`mutation { createProject(input: { brandId: "${'0'.repeat(8)}-0000-4000-8000-000000000000", name: "x", type: NOT_A_TYPE }) { id } }`, {}, ['GRAPHQL_VALIDATION_FAILED']],
      [`query { brands(first: "ten") { nodes { id } } }`, {}, ['GRAPHQL_VALIDATION_FAILED']],
      [`query { brands(first: 99999999999) { nodes { id } } }`, {}, ['GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COSTLY']],
      [`mutation ($at: DateTime!) { schedulePublication(input: { contentId: "${'0'.repeat(8)}-0000-4000-8000-000000000000", channel: BLOG, scheduledAt: $at }) { id } }`, { at: 'tomorrow' }, ['BAD_USER_INPUT']],
      [`query { nope }`, {}, ['GRAPHQL_VALIDATION_FAILED']],
      [`query { brands { nodes { id } `, {}, ['GRAPHQL_PARSE_FAILED']],
    ];
    for (const [query, variables, codes] of cases) await refusedWithoutChange(query, variables, codes);
  });

  it('answers malformed JSON and wrong content types with a 4xx, not a crash', async () => {
    for (const [body, contentType] of [
      ['{"query": "{ brands { nodes { id } } }"', 'application/json'],
      ['not json at all', 'application/json'],
      ['{"query": 42}', 'application/json'],
      ['[]', 'application/json'],
    ] as const) {
      const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${tenant.token}` }, body });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(await response.text()).not.toMatch(/at .*\.js:\d+/);
    }
    // The gateway still serves.
    expect(errorCodes(await gql(stack.url, `{ me { id } }`, {}, tenant.token))).toEqual([]);
  });
});
