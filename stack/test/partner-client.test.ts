import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '../src/index';
import { gqlOk, registerTenant } from '@umt/test-support';
import { startTestStack } from './support/stack';

const run = promisify(execFile);

/** A real client: Apollo Client with its persisted-query link, run as its own node process against the gateway. */
describe('a partner using @apollo/client with persisted queries', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('runs manifest operations by id, queries over GET', async () => {
    const owner = await registerTenant(stack.url, 'Client Co');
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Partnered" }) { id } }`, {}, owner.token);
    const project = await gqlOk<{ createProject: { id: string } }>(
      stack.url,
      `mutation ($b: ID!) { createProject(input: { brandId: $b, name: "Posts", type: SOCIAL_POST }) { id } }`,
      { b: brand.createBrand.id },
      owner.token,
    );
    const key = await gqlOk<{ createApiKey: { key: string } }>(
      stack.url,
      `mutation { createApiKey(input: { name: "client", scopes: ["brands:read", "content:write"] }) { key } }`,
      {},
      owner.token,
    );

    const { stdout } = await run(process.execPath, [resolve(__dirname, 'clients', 'partner-apollo-client.mjs')], {
      env: { PATH: process.env.PATH, GATEWAY_URL: stack.url, API_KEY: key.createApiKey.key, PROJECT_ID: project.createProject.id },
      timeout: 30_000,
    });
    const result = JSON.parse(stdout) as {
      brands: { brands: { nodes: { name: string }[] } };
      created: { createContent: { title: string; status: string } };
      requests: { method: string; hasQueryText: boolean }[];
    };
    expect(result.brands.brands.nodes.map((b) => b.name)).toEqual(['Partnered']);
    expect(result.created.createContent).toMatchObject({ title: 'From a partner', status: 'DRAFT' });
    // Both went by id alone (the safelist fills in the text): the query over GET, the mutation by POST.
    expect(result.requests).toEqual([
      { method: 'GET', hasQueryText: false },
      { method: 'POST', hasQueryText: false },
    ]);
  });
});
