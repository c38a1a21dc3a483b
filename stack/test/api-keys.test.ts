import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGateway, readGatewayConfig, type Gateway } from '@umt/gateway';
import type { Stack } from '../src/index';
import { errorCodes, gqlOk, registerTenant, type GraphQLResponse, type Tenant } from '@umt/test-support';
import { startTestStack, testEnv } from './support/stack';

/** What a partner does: send an operation with its key. */
async function withKey(url: string, key: string, query: string, variables: Record<string, unknown> = {}, extraHeaders: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...extraHeaders },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

describe('partner API keys', () => {
  let stack: Stack;
  let second: Gateway;
  let secondUrl: string;
  let admin: Tenant;

  const createKey = (scopes: string[], extra: Record<string, unknown> = {}) =>
    gqlOk<{ createApiKey: { key: string; apiKey: { id: string; prefix: string; scopes: string[] } } }>(
      stack.url,
      `mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id prefix scopes } } }`,
      { i: { name: `key ${Date.now()}`, scopes, ...extra } },
      admin.token,
    ).then((d) => d.createApiKey);

  beforeAll(async () => {
    // These tests are about scopes and revocation, so partners may send free queries here (the safelist has its own tests).
    stack = await startTestStack({ env: { PERSISTED_QUERIES_PARTNERS: 'any' } });
    admin = await registerTenant(stack.url, 'Partner Host');
    // A second gateway instance in front of the same subgraphs, as a scaled-out deployment would have.
    second = createGateway({ ...readGatewayConfig(testEnv({ PERSISTED_QUERIES_PARTNERS: 'any' })), subgraphUrls: stack.subgraphUrls });
    secondUrl = await second.start({ port: 0 });
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('is shown once, listed by its prefix, and acts with its scopes only', async () => {
    await gqlOk(stack.url, `mutation { createBrand(input: { name: "Visible to partners" }) { id } }`, {}, admin.token);
    const created = await createKey(['brands:read', 'content:read']);
    expect(created.key.startsWith(`${created.apiKey.prefix}_`)).toBe(true);

    const listed = await gqlOk<{ apiKeys: { nodes: Record<string, unknown>[] } }>(stack.url, `{ apiKeys { nodes { id prefix scopes lastUsedAt } } }`, {}, admin.token);
    expect(listed.apiKeys.nodes).toEqual([{ id: created.apiKey.id, prefix: created.apiKey.prefix, scopes: ['brands:read', 'content:read'], lastUsedAt: null }]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const read = await withKey(stack.url, created.key, `{ brands { nodes { name } } contents { nodes { id } } }`);
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({ brands: { nodes: [{ name: 'Visible to partners' }] }, contents: { nodes: [] } });

    for (const query of [
      `mutation { createBrand(input: { name: "Partner brand" }) { id } }`,
      `{ organization { name } }`,
      `{ me { id } }`,
      `{ apiKeys { nodes { id } } }`,
      `mutation { createApiKey(input: { name: "escalate", scopes: ["brands:write"] }) { key } }`,
    ]) {
      expect({ query, codes: errorCodes(await withKey(stack.url, created.key, query)) }).toEqual({ query, codes: ['FORBIDDEN'] });
    }

    const used = await gqlOk<{ apiKeys: { nodes: { lastUsedAt: string | null }[] } }>(stack.url, `{ apiKeys { nodes { lastUsedAt } } }`, {}, admin.token);
    expect(used.apiKeys.nodes[0]?.lastUsedAt).toEqual(expect.any(String));
  });

  it('writes within its organization when it has a write scope', async () => {
    const { key } = await createKey(['brands:write', 'brands:read']);
    const created = await withKey(stack.url, key, `mutation { createBrand(input: { name: "Made by a partner" }) { id organization { id } } }`);
    expect(created.errors).toBeUndefined();
    const brands = await gqlOk<{ brands: { nodes: { name: string }[] } }>(stack.url, `{ brands(first: 100) { nodes { name } } }`, {}, admin.token);
    expect(brands.brands.nodes.map((b) => b.name)).toContain('Made by a partner');
  });

  it('refuses malformed, unknown and expired keys, and a key sent alongside a user token', async () => {
    for (const key of ['nonsense', 'umt_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x'.repeat(500)]) {
      const result = await withKey(stack.url, key, `{ brands { nodes { id } } }`);
      expect({ key: key.slice(0, 20), status: result.status, codes: errorCodes(result) }).toEqual({ key: key.slice(0, 20), status: 401, codes: ['UNAUTHENTICATED'] });
    }
    const { key } = await createKey(['brands:read'], { expiresAt: new Date(Date.now() + 1_500).toISOString() });
    expect(errorCodes(await withKey(stack.url, key, `{ brands { nodes { id } } }`))).toEqual([]);
    const both = await withKey(stack.url, key, `{ brands { nodes { id } } }`, {}, { authorization: `Bearer ${admin.token}` });
    expect(errorCodes(both)).toEqual(['UNAUTHENTICATED']);
    await new Promise((resolve) => setTimeout(resolve, 3_700)); // past expiry and past the gateway's 2 s memory
    expect(errorCodes(await withKey(stack.url, key, `{ brands { nodes { id } } }`))).toEqual(['UNAUTHENTICATED']);
  });

  it('stops working on every gateway instance within API_KEY_CACHE_SECONDS of its revocation', async () => {
    const created = await createKey(['brands:read']);
    const query = `{ brands { nodes { id } } }`;
    // Both instances have just checked the key and remember the answer.
    expect(errorCodes(await withKey(stack.url, created.key, query))).toEqual([]);
    expect(errorCodes(await withKey(secondUrl, created.key, query))).toEqual([]);

    const revokedAt = Date.now();
    await gqlOk(stack.url, `mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.apiKey.id }, admin.token);
    const bound = readGatewayConfig(testEnv({ PERSISTED_QUERIES_PARTNERS: 'any' })).apiKeyCacheSeconds * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, revokedAt + bound + 100 - Date.now())));

    for (const url of [stack.url, secondUrl]) {
      const result = await withKey(url, created.key, query);
      expect({ url, status: result.status, codes: errorCodes(result) }).toEqual({ url, status: 401, codes: ['UNAUTHENTICATED'] });
    }
    const events = await gqlOk<{ auditEvents: { nodes: { action: string; targetId: string }[] } }>(
      stack.url,
      `{ auditEvents(action: "apikey.revoked") { nodes { action targetId } } }`,
      {},
      admin.token,
    );
    expect(events.auditEvents.nodes).toEqual([{ action: 'apikey.revoked', targetId: created.apiKey.id }]);
  });

  it('rejects scopes that do not exist', async () => {
    const result = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: `mutation { createApiKey(input: { name: "bad", scopes: ["everything:write"] }) { key } } ` }),
    }).then((r) => r.json() as Promise<GraphQLResponse>);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
