import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGateway, readGatewayConfig, type Gateway } from '@umt/gateway';
import { authenticateEachRequest, callerContext } from '@umt/gateway/dist/protection/authenticated-caller';
import { graphQLShapedErrors } from '@umt/gateway/dist/protection/http-errors';
import { QUERY_LIMIT_CODES } from '@umt/gateway/dist/protection/query-limits';
import { limitRequestRate } from '@umt/gateway/dist/protection/rate-limit';
import { SANDBOX_DOCUMENT } from '@umt/gateway/dist/sandbox-document';
import Fastify from 'fastify';
import { getIntrospectionQuery } from 'graphql';
import { Redis } from 'ioredis';
import type { Stack } from '../src/index';
import { freePort, gqlOk, registerTenant, type Tenant, ROOT } from '@umt/test-support';
import { startTestStack, testEnv } from './support/stack';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Explicit secrets, so that a production-mode gateway can talk to the test stack's subgraphs. */
const SECRETS = {
  AUTH_TOKEN_SECRET: 'gateway-limits-test-access-token-secret-0123456789',
  PRINCIPAL_SECRET: 'gateway-limits-test-principal-secret-0123456789',
};
/** Small limits for the stack's gateway, so each is easy to exceed (and legitimate requests stay under them). */
const LIMITS = {
  GRAPHQL_MAX_DEPTH: '5',
  GRAPHQL_MAX_ALIASES: '3',
  GRAPHQL_MAX_DIRECTIVES: '3',
  GRAPHQL_MAX_TOKENS: '150',
  GRAPHQL_MAX_COST: '300',
  MAX_BODY_BYTES: '4096',
};

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  };
}

