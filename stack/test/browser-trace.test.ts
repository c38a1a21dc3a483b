/**
 * The gateway as a web page meets it, out of real processes: CORS preflights, a page's `traceparent` making the page's
 * span the root of the trace, the sampler honouring (or not) the page's sampled flag, and the spans of what the
 * gateway does besides fetching subgraphs: Redis (rate limit through ioredis, the APQ cache through @redis/client)
 * and global fetch (the API key check, through undici).
 *
 * Like trace.test.ts, the services run as plain node processes (auto-instrumentation does not patch modules loaded
 * by jest) and export to an OTLP/HTTP receiver run by this test.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readGatewayConfig } from '@umt/gateway';
import { readTelemetrySettings } from '@umt/infra/telemetry';
import { sleep, waitFor, registerTenant, type Tenant, attributeText, browserSpanContext, isDescendant, renderTrace, SPAN_KIND, waitForSpans, type OtlpReceiver, type ReceivedSpan, isolatedServices, ROOT, startGateway, startProcess, startServices, type ServiceProcess } from '@umt/test-support';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
const UNDICI_SCOPE = '@opentelemetry/instrumentation-undici';
const REDIS_SCOPE = '@opentelemetry/instrumentation-redis';
const IOREDIS_SCOPE = '@opentelemetry/instrumentation-ioredis';
/** The web UI's origin in this test, and a site that is not allowed. */
const ALLOWED_ORIGIN = 'https://app.example.test';
const OTHER_ORIGIN = 'https://elsewhere.example.test';
/** The service name of the second gateway, which samples no new trace (parentbased_traceidratio, ratio 0). */
const RATIO_GATEWAY = 'gateway-ratio0';

interface Reply {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
}

async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<Reply> {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.body === undefined ? (init.headers ?? {}) : { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Reply['body']) : undefined };
}

