import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accessTokenCodec, createTokenCodec, principalAudience, principalCodec, readCommonConfig, PRINCIPAL_HEADER, SUBGRAPHS } from '@umt/infra';
import type { Stack } from '../src/index';
import { registerTenant, type Tenant } from '@umt/test-support';
import { startTestStack, testEnv } from './support/stack';

/** Subgraphs trust only the gateway: a request straight to one must carry a principal the gateway signed. */
describe('subgraphs refuse requests without a valid gateway principal', () => {
  let stack: Stack;
  let tenant: Tenant;
  const config = readCommonConfig(testEnv());
  const principal = () => ({ kind: 'user' as const, userId: tenant.userId, orgId: tenant.orgId, roles: ['OWNER' as const] });

  beforeAll(async () => {
    stack = await startTestStack();
    tenant = await registerTenant(stack.url);
  });
  afterAll(() => stack?.stop());

  async function post(headers: Record<string, string>, query = '{ brands { nodes { id } } }') {
    const response = await fetch(stack.subgraphUrls.brand, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
  }

  it('accepts a valid principal (the control case)', async () => {
    const result = await post({ [PRINCIPAL_HEADER]: principalCodec(config.principalKeys, 60, 'brand').sign(principal()) });
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ brands: { nodes: [] } });
  });

  it.each([
    ['no principal', () => ({})],
    ['a principal signed with another secret', () => ({ [PRINCIPAL_HEADER]: principalCodec({ secret: 'x'.repeat(40), acceptedSecrets: [] }, 60, 'brand').sign(principal()) })],
    [
      'a tampered principal',
      () => {
        const [header, payload, signature] = principalCodec(config.principalKeys, 60, 'brand').sign(principal()).split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, org: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
        return { [PRINCIPAL_HEADER]: `${header}.${forged}.${signature}` };
      },
    ],
    ['a user access token instead of a principal', () => ({ [PRINCIPAL_HEADER]: accessTokenCodec(config.authTokenKeys, 60).sign(principal()) })],
    ['garbage', () => ({ [PRINCIPAL_HEADER]: 'not-a-token' })],
  ])('refuses %s', async (_name, headers) => {
    const result = await post(headers());
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired principal', async () => {
    const shortLived = createTokenCodec({ secret: config.principalKeys.secret, ttlSeconds: 1, issuer: 'umt-gateway', audience: principalAudience('brand') });
    const token = shortLived.sign(principal());
    expect((await post({ [PRINCIPAL_HEADER]: token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await post({ [PRINCIPAL_HEADER]: token })).status).toBe(401);
  });

  it('refuses a principal signed for another subgraph: one captured at a subgraph cannot be replayed at the others', async () => {
    for (const { name } of SUBGRAPHS.filter((s) => s.name !== 'brand')) {
      const result = await post({ [PRINCIPAL_HEADER]: principalCodec(config.principalKeys, 60, name).sign(principal()) });
      expect({ name, status: result.status, code: result.body.errors?.[0]?.extensions?.code }).toEqual({ name, status: 401, code: 'UNAUTHENTICATED' });
    }
    // The audience of old, unbound principals is refused too.
    const unbound = createTokenCodec({ secret: config.principalKeys.secret, ttlSeconds: 60, issuer: 'umt-gateway', audience: 'umt-subgraph' });
    expect((await post({ [PRINCIPAL_HEADER]: unbound.sign(principal()) })).status).toBe(401);
  });

  it('refuses _service and _entities without a principal too', async () => {
    expect((await post({}, '{ _service { sdl } }')).status).toBe(401);
    expect((await post({}, '{ _entities(representations: []) { __typename } }')).status).toBe(401);
  });
});
