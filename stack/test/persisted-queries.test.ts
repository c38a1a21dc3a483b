import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGateway, readGatewayConfig, type Gateway } from '@umt/gateway';
import { subgraphUrlVariable } from '@umt/infra';
import { Redis } from 'ioredis';
import type { Stack } from '../src/index';
import { gqlOk, registerTenant, type Tenant, freePort, startProcess, waitReady, type ServiceProcess } from '@umt/test-support';
import { startTestStack, testEnv } from './support/stack';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POLL_SECONDS = 0.2;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Operation {
  id: string;
  name: string;
  type: 'query' | 'mutation';
  body: string;
}

function operation(type: Operation['type'], name: string, body: string): Operation {
  return { id: sha256(body), name, type, body };
}

/** The partner's operations: what the other engineer's codegen writes to schema/operations, but the test's own. */
const BRANDS = operation('query', 'PartnerBrands', 'query PartnerBrands { brands(first: 100) { nodes { name } } }');
const CREATE_BRAND = operation('mutation', 'PartnerCreateBrand', 'mutation PartnerCreateBrand($name: String!) { createBrand(input: { name: $name }) { name } }');
const BRAND_IDS = operation('query', 'PartnerBrandIds', 'query PartnerBrandIds { brands(first: 100) { nodes { id } } }');

function writeManifest(path: string, operations: Operation[]): void {
  writeFileSync(path, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2));
}

interface Reply {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  };
}

interface Request {
  query?: string;
  /** The persisted-query id, sent as extensions.persistedQuery.sha256Hash. */
  hash?: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
}

/** One GraphQL request as an APQ client or Apollo's persisted-query link sends it, by POST or GET. */
async function send(url: string, { query, hash, variables, headers = {}, method = 'POST' }: Request): Promise<Reply> {
  const params: Record<string, unknown> = {
    ...(query === undefined ? {} : { query }),
    ...(variables ? { variables } : {}),
    ...(hash === undefined ? {} : { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  };
  let response: Response;
  if (method === 'GET') {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    response = await fetch(`${url}?${search.toString()}`, { headers });
  } else {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(params) });
  }
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Reply['body'] };
}

/** The status and the codes of a reply, for one comparison that shows both when it fails. */
const outcome = (reply: Reply) => ({ status: reply.status, codes: (reply.body.errors ?? []).map((e) => e.extensions?.code) });
const OK = { status: 200, codes: [] };
const refused = (code: string, status = 400) => ({ status, codes: [code] });

