/**
 * GraphQL over HTTP at the subgraphs, checked with the graphql-http audit suite (the GraphQL-over-HTTP specification's
 * own checks) and by hand for what a client gets wrong: the right 4xx with a coded GraphQL error, logged at info at
 * most and without a stack. The audit also runs against a plain mercurius server, the baseline a subgraph must not
 * fall below, and against the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { principalCodec, readCommonConfig, PRINCIPAL_HEADER, SUBGRAPHS, type SubgraphName } from '@umt/infra';
import Fastify, { type FastifyInstance } from 'fastify';
import { auditServer, type AuditResult } from 'graphql-http';
import mercurius from 'mercurius';
import { freePort, startProcess, waitReady, type ServiceProcess } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack, testEnv } from './support/stack';

type Counts = Record<AuditResult['status'], number>;

function count(results: AuditResult[]): Counts {
  const counts: Counts = { ok: 0, notice: 0, warn: 0, error: 0 };
  for (const result of results) counts[result.status] += 1;
  return counts;
}

/** Failing and warning checks, readable in a failed expectation. */
const problems = (results: AuditResult[]) =>
  results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => `${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);

/** A fetch that signs every request as the gateway would for `subgraph` (the audit knows nothing of principals). */
function signedFetch(subgraph: SubgraphName, sign: (subgraph: SubgraphName) => string): typeof fetch {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set(PRINCIPAL_HEADER, sign(subgraph));
    return fetch(input, { ...init, headers });
  };
}

describe('subgraphs speak GraphQL over HTTP', () => {
  let stack: Stack;
  let plain: FastifyInstance;
  let plainUrl: string;
  const config = readCommonConfig(testEnv());
  const sign = (subgraph: SubgraphName) => principalCodec(config.principalKeys, 60, subgraph).sign({ kind: 'anonymous' });

  beforeAll(async () => {
    stack = await startTestStack();
    plain = Fastify();
    await plain.register(mercurius, { schema: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
    plainUrl = `${await plain.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
  });
  afterAll(async () => {
    await plain?.close();
    await stack?.stop();
  });

  it('every subgraph passes the graphql-http audit with no error and no more warnings than plain mercurius', async () => {
    const baseline = count(await auditServer({ url: plainUrl }));
    for (const { name } of SUBGRAPHS) {
      const results = await auditServer({ url: stack.subgraphUrls[name], fetchFn: signedFetch(name, sign) });
      const counts = count(results);
      expect({ name, errors: counts.error, problems: counts.error > 0 ? problems(results) : [] }).toEqual({ name, errors: 0, problems: [] });
      expect(counts.warn).toBeLessThanOrEqual(baseline.warn);
    }
    // The gateway, for comparison, has no error either.
    expect(count(await auditServer({ url: stack.url })).error).toBe(0);
  }, 120_000);

  describe('client mistakes at a subgraph process', () => {
    let service: ServiceProcess;
    let url: string;
    const principal = () => ({ [PRINCIPAL_HEADER]: sign('brand') });

    beforeAll(async () => {
      const port = await freePort();
      // PGlite in memory: no database to prepare; INFO logging shows how each mistake is logged.
      service = startProcess('brand', 'subgraphs/brand/dist/main.js', {
        HOST: '127.0.0.1',
        PORT: String(port),
        PGLITE_DIR: 'memory',
        LOG_LEVEL: 'info',
        OTEL_SDK_DISABLED: 'true',
        NODE_ENV: 'test',
      });
      url = `http://127.0.0.1:${port}/graphql`;
      await waitReady(`http://127.0.0.1:${port}/health/ready`, service);
    });
    afterAll(() => service?.stop());

    async function send(init: RequestInit & { headers?: Record<string, string> }, target = url) {
      const response = await fetch(target, { method: 'POST', ...init, headers: { ...principal(), ...init.headers } });
      const text = await response.text();
      let body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // asserted below: every answer is JSON
      }
      return { status: response.status, type: response.headers.get('content-type') ?? '', body, text };
    }

    it.each([
      // fetch adds no content type to a byte body (it would add text/plain to a string).
      ['a POST without a content type', { body: new TextEncoder().encode('{"query":"{ __typename }"}') }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a POST of plain text', { body: '{"query":"{ __typename }"}', headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a POST of a form', { body: 'query=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a body that is not JSON', { body: '{"query": ', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST'],
      ['a body without a query', { body: '{"variables":{}}', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST'],
      ['a query that is not a string', { body: '{"query":42}', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST'],
      ['variables that are not an object', { body: '{"query":"{ __typename }","variables":"x"}', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST'],
    ])('%s: the right 4xx and code, in the GraphQL shape', async (_what, init, status, code) => {
      const reply = await send(init);
      expect({ status: reply.status, codes: reply.body.errors?.map((e) => e.extensions?.code) }).toEqual({ status, codes: [code] });
      expect(reply.type).toMatch(/^application\/json/);
      expect(reply.body.data).toBeUndefined();
    });

    it('a mutation sent with GET gets 405 and is not run', async () => {
      const query = encodeURIComponent('mutation { createBrand(input: { name: "Via GET" }) { id } }');
      const response = await fetch(`${url}?query=${query}`, { headers: principal() });
      expect(response.status).toBe(405);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('METHOD_NOT_ALLOWED');
    });

    it('document errors: 200 with plain JSON (what the gateway reads), 400 and no data with application/graphql-response+json', async () => {
      const cases = [
        ['{ brands { nodes { id } ', 'GRAPHQL_PARSE_FAILED'],
        ['{ nosuchfield }', 'GRAPHQL_VALIDATION_FAILED'],
        ['query ($n: Int!) { brands(first: $n) { nodes { id } } }', 'BAD_USER_INPUT'],
      ] as const;
      for (const [query, code] of cases) {
        const body = JSON.stringify({ query, variables: { n: 'not a number' } });
        const json = await send({ body, headers: { 'content-type': 'application/json', accept: 'application/json' } });
        expect({ query, status: json.status, codes: json.body.errors?.map((e) => e.extensions?.code) }).toEqual({ query, status: 200, codes: [code] });
        const graphql = await send({ body, headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' } });
        expect({ query, status: graphql.status, codes: graphql.body.errors?.map((e) => e.extensions?.code) }).toEqual({ query, status: 400, codes: [code] });
        expect(graphql.type).toMatch(/^application\/graphql-response\+json/);
        expect(graphql.body).not.toHaveProperty('data');
      }
    });

    it('allows null optional parameters', async () => {
      const reply = await send({
        body: JSON.stringify({ query: '{ __typename }', variables: null, operationName: null, extensions: null }),
        headers: { 'content-type': 'application/json' },
      });
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });

    it('still checks the principal before anything executes', async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(response.status).toBe(401);
    });

    it('logs client mistakes at info at most, without a stack, and never as a failed resolver', () => {
      const lines = service
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg?: string; err?: { stack?: string } });
      expect(lines.length).toBeGreaterThan(5);
      expect(lines.filter((line) => line.level > 30).map((line) => line.msg)).toEqual([]);
      expect(lines.filter((line) => line.err?.stack).map((line) => line.msg)).toEqual([]);
      expect(service.output()).not.toMatch(/resolver failed|request failed/);
    });
  });
});