/** One HTTP request to a gateway, with whatever headers and body a test needs. */
async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const response = await fetch(url, { method: init.method ?? 'POST', headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  let body: Reply['body'] = {};
  try {
    body = JSON.parse(text) as Reply['body'];
  } catch {
    // HTML (the Sandbox page) or nothing
  }
  return { status: response.status, headers: response.headers, text, body };
}

function post(url: string, query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}): Promise<Reply> {
  return send(url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
}

const bearer = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.token}` });

/** The caller got exactly one error, with this status and code, and nothing that looks like a stack trace. */
function expectRejected(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, codes: reply.body.errors?.map((e) => e.extensions?.code) }).toEqual({ status, codes: [code] });
  expect(reply.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  expect(reply.body.data ?? undefined).toBeUndefined();
  expect(reply.text).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
}

describe('gateway protection against abusive requests', () => {
  let stack: Stack;
  let a: Tenant;
  let b: Tenant;
  const gateways: Gateway[] = [];
  const prefixes: string[] = [];
  const redis = new Redis(REDIS_URL);

  /** Another gateway instance in front of the same subgraphs; stopped after the tests. */
  async function startGateway(env: Record<string, string | undefined> = {}): Promise<{ url: string; gateway: Gateway }> {
    const config = readGatewayConfig(testEnv({ ...SECRETS, ...env }));
    config.subgraphUrls = { ...stack.subgraphUrls, ...config.subgraphUrls }; // SUBGRAPH_<NAME>_URL in `env` wins
    const gateway = createGateway(config);
    gateways.push(gateway);
    return { url: await gateway.start({ port: 0, host: '127.0.0.1' }), gateway };
  }

  /** A Redis key prefix of this test's own, so counts never mix with other tests or runs. */
  function randomPrefix(): string {
    const prefix = `umt-test:${randomBytes(4).toString('hex')}:ratelimit:`;
    prefixes.push(prefix);
    return prefix;
  }

  beforeAll(async () => {
    stack = await startTestStack({ env: { ...SECRETS, ...LIMITS } });
    a = await registerTenant(stack.url, 'Limits A');
    b = await registerTenant(stack.url, 'Limits B');
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  });

  describe('query limits (GraphQL Armor)', () => {
    const fields = (n: number) => Array.from({ length: n }, () => 'name').join(' ');
    it.each([
      [
        'depth',
        'QUERY_TOO_DEEP',
        '{ organization { brands { nodes { organization { id } } } } }', // depth 5
        '{ organization { brands { nodes { projects { nodes { id } } } } } }', // depth 6
      ],
      ['aliases', 'TOO_MANY_ALIASES', '{ x: me { id } y: me { id } z: me { id } }', '{ w: me { id } x: me { id } y: me { id } z: me { id } }'],
      [
        'directives',
        'TOO_MANY_DIRECTIVES',
        '{ me { id @include(if: true) name @include(if: true) email @skip(if: false) } }',
        '{ me { id @include(if: true) name @include(if: true) email @skip(if: false) } organization @skip(if: false) { id } }',
      ],
      ['tokens', 'TOO_MANY_TOKENS', `{ me { ${fields(140)} } }`, `{ me { ${fields(160)} } }`],
      ['cost', 'QUERY_TOO_COSTLY', '{ organization { brands(first: 20) { nodes { id } } } }', '{ organization { brands(first: 100) { nodes { id } } } }'],
    ])('%s: a query within the limit runs, one over it is refused with %s', async (_limit, code, within, over) => {
      const ok = await post(stack.url, within, bearer(a));
      expect({ status: ok.status, errors: ok.body.errors }).toEqual({ status: 200, errors: undefined });

      const refused = await post(stack.url, over, bearer(a));
      expectRejected(refused, 400, code);
      expect(refused.body.errors?.[0]?.message).toMatch(/limit of \d+ exceeded/i);
      expect(refused.body.errors?.[0]?.message).not.toMatch(/^Syntax Error/);

      // The gateway goes on serving the same caller, other callers and anonymous ones.
      expect(await gqlOk(stack.url, '{ me { id } }', {}, a.token)).toEqual({ me: { id: a.userId } });
      expect(await gqlOk(stack.url, '{ me { id } }', {}, b.token)).toEqual({ me: { id: b.userId } });
      expect(await gqlOk(stack.url, '{ __typename }')).toEqual({ __typename: 'Query' });
    });

    it('counts depth and cost through fragments as the fields they hold', async () => {
      const spread = await post(
        stack.url,
        '{ organization { ...O } } fragment O on Organization { brands { nodes { projects { nodes { contents { nodes { id } } } } } } }',
        bearer(a),
      );
      expectRejected(spread, 400, 'QUERY_TOO_DEEP');
    });

    it('the default limits let the README and Sandbox operations and a full introspection through, and still stop abuse', async () => {
      const { url } = await startGateway();
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const overview = /```graphql\n(query Overview \{[\s\S]+?)```/.exec(readme)?.[1];
      expect(overview).toBeDefined();
      expect(await gqlOk(url, overview!, {}, a.token)).toHaveProperty('organization.name', 'Limits A');
      const sandbox = await send(url, {
        headers: { 'content-type': 'application/json', ...bearer(a) },
        body: JSON.stringify({ query: SANDBOX_DOCUMENT, operationName: 'Overview' }),
      });
      expect({ status: sandbox.status, errors: sandbox.body.errors }).toEqual({ status: 200, errors: undefined });
      const introspection = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
      const schema = await post(url, introspection);
      expect({ status: schema.status, errors: schema.body.errors }).toEqual({ status: 200, errors: undefined });

      const deep = `{ organization { brands { nodes { projects { nodes { contents { nodes { project { brand { organization { brands { nodes { id } } } } } } } } } } } } }`;
      expectRejected(await post(url, deep, bearer(a)), 400, 'QUERY_TOO_DEEP');
    });

    it('field suggestions are given in development and hidden in production', async () => {
      const typo = '{ organizaton { name } }';
      const development = await post(stack.url, typo);
      expectRejected(development, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(development.body.errors?.[0]?.message).toMatch(/Did you mean "organization"/);

      const { url } = await startGateway({ NODE_ENV: 'production' });
      const production = await post(url, typo);
      expectRejected(production, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(production.body.errors?.[0]?.message).toMatch(/Cannot query field "organizaton"/);
      expect(production.body.errors?.[0]?.message).not.toMatch(/Did you mean|"organization"/);

      // A near miss and a wild guess read alike, so a caller cannot probe which fields exist.
      const shapeOf = async (query: string, field: string) => (await post(url, query)).body.errors?.map((e) => e.message.replace(field, '<field>'));
      const nearMisses = [
        ['{ organizaton { name } }', 'organizaton'],
        ['{ brand(id: "00000000-0000-4000-8000-000000000000") { nam } }', 'nam'],
        ['{ brands(firts: 1) { nodes { id } } }', 'firts'],
      ];
      const wildGuesses = [
        ['{ zzzqqq { name } }', 'zzzqqq'],
        ['{ brand(id: "00000000-0000-4000-8000-000000000000") { zzzqqq } }', 'zzzqqq'],
        ['{ brands(zzzqqq: 1) { nodes { id } } }', 'zzzqqq'],
      ];
      for (const [index, [query, field]] of nearMisses.entries()) {
        const [wildQuery, wildField] = wildGuesses[index] as [string, string];
        const near = await shapeOf(query as string, field as string);
        expect(near?.join()).not.toMatch(/Did you mean|Suggestion|\?$/);
        expect(near).toEqual(await shapeOf(wildQuery, wildField));
      }
    });

    it('in production, a subgraph that is down is reported without its address or the socket error', async () => {
      const closed = await freePort();
      const { url } = await startGateway({ NODE_ENV: 'production', SUBGRAPH_BRAND_URL: `http://127.0.0.1:${closed}/graphql` });
      const reply = await post(url, '{ brands { nodes { id } } }', bearer(a));
      expect(reply.status).toBe(200);
      expect(reply.body.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(reply.text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${closed}|ECONNREFUSED|request to|reason:`, 'i'));
      // The other subgraphs still answer through the same gateway.
      expect((await post(url, '{ me { id } }', bearer(a))).body).toEqual({ data: { me: { id: a.userId } } });
    });
  });

  describe('request bodies', () => {
    it('a body over MAX_BODY_BYTES gets 413 PAYLOAD_TOO_LARGE, and the gateway goes on serving', async () => {
      const padding = 'x'.repeat(5000);
      const reply = await post(stack.url, 'query ($p: String) { __typename }', bearer(a), { p: padding });
      expectRejected(reply, 413, 'PAYLOAD_TOO_LARGE');
      expect(reply.body.errors?.[0]?.message).toMatch(/larger than the limit of 4096 bytes/);
      expect(await gqlOk(stack.url, '{ me { id } }', {}, a.token)).toEqual({ me: { id: a.userId } });
    });

    it.each([
      ['malformed JSON', '{"query": "{ __typename }"'],
      ['an empty JSON body', ''],
    ])('%s gets 400 BAD_REQUEST in the GraphQL shape', async (_name, body) => {
      const reply = await send(stack.url, { headers: { 'content-type': 'application/json' }, body });
      expectRejected(reply, 400, 'BAD_REQUEST');
      expect(reply.body.errors?.[0]?.message).toMatch(/json/i);
    });

    it('a body of a type GraphQL is not sent in gets 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      expectRejected(await send(stack.url, { headers: { 'content-type': 'application/xml' }, body: '<query/>' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('CSRF prevention', () => {
    const query = `?query=${encodeURIComponent('{ __typename }')}`;

    it('refuses a simple GET request (no content-type, no apollo-require-preflight header)', async () => {
      const reply = await send(`${stack.url}${query}`, { method: 'GET' });
      expectRejected(reply, 400, 'BAD_REQUEST');
      expect(reply.body.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
    });

    it('refuses a simple POST (text/plain) too', async () => {
      const reply = await send(stack.url, { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expectRejected(reply, 400, 'BAD_REQUEST');
      expect(reply.body.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
    });

    it.each([
      ['content-type: application/json', { 'content-type': 'application/json' }],
      ['apollo-require-preflight', { 'apollo-require-preflight': 'true' }],
    ])('runs a GET with %s', async (_name, headers) => {
      const reply = await send(`${stack.url}${query}`, { method: 'GET', headers });
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });
  });

  describe('authentication, once per request, before the rate limit', () => {
    it('an invalid token still gets 401 UNAUTHENTICATED in the GraphQL shape', async () => {
      const reply = await post(stack.url, '{ me { id } }', { authorization: 'Bearer not-a-token' });
      expectRejected(reply, 401, 'UNAUTHENTICATED');
    });

    it('authenticates each request once: the rate limit and the GraphQL context share the result', async () => {
      const app = Fastify();
      app.setErrorHandler(graphQLShapedErrors);
      const calls: string[] = [];
      authenticateEachRequest(app, async (request) => {
        const userId = String(request.headers['x-user']);
        calls.push(userId);
        return { principal: { kind: 'user', userId, orgId: 'org', roles: ['OWNER'] }, principalFor: () => `token-${userId}` };
      });
      await limitRequestRate(app, { ...readGatewayConfig({}).protection, rateLimitMax: 2 }, undefined);
      app.get('/', async (request) => {
        const [first, second] = [await callerContext(request), await callerContext(request)];
        return { same: first === second, token: first.principalFor('brand') };
      });
      const as = (user: string) => app.inject({ url: '/', headers: { 'x-user': user } });
      try {
        expect((await as('u1')).json()).toEqual({ same: true, token: 'token-u1' });
        expect((await as('u1')).statusCode).toBe(200);
        const limited = await as('u1');
        expect({ status: limited.statusCode, code: limited.json<Reply['body']>().errors?.[0]?.extensions?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
        expect((await as('u2')).statusCode).toBe(200);
        expect(calls).toEqual(['u1', 'u1', 'u1', 'u2']);
      } finally {
        await app.close();
      }
    });
  });

  describe('rate limits per caller (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_SECONDS)', () => {
    it('two gateway instances sharing Redis share each user’s count; other callers are not affected', async () => {
      const prefix = randomPrefix();
      const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_SECONDS: '60' };
      const [one, two] = [await startGateway(env), await startGateway(env)];
      const me = (url: string, tenant?: Tenant) => post(url, '{ __typename }', tenant ? bearer(tenant) : {});

      // Four requests, two on each instance: within the limit.
      for (const url of [one.url, two.url, one.url, two.url]) expect((await me(url, a)).status).toBe(200);
      // The fifth is over it on either instance: each instance alone has seen only two.
      for (const url of [one.url, two.url]) {
        const reply = await me(url, a);
        expectRejected(reply, 429, 'RATE_LIMITED');
        const retryAfter = Number(reply.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(reply.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(retryAfter);
        expect(reply.body.errors?.[0]?.message).toMatch(/Too many requests/);
      }
      expect(await redis.get(`${prefix}user:${a.userId}`)).toBe('6');
      const ttl = await redis.pttl(`${prefix}user:${a.userId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);

      // User B and anonymous callers keep their own budgets.
      for (const url of [one.url, two.url]) {
        expect((await me(url, b)).status).toBe(200);
        expect((await me(url)).status).toBe(200);
      }
      expect(await redis.get(`${prefix}user:${b.userId}`)).toBe('2');
      expect(await redis.get(`${prefix}ip:127.0.0.1`)).toBe('2');
    });

    it('a partner API key is counted by its key id', async () => {
      const created = await gqlOk<{ createApiKey: { apiKey: { id: string }; key: string } }>(
        stack.url,
        'mutation { createApiKey(input: { name: "limits partner", scopes: ["organization:read"] }) { apiKey { id } key } }',
        {},
        a.token,
      );
      const prefix = randomPrefix();
      const { url } = await startGateway({ REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '2', PERSISTED_QUERIES_PARTNERS: 'any' });
      const partner = { 'x-api-key': created.createApiKey.key };
      for (let i = 0; i < 2; i++) expect((await post(url, '{ organization { name } }', partner)).body).toEqual({ data: { organization: { name: 'Limits A' } } });
      expectRejected(await post(url, '{ organization { name } }', partner), 429, 'RATE_LIMITED');
      expect(await redis.get(`${prefix}apiKey:${created.createApiKey.apiKey.id}`)).toBe('3');
      // The user who created the key has a budget of their own.
      expect((await post(url, '{ me { id } }', bearer(a))).body).toEqual({ data: { me: { id: a.userId } } });
    });

    it('anonymous callers and failed authentications count against the address; health checks are never limited', async () => {
      const prefix = randomPrefix();
      const { url } = await startGateway({ REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '3' });
      const base = url.replace(/\/graphql$/, '');
      expectRejected(await post(url, '{ __typename }', { authorization: 'Bearer not-a-token' }), 401, 'UNAUTHENTICATED');
      for (let i = 0; i < 2; i++) expect((await post(url, '{ __typename }')).status).toBe(200);
      expectRejected(await post(url, '{ __typename }'), 429, 'RATE_LIMITED');
      // Guessing tokens from the same address is limited too: 429, not 401.
      expectRejected(await post(url, '{ __typename }', { authorization: 'Bearer still-not-a-token' }), 429, 'RATE_LIMITED');
      expect(await redis.get(`${prefix}ip:127.0.0.1`)).toBe('5');

      for (let i = 0; i < 5; i++) {
        expect((await fetch(`${base}/health/live`)).status).toBe(200);
        expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      }
      expect((await post(url, '{ me { id } }', bearer(b))).body).toEqual({ data: { me: { id: b.userId } } });
    });

    it('without REDIS_URL the count is kept in process memory', async () => {
      const prefix = randomPrefix();
      const { url } = await startGateway({ RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '2' });
      for (let i = 0; i < 2; i++) expect((await post(url, '{ __typename }', bearer(a))).status).toBe(200);
      expectRejected(await post(url, '{ __typename }', bearer(a)), 429, 'RATE_LIMITED');
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
    });

    it('lets requests through when Redis is unreachable, rather than refusing everyone', async () => {
      // The limiter alone: a whole gateway would also point its Apollo cache at the unreachable Redis.
      const app = Fastify();
      app.setErrorHandler(graphQLShapedErrors);
      authenticateEachRequest(app, () => Promise.reject(new Error('anonymous')));
      await limitRequestRate(app, { ...readGatewayConfig({}).protection, rateLimitMax: 1 }, 'redis://127.0.0.1:1');
      app.get('/', async () => ({ ok: true }));
      try {
        for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/' })).json()).toEqual({ ok: true });
      } finally {
        await app.close();
      }
    });

    it('each gateway closes its Redis connection when it stops', async () => {
      const prefix = randomPrefix();
      const connections = async () =>
        String(await redis.call('CLIENT', 'LIST'))
          .split('\n')
          .filter((line) => line.includes(` name=${prefix}gateway `)).length;
      const { url, gateway } = await startGateway({ REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix });
      expect((await post(url, '{ __typename }')).status).toBe(200);
      expect(await connections()).toBe(1);
      await gateway.stop();
      expect(await connections()).toBe(0);
    });
  });

  describe('production mode', () => {
    const production = { NODE_ENV: 'production' };

    it('refuses introspection with a code, unless SANDBOX_ENABLED=true', async () => {
      const { url } = await startGateway(production);
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Brand") { name } }']) {
        const reply = await post(url, query);
        expectRejected(reply, 400, 'GRAPHQL_VALIDATION_FAILED');
        expect(reply.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
      }
      const enabled = await startGateway({ ...production, SANDBOX_ENABLED: 'true' });
      expect((await post(enabled.url, '{ __schema { queryType { name } } }')).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    });

    it('serves no Sandbox page, where development does', async () => {
      const html = { accept: 'text/html' };
      const development = await send(stack.url, { method: 'GET', headers: html });
      expect(development.status).toBe(200);
      expect(development.headers.get('content-type')).toMatch(/text\/html/);
      expect(development.text).toMatch(/sandbox/i);
      // The embed points at the gateway that served it, opens on the README's operations and an Authorization header.
      expect(development.text).toContain('initialEndpoint = window.location.href');
      expect(development.text).toContain('embeddableSandbox');
      expect(development.text).toContain('mutation Register');
      expect(development.text).toContain('"Authorization":""');

      const { url } = await startGateway(production);
      const reply = await send(url, { method: 'GET', headers: html });
      expect(reply.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(reply.text).not.toMatch(/<html|sandbox/i);
      expectRejected(reply, 400, 'BAD_REQUEST'); // a plain browser GET is a simple request: CSRF prevention refuses it
    });

    it('answers every kind of refusal without a stack trace', async () => {
      const { url } = await startGateway({ ...production, MAX_BODY_BYTES: '1024', GRAPHQL_MAX_DEPTH: '2' });
      expectRejected(await post(url, '{ organization { brands { nodes { id } } } }', bearer(a)), 400, 'QUERY_TOO_DEEP');
      expectRejected(await post(url, '{ me { id } }', { authorization: 'Bearer not-a-token' }), 401, 'UNAUTHENTICATED');
      expectRejected(await post(url, '{ __typename }', {}, { p: 'x'.repeat(2000) }), 413, 'PAYLOAD_TOO_LARGE');
      expectRejected(await send(url, { headers: { 'content-type': 'application/json' }, body: '{"query":' }), 400, 'BAD_REQUEST');
      expectRejected(await post(url, 'query { me { id }'), 400, 'GRAPHQL_PARSE_FAILED');
    });
  });

  describe('configuration', () => {
    const variables = {
      GRAPHQL_MAX_DEPTH: ['maxDepth', 12],
      GRAPHQL_MAX_ALIASES: ['maxAliases', 15],
      GRAPHQL_MAX_DIRECTIVES: ['maxDirectives', 50],
      GRAPHQL_MAX_TOKENS: ['maxTokens', 2000],
      GRAPHQL_MAX_COST: ['maxCost', 5000],
      MAX_BODY_BYTES: ['maxBodyBytes', 1024 * 1024],
      RATE_LIMIT_MAX: ['rateLimitMax', 300],
      RATE_LIMIT_WINDOW_SECONDS: ['rateLimitWindowSeconds', 60],
      RATE_LIMIT_KEY_PREFIX: ['rateLimitKeyPrefix', 'umt:ratelimit:'],
      REDIS_COMMAND_TIMEOUT_MS: ['redisCommandTimeoutMs', 500],
    } as const;

    it('has the documented defaults and refuses bad values naming the variable', () => {
      const { protection } = readGatewayConfig({});
      expect(protection).toEqual(Object.fromEntries(Object.values(variables)));
      expect(() => readGatewayConfig({ GRAPHQL_MAX_DEPTH: '0', RATE_LIMIT_MAX: 'many' })).toThrow(/GRAPHQL_MAX_DEPTH[\s\S]*RATE_LIMIT_MAX/);
    });

    it('.env.example and the README document every variable and every error code', () => {
      const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      for (const name of Object.keys(variables)) {
        expect({ name, example: new RegExp(`^${name}=`, 'm').test(example), readme: readme.includes(`| \`${name}\` |`) }).toEqual({ name, example: true, readme: true });
      }
      for (const code of [...Object.values(QUERY_LIMIT_CODES), 'PAYLOAD_TOO_LARGE', 'BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED']) {
        expect({ code, documented: readme.includes(`\`${code}\``) }).toEqual({ code, documented: true });
      }
    });
  });
});