/** GET requests need a preflight-forcing header (CSRF prevention); clients and CDNs must send it. */
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('persisted queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'umt-pq-'));
  const manifestPath = join(dir, 'persisted-query-manifest.json');
  const run = randomBytes(4).toString('hex');
  /** This run's own Redis keys: the gateway cache (APQ) and the rate limit counts. */
  const namespace = `umt-test:${run}:gateway`;
  const rateLimitPrefix = `umt-test:${run}:ratelimit:`;
  const redis = new Redis(REDIS_URL);
  const gateways: Gateway[] = [];
  const baseEnv = {
    REDIS_URL,
    CACHE_NAMESPACE: namespace,
    RATE_LIMIT_KEY_PREFIX: rateLimitPrefix,
    PERSISTED_QUERY_MANIFEST: manifestPath,
    PERSISTED_QUERY_MANIFEST_POLL_SECONDS: String(POLL_SECONDS),
  };
  let stack: Stack;
  let admin: Tenant;
  let partnerKey: string;
  let partnerKeyId: string;

  const asUser = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.token}` });
  const asPartner = () => ({ 'x-api-key': partnerKey });

  /** Another gateway instance in front of the stack's subgraphs. */
  async function startGateway(env: Record<string, string | undefined> = {}): Promise<string> {
    const gateway = createGateway({ ...readGatewayConfig(testEnv({ ...baseEnv, ...env })), subgraphUrls: stack.subgraphUrls });
    gateways.push(gateway);
    return gateway.start({ port: 0, host: '127.0.0.1' });
  }

  async function brandNames(): Promise<string[]> {
    const data = await gqlOk<{ brands: { nodes: { name: string }[] } }>(stack.url, '{ brands(first: 100) { nodes { name } } }', {}, admin.token);
    return data.brands.nodes.map((b) => b.name);
  }

  beforeAll(async () => {
    writeManifest(manifestPath, [BRANDS, CREATE_BRAND]);
    stack = await startTestStack({ env: baseEnv });
    admin = await registerTenant(stack.url, 'Persisted Queries');
    await gqlOk(stack.url, 'mutation { createBrand(input: { name: "First brand" }) { id } }', {}, admin.token);
    const created = await gqlOk<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      stack.url,
      'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }',
      { i: { name: 'partner', scopes: ['brands:read', 'brands:write'] } },
      admin.token,
    );
    partnerKey = created.createApiKey.key;
    partnerKeyId = created.createApiKey.apiKey.id;
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
    const keys = await redis.keys(`umt-test:${run}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('automatic persisted queries (APQ)', () => {
    it('registers a query by hash and text, then answers the hash alone on every instance sharing the cache', async () => {
      const query = `query ApqMe { me { id } } # ${run}`;
      const hash = sha256(query);

      const unknown = await send(stack.url, { hash, headers: asUser(admin) });
      expect(outcome(unknown)).toEqual(refused('PERSISTED_QUERY_NOT_FOUND', 200)); // Apollo's status: the client retries with the text
      expect(unknown.body.errors?.[0]?.message).toBe('PersistedQueryNotFound');

      const registered = await send(stack.url, { query, hash, headers: asUser(admin) });
      expect({ ...outcome(registered), data: registered.body.data }).toEqual({ ...OK, data: { me: { id: admin.userId } } });

      const byHash = await send(stack.url, { hash, headers: asUser(admin) });
      expect({ ...outcome(byHash), data: byHash.body.data }).toEqual({ ...OK, data: { me: { id: admin.userId } } });

      // Stored in Redis under CACHE_NAMESPACE, with the TTL (APQ_TTL_SECONDS, 86400 by default).
      const [key] = await redis.keys(`${namespace}*${hash}`);
      expect(key).toEqual(expect.any(String));
      const ttl = await redis.ttl(key as string);
      expect(ttl).toBeGreaterThan(86_000);
      expect(ttl).toBeLessThanOrEqual(86_400);

      // Another instance with the same cache namespace answers it; one with another namespace does not know it.
      const shared = await startGateway();
      const fromShared = await send(shared, { hash, headers: asUser(admin) });
      expect({ ...outcome(fromShared), data: fromShared.body.data }).toEqual({ ...OK, data: { me: { id: admin.userId } } });
      const isolated = await startGateway({ CACHE_NAMESPACE: `umt-test:${run}:other` });
      expect(outcome(await send(isolated, { hash, headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_NOT_FOUND', 200));
    });

    it('refuses a hash that is not the sha256 of its query, and stores nothing', async () => {
      const query = `query ApqMismatch { me { id } } # ${run}`;
      const wrong = sha256(`${query} `);
      const reply = await send(stack.url, { query, hash: wrong, headers: asUser(admin) });
      expect(outcome(reply)).toEqual(refused('PERSISTED_QUERY_HASH_MISMATCH'));
      expect(reply.body.data ?? undefined).toBeUndefined();
      expect(outcome(await send(stack.url, { hash: wrong, headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_NOT_FOUND', 200));
      expect(outcome(await send(stack.url, { query, hash: sha256(query), headers: asUser(admin) }))).toEqual(OK);
    });

    it('refuses a persisted-query version other than 1', async () => {
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asUser(admin) },
        body: JSON.stringify({ query: '{ me { id } }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ me { id } }') } } }),
      });
      expect(outcome({ status: response.status, body: (await response.json()) as Reply['body'] })).toEqual(refused('PERSISTED_QUERY_VERSION_NOT_SUPPORTED'));
    });

    it('works over GET for queries (with a preflight header) and refuses mutations over GET', async () => {
      const query = `query ApqGet { me { id } } # ${run}`;
      const hash = sha256(query);
      const get = (request: Request) => send(stack.url, { method: 'GET', ...request, headers: { ...asUser(admin), ...request.headers } });

      // Without a header that forces a preflight, CSRF prevention refuses a GET.
      expect(outcome(await get({ query, hash }))).toEqual(refused('BAD_REQUEST'));

      expect(outcome(await get({ hash, headers: PREFLIGHT }))).toEqual(refused('PERSISTED_QUERY_NOT_FOUND', 200));
      const registered = await get({ query, hash, headers: PREFLIGHT });
      expect({ ...outcome(registered), data: registered.body.data }).toEqual({ ...OK, data: { me: { id: admin.userId } } });
      const byHash = await get({ hash, headers: PREFLIGHT });
      expect({ ...outcome(byHash), data: byHash.body.data }).toEqual({ ...OK, data: { me: { id: admin.userId } } });

      const mutation = `mutation ApqGetMutation { createBrand(input: { name: "Made over GET ${run}" }) { id } }`;
      const overGet = await get({ query: mutation, hash: sha256(mutation), headers: PREFLIGHT });
      expect(outcome(overGet)).toEqual(refused('BAD_REQUEST', 405));
      expect(overGet.body.errors?.[0]?.message).toMatch(/GET requests only support query operations/);
      expect(await brandNames()).not.toContain(`Made over GET ${run}`);
      // Not registered either: the hash alone is still unknown.
      expect(outcome(await send(stack.url, { hash: sha256(mutation), headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_NOT_FOUND', 200));
    });
  });

  describe('partner safelist (PERSISTED_QUERIES_PARTNERS=safelist, the default)', () => {
    it('runs every manifest operation by id, by POST and GET, with or without its exact text', async () => {
      const brands = await send(stack.url, { hash: BRANDS.id, headers: asPartner() });
      expect({ ...outcome(brands), names: (brands.body.data as { brands?: { nodes: { name: string }[] } })?.brands?.nodes.map((n) => n.name) }).toEqual({
        ...OK,
        names: ['First brand'],
      });

      const name = `Partner brand ${run}`;
      const created = await send(stack.url, { hash: CREATE_BRAND.id, variables: { name }, headers: asPartner() });
      expect({ ...outcome(created), data: created.body.data }).toEqual({ ...OK, data: { createBrand: { name } } });
      expect(await brandNames()).toContain(name);

      expect(outcome(await send(stack.url, { hash: BRANDS.id, query: BRANDS.body, headers: asPartner() }))).toEqual(OK);
      expect(outcome(await send(stack.url, { method: 'GET', hash: BRANDS.id, headers: { ...asPartner(), ...PREFLIGHT } }))).toEqual(OK);
      // A manifest mutation is still a mutation: not over GET.
      expect(outcome(await send(stack.url, { method: 'GET', hash: CREATE_BRAND.id, variables: { name: `${name} GET` }, headers: { ...asPartner(), ...PREFLIGHT } }))).toEqual(
        refused('BAD_REQUEST', 405),
      );
      expect(await brandNames()).not.toContain(`${name} GET`);
    });

    it('refuses free query text (PERSISTED_QUERY_ID_REQUIRED) without running it', async () => {
      const name = `Free text brand ${run}`;
      for (const request of [
        { query: '{ brands { nodes { name } } }' },
        { query: `mutation { createBrand(input: { name: "${name}" }) { id } }` },
        { query: BRANDS.body }, // the manifest's text, but not named by its id
        { method: 'GET' as const, query: '{ brands { nodes { name } } }', headers: PREFLIGHT },
      ]) {
        const reply = await send(stack.url, { ...request, headers: { ...asPartner(), ...request.headers } });
        expect({ request, ...outcome(reply) }).toEqual({ request, ...refused('PERSISTED_QUERY_ID_REQUIRED') });
        expect(reply.body.data ?? undefined).toBeUndefined();
      }
      expect(await brandNames()).not.toContain(name);
    });

    it('refuses ids not in the manifest, even ones APQ knows, and text that differs from the listed body (PERSISTED_QUERY_NOT_IN_LIST)', async () => {
      const name = `Unlisted brand ${run}`;
      const unlisted = `mutation Unlisted { createBrand(input: { name: "${name}" }) { id } }`;
      // A user registers the operation through APQ: that does not put it on the partners' list.
      const userQuery = `query Registered { brands { nodes { id } } } # ${run}`;
      expect(outcome(await send(stack.url, { query: userQuery, hash: sha256(userQuery), headers: asUser(admin) }))).toEqual(OK);

      for (const request of [
        { hash: sha256(unlisted) },
        { hash: sha256(unlisted), query: unlisted },
        { hash: sha256(userQuery) },
        { hash: BRANDS.id, query: `${BRANDS.body} ` },
        { hash: BRANDS.id, query: unlisted },
        { method: 'GET' as const, hash: sha256(userQuery), headers: PREFLIGHT },
      ]) {
        const reply = await send(stack.url, { ...request, headers: { ...asPartner(), ...request.headers } });
        expect({ request, ...outcome(reply) }).toEqual({ request, ...refused('PERSISTED_QUERY_NOT_IN_LIST') });
        expect(reply.body.data ?? undefined).toBeUndefined();
      }
      expect(await brandNames()).not.toContain(name);
    });

    it('leaves first-party users and anonymous callers free to send any query (PERSISTED_QUERIES_USERS=any)', async () => {
      expect(await gqlOk(stack.url, '{ me { id } }', {}, admin.token)).toEqual({ me: { id: admin.userId } });
      expect(outcome(await send(stack.url, { query: '{ __typename }' }))).toEqual(OK);
      // And a manifest operation runs by id for them too, without being registered first.
      expect(outcome(await send(stack.url, { hash: BRAND_IDS.id, headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_NOT_FOUND', 200));
      expect(outcome(await send(stack.url, { hash: BRANDS.id, headers: asUser(admin) }))).toEqual(OK);
    });
  });

  describe('manifest reload', () => {
    it('runs an operation added to the manifest once the poll has seen the change, and keeps the list when a change is bad', async () => {
      expect(outcome(await send(stack.url, { hash: BRAND_IDS.id, headers: asPartner() }))).toEqual(refused('PERSISTED_QUERY_NOT_IN_LIST'));

      writeManifest(manifestPath, [BRANDS, CREATE_BRAND, BRAND_IDS]);
      await eventually(async () => (await send(stack.url, { hash: BRAND_IDS.id, headers: asPartner() })).status === 200);
      const reloaded = await send(stack.url, { hash: BRAND_IDS.id, headers: asPartner() });
      expect(outcome(reloaded)).toEqual(OK);
      expect((reloaded.body.data as { brands: { nodes: unknown[] } }).brands.nodes.length).toBeGreaterThan(0);

      // A bad manifest (an id that is not the sha256 of its body) is not taken: the previous list stays in force.
      writeManifest(manifestPath, [{ ...BRANDS, id: sha256('something else') }]);
      await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000 * 4));
      expect(outcome(await send(stack.url, { hash: BRAND_IDS.id, headers: asPartner() }))).toEqual(OK);
      expect(outcome(await send(stack.url, { hash: CREATE_BRAND.id, variables: { name: `After bad ${run}` }, headers: asPartner() }))).toEqual(OK);

      // Removing an operation takes effect the same way.
      writeManifest(manifestPath, [BRANDS, CREATE_BRAND]);
      await eventually(async () => (await send(stack.url, { hash: BRAND_IDS.id, headers: asPartner() })).status === 400);
      expect(outcome(await send(stack.url, { hash: BRAND_IDS.id, headers: asPartner() }))).toEqual(refused('PERSISTED_QUERY_NOT_IN_LIST'));
      expect(outcome(await send(stack.url, { hash: BRANDS.id, headers: asPartner() }))).toEqual(OK);
    });

    it('stops a gateway from starting with a bad manifest, or a missing one it was pointed at, naming the file', async () => {
      const bad = join(dir, 'bad.json');
      for (const [content, reason] of [
        ['{ not json', /not valid JSON/],
        [JSON.stringify({ format: 'something-else', version: 1, operations: [] }), /"format": "apollo-persisted-query-manifest"/],
        [JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ ...BRANDS, id: sha256('x') }] }), /not the sha256 of "body"/],
        [JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ ...BRANDS, body: '{ brands {', id: sha256('{ brands {') }] }), /not a GraphQL document/],
        [JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ ...BRANDS, type: 'mutation' }] }), /holds no mutation named PartnerBrands/],
      ] as const) {
        writeFileSync(bad, content);
        await expect(startGateway({ PERSISTED_QUERY_MANIFEST: bad })).rejects.toThrow(reason);
        await expect(startGateway({ PERSISTED_QUERY_MANIFEST: bad })).rejects.toThrow(`persisted query manifest ${bad}`);
      }
      await expect(startGateway({ PERSISTED_QUERY_MANIFEST: join(dir, 'missing.json') })).rejects.toThrow(/cannot be read/);
    });
  });

  describe('policies', () => {
    it('with PERSISTED_QUERIES_USERS=safelist, users and anonymous callers run manifest operations only', async () => {
      const url = await startGateway({ PERSISTED_QUERIES_USERS: 'safelist' });
      expect(outcome(await send(url, { query: '{ me { id } }', headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_ID_REQUIRED'));
      expect(outcome(await send(url, { query: '{ __typename }' }))).toEqual(refused('PERSISTED_QUERY_ID_REQUIRED'));
      const apq = `query UserApq { me { id } } # ${run}`;
      expect(outcome(await send(url, { query: apq, hash: sha256(apq), headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_NOT_IN_LIST'));
      expect(outcome(await send(url, { hash: BRANDS.id, headers: asUser(admin) }))).toEqual(OK);
    });

    it('with PERSISTED_QUERIES_USERS=apq, users must send a hash, and any operation registers through APQ', async () => {
      const url = await startGateway({ PERSISTED_QUERIES_USERS: 'apq' });
      expect(outcome(await send(url, { query: '{ me { id } }', headers: asUser(admin) }))).toEqual(refused('PERSISTED_QUERY_ID_REQUIRED'));
      const query = `query UserApqOnly { me { id } } # ${run}`;
      expect(outcome(await send(url, { query, hash: sha256(query), headers: asUser(admin) }))).toEqual(OK);
      expect(outcome(await send(url, { hash: sha256(query), headers: asUser(admin) }))).toEqual(OK);
    });

    it('with PERSISTED_QUERIES_PARTNERS=apq or any, partners may run operations outside the manifest', async () => {
      const apqUrl = await startGateway({ PERSISTED_QUERIES_PARTNERS: 'apq' });
      const query = `query PartnerApq { brands { nodes { id } } } # ${run}`;
      expect(outcome(await send(apqUrl, { query, headers: asPartner() }))).toEqual(refused('PERSISTED_QUERY_ID_REQUIRED'));
      expect(outcome(await send(apqUrl, { query, hash: sha256(query), headers: asPartner() }))).toEqual(OK);
      expect(outcome(await send(apqUrl, { hash: sha256(query), headers: asPartner() }))).toEqual(OK);

      const anyUrl = await startGateway({ PERSISTED_QUERIES_PARTNERS: 'any' });
      expect(outcome(await send(anyUrl, { query: '{ brands { nodes { id } } }', headers: asPartner() }))).toEqual(OK);
    });

    it('rejects a policy that does not exist at start', () => {
      expect(() => readGatewayConfig(testEnv({ PERSISTED_QUERIES_PARTNERS: 'sometimes' }))).toThrow(/PERSISTED_QUERIES_PARTNERS: expected 'any', 'apq' or 'safelist'/);
    });
  });

  describe('the gateway as a process', () => {
    const processes: ServiceProcess[] = [];
    afterAll(async () => {
      for (const service of processes) await service.stop();
    });

    async function startGatewayProcess(env: Record<string, string>): Promise<{ url: string; service: ServiceProcess }> {
      const port = await freePort();
      const urls = Object.fromEntries(Object.entries(stack.subgraphUrls).map(([name, url]) => [subgraphUrlVariable(name as never), url]));
      const service = startProcess('gateway', 'gateway/dist/main.js', {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...baseEnv,
        ...urls,
        ...env,
      });
      processes.push(service);
      return { url: `http://127.0.0.1:${port}/graphql`, service };
    }

    it('logs operations not in the manifest (PERSISTED_QUERY_LOG_UNKNOWN=true) without keys or tokens, and a bad reload', async () => {
      const { url, service } = await startGatewayProcess({ PERSISTED_QUERY_LOG_UNKNOWN: 'true' });
      await waitReady(url.replace('/graphql', '/health/ready'), service);
      const unknown = `query PartnerUnknown { brands { nodes { id } } } # ${run}`;
      expect(outcome(await send(url, { query: unknown, headers: asPartner() }))).toEqual(refused('PERSISTED_QUERY_ID_REQUIRED'));
      expect(outcome(await send(url, { hash: sha256('query Guessed { me { id } }'), headers: asPartner() }))).toEqual(refused('PERSISTED_QUERY_NOT_IN_LIST'));
      expect(outcome(await send(url, { hash: BRANDS.id, headers: asPartner() }))).toEqual(OK);
      expect(outcome(await send(url, { query: '{ me { id } }', headers: asUser(admin) }))).toEqual(OK);

      await eventually(async () => service.output().includes('"operationName":"PartnerUnknown"'));
      const lines = service
        .output()
        .split('\n')
        .filter((line) => line.includes('operation not in the persisted query manifest'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, caller: 'partner', keyId: partnerKeyId, operationName: 'PartnerUnknown', hash: sha256(unknown), code: 'PERSISTED_QUERY_ID_REQUIRED' }),
        expect.objectContaining({ level: 40, caller: 'partner', keyId: partnerKeyId, operationName: null, hash: sha256('query Guessed { me { id } }'), code: 'PERSISTED_QUERY_NOT_IN_LIST' }),
        expect.objectContaining({ level: 40, caller: 'user', operationName: null, hash: sha256('{ me { id } }'), outcome: 'allowed' }),
      ]);
      expect(service.output()).not.toContain(partnerKey);
      expect(service.output()).not.toContain(partnerKey.split('_').pop());
      expect(service.output()).not.toContain(admin.token);

      // A bad manifest on reload is logged at error, and the list in force stays.
      writeManifest(manifestPath, [{ ...BRANDS, id: sha256('not the body') }]);
      await eventually(async () => service.output().includes('persisted query manifest not reloaded'));
      expect(outcome(await send(url, { hash: BRANDS.id, headers: asPartner() }))).toEqual(OK);
      writeManifest(manifestPath, [BRANDS, CREATE_BRAND]);
    });

    it('exits at start with a message naming the manifest and its problem', async () => {
      const bad = join(dir, 'bad-at-start.json');
      writeFileSync(bad, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }));
      const { service } = await startGatewayProcess({ PERSISTED_QUERY_MANIFEST: bad });
      const code = await new Promise<number | null>((resolveExit) => {
        if (service.child.exitCode !== null) resolveExit(service.child.exitCode);
        else service.child.once('exit', (exitCode) => resolveExit(exitCode));
      });
      expect(code).not.toBe(0);
      expect(service.output()).toContain(`persisted query manifest ${bad}: expected \\"version\\": 1 (got 2)`);
    });
  });
});