const headerList = (value: string | null): string[] => (value ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
const urlOf = (span: ReceivedSpan): string => attributeText(span, 'url.full');
const isHttpServer = (service: string) => (s: ReceivedSpan) => s.service === service && s.kind === SPAN_KIND.SERVER && s.scope === HTTP_SCOPE;
/** True when any attribute of the span mentions `text` (operation names and query texts land in graphql and gateway spans). */
const mentions = (span: ReceivedSpan, text: string): boolean => Object.values(span.attributes).some((v) => typeof v === 'string' && v.includes(text));

describe('the browser span, CORS, sampling, and the Redis and fetch spans of the gateway', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-browser-trace', RETRY);
  const rateLimitPrefix = `umt:test:${randomBytes(4).toString('hex')}:ratelimit:`;
  let receiver: OtlpReceiver;
  let url: string;
  let ratioUrl: string;
  let ports: Record<string, number>;
  let tenant: Tenant;

  const spansOfTrace = (traceId: string) => receiver.spans().filter((s) => s.traceId === traceId);
  const tree = (traceId: string) => `trace ${traceId}:\n${renderTrace(spansOfTrace(traceId), (s) => urlOf(s) || attributeText(s, 'db.query.text'))}`;

  beforeAll(async () => {
    const database = await isolated.database();
    receiver = await isolated.receiver();
    const common = {
      ...isolated.env({ databaseUrl: database.url, otlpEndpoint: receiver.endpoint }),
      CORS_ORIGINS: `${ALLOWED_ORIGIN},http://localhost:5173`,
      RATE_LIMIT_KEY_PREFIX: rateLimitPrefix,
      CACHE_NAMESPACE: `umt:test:${randomBytes(4).toString('hex')}:gateway`,
      APQ_TTL_SECONDS: '120',
    };
    const services = await startServices(common, running);
    url = services.url;
    ports = services.ports;
    const ratio = await startGateway(
      { ...common, OTEL_SERVICE_NAME: RATIO_GATEWAY, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' },
      ports,
      running,
      RATIO_GATEWAY,
    );
    ratioUrl = ratio.url;
    tenant = await registerTenant(url, 'Browser Traced Inc');
  }, 180_000);

  afterAll(() => isolated.stop(running), 90_000);

  describe('CORS', () => {
    const preflight = (origin: string, requestHeaders: string) =>
      send(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders } });

    it('allows a preflight from a listed origin with the trace context and credential headers', async () => {
      const reply = await preflight(ALLOWED_ORIGIN, 'traceparent, content-type, authorization, tracestate, apollo-require-preflight');
      expect(reply.status).toBe(204);
      expect(reply.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(headerList(reply.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post']));
      expect(headerList(reply.headers.get('access-control-allow-headers'))).toEqual(
        expect.arrayContaining(['traceparent', 'content-type', 'authorization', 'tracestate', 'apollo-require-preflight', 'x-api-key']),
      );
      expect(headerList(reply.headers.get('vary'))).toContain('origin');
      expect(reply.headers.get('access-control-allow-credentials')).toBeNull(); // tokens travel in headers, not cookies
    });

    it('gives a preflight from another origin no Access-Control-Allow-Origin, so the browser sends nothing', async () => {
      const reply = await preflight(OTHER_ORIGIN, 'traceparent, content-type, authorization');
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a preflight before authentication and the rate limit (a browser sends none of its credentials in it)', async () => {
      const reply = await send(url, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'x-api-key': 'not-a-key', authorization: 'Bearer not-a-token' },
      });
      expect(reply.status).toBe(204);
    });

    it('lets a page of a listed origin read the answer and its Retry-After, and not a page of another origin', async () => {
      const query = { query: '{ __typename }' };
      const allowed = await send(url, { headers: { origin: ALLOWED_ORIGIN }, body: query });
      expect({ status: allowed.status, body: allowed.body }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(headerList(allowed.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
      const other = await send(url, { headers: { origin: OTHER_ORIGIN }, body: query });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('keeps CSRF prevention: a simple cross-site GET is refused, one with a preflight header runs', async () => {
      const get = `${url}?query=${encodeURIComponent('{ __typename }')}`;
      const simple = await send(get, { method: 'GET', headers: { origin: OTHER_ORIGIN } });
      expect(simple.status).toBe(400);
      expect(simple.body?.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
      const preflighted = await send(get, { method: 'GET', headers: { origin: ALLOWED_ORIGIN, 'apollo-require-preflight': 'true' } });
      expect({ status: preflighted.status, body: preflighted.body }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });

    it('reads CORS_ORIGINS as origins: development ones by default, none in production, no "*", no paths', () => {
      const secrets = { AUTH_TOKEN_SECRET: 'a'.repeat(32), PRINCIPAL_SECRET: 'b'.repeat(32) };
      expect(readGatewayConfig({}).corsOrigins).toEqual(['http://localhost:3000', 'http://localhost:5173']);
      expect(readGatewayConfig({ NODE_ENV: 'production', ...secrets }).corsOrigins).toEqual([]);
      expect(readGatewayConfig({ CORS_ORIGINS: ' HTTPS://App.Example.test:443/ , http://localhost:8080' }).corsOrigins).toEqual([
        'https://app.example.test',
        'http://localhost:8080',
      ]);
      expect(() => readGatewayConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: '\*' is not accepted/);
      expect(() => readGatewayConfig({ CORS_ORIGINS: 'https://app.example.test/app' })).toThrow(/CORS_ORIGINS: expected comma-separated origins.*not an origin: https:\/\/app\.example\.test\/app/);
    });
  });

  it("a page's traceparent makes the page's span the parent of the gateway's request, and the subgraphs continue its trace", async () => {
    const browser = browserSpanContext();
    const reply = await send(url, {
      headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${tenant.token}`, traceparent: browser.traceparent(true) },
      body: { query: 'query BrowserPage { organization { name brands { nodes { name } } } }' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body?.errors).toBeUndefined();

    const { spans, request } = await waitForSpans(receiver, `the whole trace ${browser.traceId}`, (all) => {
      const spans = all.filter((s) => s.traceId === browser.traceId);
      const request = spans.find(isHttpServer('gateway'));
      if (!request || !spans.some(isHttpServer('auth')) || !spans.some(isHttpServer('brand'))) return undefined;
      // Complete: every span's parent arrived, except the page's own span (never exported).
      const ids = new Set(spans.map((s) => s.spanId));
      const orphans = spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
      if (orphans.length !== 1) throw new Error(`spans whose parent is missing: ${orphans.map((s) => `[${s.service}] ${s.name}`).join(', ')}\n${tree(browser.traceId)}`);
      return { spans, request };
    });

    expect(request.parentSpanId).toBe(browser.spanId);
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/graphql', 'http.response.status_code': 200 });
    for (const name of ['auth', 'brand']) {
      const subgraphUrl = `http://127.0.0.1:${ports[name]}/graphql`;
      // Exactly one CLIENT span per subgraph fetch (node:http, not undici as well), under the page's request.
      const fetches = spans.filter((s) => s.service === 'gateway' && s.kind === SPAN_KIND.CLIENT && urlOf(s) === subgraphUrl);
      expect(fetches.map((s) => s.scope)).toEqual([HTTP_SCOPE]);
      const fetchSpan = fetches[0] as ReceivedSpan;
      expect(isDescendant(fetchSpan, request, spans)).toBe(true);
      const served = spans.filter(isHttpServer(name));
      expect(served).toHaveLength(1);
      expect(served[0]?.parentSpanId).toBe(fetchSpan.spanId);
    }
    // The subgraphs' work is in the trace too: the resolvers and their SQL. Resolver spans as configured by default:
    // one per field path (the items of a list share theirs), none for fields read off their parent (`name`, `nodes`).
    const resolverPaths = (service: string) =>
      spans
        .filter((s) => s.service === service && s.name.startsWith('graphql.resolve '))
        .map((s) => attributeText(s, 'graphql.field.path'))
        .sort();
    expect(resolverPaths('auth')).toEqual(['organization']);
    expect(resolverPaths('brand')).toEqual(['_entities', '_entities.*.brands']);
    expect(spans.some((s) => s.service === 'brand' && s.scope === '@opentelemetry/instrumentation-pg')).toBe(true);
  });

  it("keeps a GraphQL GET's document literals and variables out of every span", async () => {
    const browser = browserSpanContext();
    // Ids nobody has (the answers are null): one as a variable, one as a literal in the document.
    const [asVariable, asLiteral] = [randomUUID(), randomUUID()];
    const search = new URLSearchParams({
      query: `query Lookup($id: ID!) { brand(id: $id) { name } other: brand(id: "${asLiteral}") { name } }`,
      variables: JSON.stringify({ id: asVariable }),
    });
    const reply = await send(`${url}?${search.toString()}`, {
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${tenant.token}`, traceparent: browser.traceparent(true) },
    });
    expect(reply.status).toBe(200);
    const spans = await waitForSpans(receiver, `the GET's trace ${browser.traceId}`, (all) => {
      const trace = all.filter((s) => s.traceId === browser.traceId);
      const complete = trace.some(isHttpServer('gateway')) && trace.some((s) => s.name === 'request') && trace.some((s) => s.service === 'brand' && s.name === 'graphql.resolve brand');
      return complete ? trace : undefined;
    });
    const request = spans.find(isHttpServer('gateway')) as ReceivedSpan;
    expect(attributeText(request, 'url.query')).toBe('query=REDACTED&variables=REDACTED');
    expect(spans.find((s) => s.service === 'gateway' && s.name === 'request')?.attributes['url.path']).toBe('/graphql');
    expect(reply.body).toEqual({ data: { brand: null, other: null } });
    // The brand subgraph ran the lookups (so its spans had the chance to record the values) and recorded neither.
    expect(spans.some((s) => s.service === 'brand' && s.name === 'graphql.resolve brand')).toBe(true);
    expect(spans.filter((s) => mentions(s, asVariable) || mentions(s, asLiteral)).map((s) => `[${s.service}] ${s.name}`)).toEqual([]);
  });

  it('makes no spans for health probes and metrics scrapes, even with a sampled traceparent', async () => {
    const probe = browserSpanContext();
    const origin = new URL(url).origin;
    for (const path of ['/health/ready', '/health/live', '/metrics']) {
      const response = await fetch(`${origin}${path}`, { headers: { traceparent: probe.traceparent(true) } });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      await response.arrayBuffer();
    }
    // A request after them, from the same process: once its spans are in, the probes' would be too.
    const after = browserSpanContext();
    await send(url, { headers: { traceparent: after.traceparent(true) }, body: { query: '{ __typename }' } });
    await waitForSpans(receiver, `the trace ${after.traceId}`, (all) => (all.some((s) => s.traceId === after.traceId && isHttpServer('gateway')(s)) ? true : undefined));
    await sleep(300);
    expect(spansOfTrace(probe.traceId).map((s) => `[${s.service}] ${s.name}`)).toEqual([]);
  });

  it('samples by the parent: with ratio 0 only a sampled traceparent is traced, and a 00 flag is followed everywhere', async () => {
    const marker = randomBytes(4).toString('hex');
    const query = (name: string) => ({ query: `query ${name}_${marker} { organization { name brands { nodes { name } } } }` });
    const authorization = `Bearer ${tenant.token}`;
    // Not to be traced: a new trace at the ratio-0 gateway, and pages that did not sample (00) at both gateways.
    const notSampledAtDefault = browserSpanContext();
    const notSampledAtRatio = browserSpanContext();
    for (const [target, headers, name] of [
      [ratioUrl, { authorization }, 'NoTraceparent'],
      [ratioUrl, { authorization, traceparent: notSampledAtRatio.traceparent(false) }, 'NotSampledAtRatio'],
      [url, { authorization, traceparent: notSampledAtDefault.traceparent(false) }, 'NotSampledAtDefault'],
    ] as const) {
      const reply = await send(target, { headers, body: query(name) });
      expect({ name, status: reply.status, errors: reply.body?.errors }).toEqual({ name, status: 200, errors: undefined });
    }
    // To be traced: a page that sampled (01), at the ratio-0 gateway.
    const sampled = browserSpanContext();
    const reply = await send(ratioUrl, { headers: { authorization, traceparent: sampled.traceparent(true) }, body: query('Sampled') });
    expect(reply.status).toBe(200);
    const spans = await waitForSpans(receiver, `the sampled trace ${sampled.traceId} from ${RATIO_GATEWAY}, auth and brand`, (all) => {
      const trace = all.filter((s) => s.traceId === sampled.traceId);
      return trace.some(isHttpServer(RATIO_GATEWAY)) && trace.some(isHttpServer('auth')) && trace.some(isHttpServer('brand')) ? trace : undefined;
    });
    expect(spans.find(isHttpServer(RATIO_GATEWAY))?.parentSpanId).toBe(sampled.spanId);
    expect(spans.some((s) => mentions(s, `Sampled_${marker}`))).toBe(true); // the operation name is how the others are looked for

    // Each process exports in the order its spans end, and the unsampled requests came first; a few batch delays more
    // cover the default gateway, which took no part in the sampled trace.
    await sleep(1_000);
    const all = receiver.spans();
    const leaked = all.filter(
      (s) =>
        s.traceId === notSampledAtDefault.traceId ||
        s.traceId === notSampledAtRatio.traceId ||
        (s.service === RATIO_GATEWAY && s.traceId !== sampled.traceId) ||
        ['NoTraceparent', 'NotSampledAtRatio', 'NotSampledAtDefault'].some((name) => mentions(s, `${name}_${marker}`)),
    );
    expect(leaked.map((s) => `[${s.service}] ${s.name} ${s.traceId}`)).toEqual([]);
  });

  it('stops a service whose sampler ratio is not between 0 and 1, naming the variable', async () => {
    const service = startProcess('gateway (bad ratio)', 'gateway/dist/main.js', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' });
    running.push(service);
    await waitFor('the gateway with a bad ratio to exit', () => service.child.exitCode !== null, 20_000, 50);
    expect(service.child.exitCode).toBe(78);
    expect(service.output()).toContain('OTEL_TRACES_SAMPLER_ARG: expected a ratio between 0 and 1 (got "1.5")');
  });

  it('reads the tracing variables with explicit defaults, and refuses what the SDK would silently replace', () => {
    expect(readTelemetrySettings({})).toEqual({ sampler: 'parentbased_always_on', samplerRatio: 1, graphqlDepth: 6, graphqlIgnoreTrivial: true });
    expect(
      readTelemetrySettings({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_GRAPHQL_DEPTH: '-1', OTEL_GRAPHQL_IGNORE_TRIVIAL: 'false' }),
    ).toEqual({ sampler: 'parentbased_traceidratio', samplerRatio: 0.25, graphqlDepth: -1, graphqlIgnoreTrivial: false });
    expect(() => readTelemetrySettings({ OTEL_TRACES_SAMPLER_ARG: 'half' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: expected a ratio between 0 and 1/);
    expect(() => readTelemetrySettings({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toThrow(/OTEL_TRACES_SAMPLER: expected one of always_on/);
    expect(() => readTelemetrySettings({ OTEL_GRAPHQL_DEPTH: '2.5' })).toThrow(/OTEL_GRAPHQL_DEPTH: expected a whole number/);
    expect(() => readTelemetrySettings({ OTEL_GRAPHQL_IGNORE_TRIVIAL: 'yes' })).toThrow(/OTEL_GRAPHQL_IGNORE_TRIVIAL: expected 'true' or 'false'/);
  });

  it('documents every variable of tracing and CORS in .env.example and the README', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of ['CORS_ORIGINS', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_GRAPHQL_DEPTH', 'OTEL_GRAPHQL_IGNORE_TRIVIAL']) {
      expect({ name, example: new RegExp(`^${name}=`, 'm').test(example), readme: readme.includes(`| \`${name}\` |`) }).toEqual({ name, example: true, readme: true });
    }
  });

  it("puts the gateway's Redis calls under its request: the rate limit (ioredis) and the APQ cache (@redis/client), keys only", async () => {
    const browser = browserSpanContext();
    const text = `query ApqTraced_${randomBytes(4).toString('hex')} { organization { name } }`;
    const hash = createHash('sha256').update(text).digest('hex');
    const headers = { authorization: `Bearer ${tenant.token}`, traceparent: browser.traceparent(true) };
    const persisted = { persistedQuery: { version: 1, sha256Hash: hash } };
    const registered = await send(url, { headers, body: { query: text, extensions: persisted } });
    expect({ status: registered.status, errors: registered.body?.errors }).toEqual({ status: 200, errors: undefined });
    const byHash = await send(url, { headers, body: { extensions: persisted } }); // the same page's trace: a second request
    expect({ status: byHash.status, errors: byHash.body?.errors }).toEqual({ status: 200, errors: undefined });

    const spans = await waitForSpans(receiver, `two gateway requests with their Redis spans in ${browser.traceId}`, (all) => {
      const trace = all.filter((s) => s.traceId === browser.traceId);
      const requests = trace.filter(isHttpServer('gateway'));
      const redis = trace.filter((s) => s.scope === REDIS_SCOPE && ['redis-SET', 'redis-GET', 'redis-MGET'].includes(s.name));
      const ioredis = trace.filter((s) => s.scope === IOREDIS_SCOPE && s.name === 'evalsha');
      if (requests.length === 2 && redis.length >= 2 && ioredis.length === 2) return trace;
      throw new Error(`${requests.length} requests, ${redis.length} redis-SET/GET/MGET, ${ioredis.length} evalsha spans so far\n${tree(browser.traceId)}`);
    });
    const requests = spans.filter(isHttpServer('gateway'));
    const redisSpans = spans.filter((s) => s.scope === REDIS_SCOPE || s.scope === IOREDIS_SCOPE);
    const under = (span: ReceivedSpan) => requests.some((request) => isDescendant(span, request, spans));
    for (const span of redisSpans) {
      expect({ span: span.name, kind: span.kind, system: span.attributes['db.system.name'], underRequest: under(span) }).toEqual({
        span: span.name,
        kind: SPAN_KIND.CLIENT,
        system: 'redis',
        underRequest: true,
      });
      // The command and its key, never a value: the query text stored under the hash stays out of the trace.
      expect(attributeText(span, 'db.query.text')).not.toContain('organization');
    }

    // The rate limit counts this user once per request, in the request span (not in a hook's span that has ended).
    const counts = redisSpans.filter((s) => s.scope === IOREDIS_SCOPE && s.name === 'evalsha');
    expect(counts.map((s) => attributeText(s, 'db.query.text'))).toEqual([`EVALSHA ${rateLimitPrefix}user:${tenant.userId}`, `EVALSHA ${rateLimitPrefix}user:${tenant.userId}`]);
    for (const count of counts) expect(spans.find((s) => s.spanId === count.parentSpanId)?.name).toBe('request');

    // The APQ cache: the text is written under its hash by the first request and read by the second (keyv reads
    // with MGET).
    const set = redisSpans.find((s) => s.name === 'redis-SET' && attributeText(s, 'db.query.text').includes(hash));
    const get = redisSpans.find((s) => /^redis-M?GET$/.test(s.name) && attributeText(s, 'db.query.text').includes(hash));
    if (!set || !get) throw new Error(`expected a SET and a GET of the APQ hash ${hash}\n${tree(browser.traceId)}`);
    expect(attributeText(set, 'db.query.text')).toMatch(new RegExp(`^SET \\S*${hash}$`));
    expect(attributeText(get, 'db.query.text')).toMatch(new RegExp(`^M?GET \\S*${hash}$`));
    const [first, second] = [...requests].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1)) as [ReceivedSpan, ReceivedSpan];
    expect(isDescendant(set, first, spans)).toBe(true);
    expect(isDescendant(get, second, spans)).toBe(true);

    // Nothing of Redis starts a trace of its own (connections, housekeeping): every Redis span received has a parent.
    const roots = receiver.spans().filter((s) => (s.scope === REDIS_SCOPE || s.scope === IOREDIS_SCOPE) && !s.parentSpanId);
    expect(roots.map((s) => `[${s.service}] ${s.name}`)).toEqual([]);
  });

  it("traces the gateway's own fetch (the API key check) as one undici CLIENT span, continued by the auth subgraph", async () => {
    const browser = browserSpanContext();
    const unknownKey = `umt_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url').slice(0, 43)}`;
    const reply = await send(url, { headers: { 'x-api-key': unknownKey, traceparent: browser.traceparent(true) }, body: { query: '{ __typename }' } });
    expect({ status: reply.status, code: reply.body?.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });

    const checkUrl = `http://127.0.0.1:${ports.auth}/internal/authenticate-api-key`;
    const spans = await waitForSpans(receiver, `the API key check in ${browser.traceId}`, (all) => {
      const trace = all.filter((s) => s.traceId === browser.traceId);
      return trace.some(isHttpServer('gateway')) && trace.some(isHttpServer('auth')) && trace.some((s) => s.service === 'auth' && s.scope === '@opentelemetry/instrumentation-pg')
        ? trace
        : undefined;
    });
    const request = spans.find(isHttpServer('gateway')) as ReceivedSpan;
    const checks = spans.filter((s) => s.service === 'gateway' && s.kind === SPAN_KIND.CLIENT && urlOf(s) === checkUrl);
    expect(checks.map((s) => s.scope)).toEqual([UNDICI_SCOPE]);
    const check = checks[0] as ReceivedSpan;
    expect(check.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': checkUrl,
      'server.address': '127.0.0.1',
      'server.port': ports.auth,
      'http.response.status_code': 200,
    });
    expect(isDescendant(check, request, spans)).toBe(true);
    // undici injected the trace context: auth's request span is the check's child, and auth's SQL is under it.
    const served = spans.find(isHttpServer('auth')) as ReceivedSpan;
    expect(served.parentSpanId).toBe(check.spanId);
    const lookup = spans.find((s) => s.service === 'auth' && /select .* from "auth"\."api_keys"/i.test(attributeText(s, 'db.query.text')));
    if (!lookup) throw new Error(`expected auth's API key lookup\n${tree(browser.traceId)}`);
    expect(isDescendant(lookup, served, spans)).toBe(true);
  });
});
