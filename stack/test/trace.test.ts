/**
 * One trace, end to end, out of real processes: a createBrand request enters the gateway, reaches the brand subgraph,
 * whose resolver records brand.created in the outbox; the relay publishes it to RabbitMQ and the strategy subgraph
 * consumes it. Every hop must continue the same trace, with the parent links the instrumentations and the event
 * backbone (infra/src/events: outbox.ts, relay.ts, consumer.ts) are meant to produce.
 *
 * The services run as plain node processes so that OpenTelemetry's auto-instrumentation patches their modules
 * (jest's module loader would defeat it); their spans reach an OTLP/HTTP receiver run by this test.
 * TRACE_TEST_PRINT=1 writes the observed trace to stderr.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { waitFor, gqlOk, registerTenant, ancestorsOf, attributeText, isDescendant, renderTrace, SPAN_KIND, type ReceivedSpan, isolatedServices, ROOT, startServices, type ServiceProcess } from '@umt/test-support';

/** Small and known, so that afterAll can delete the retry queues the consumers declare. */
const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';

interface TraceChain {
  traceId: string;
  spans: ReceivedSpan[];
  gatewayRequest: ReceivedSpan;
  gatewayFetch: ReceivedSpan;
  brandRequest: ReceivedSpan;
  resolver: ReceivedSpan;
  outboxInsert: ReceivedSpan;
  publish: ReceivedSpan;
  process: ReceivedSpan;
  handlerInsert: ReceivedSpan;
}

const queryText = (span: ReceivedSpan): string => attributeText(span, 'db.query.text', 'db.statement');
const urlText = (span: ReceivedSpan): string => attributeText(span, 'url.full', 'http.url');
const isSql = (span: ReceivedSpan): boolean => span.scope === '@opentelemetry/instrumentation-pg' && queryText(span) !== '';

/** What the tree shows beside each span: the SQL text or URL that tells the spans of one kind apart. */
function describeSpan(span: ReceivedSpan): string {
  const text = queryText(span);
  if (text) return `— ${text.replace(/\s+/g, ' ').slice(0, 90)}`;
  const url = urlText(span) || attributeText(span, 'url.path');
  return url ? `— ${url}` : '';
}

/**
 * Picks the spans of the createBrand trace and checks each link; throws naming the first missing or misplaced span,
 * with the whole trace, so that a broken chain says exactly where it breaks.
 */
function traceOfCreateBrand(all: ReceivedSpan[], brandPort: number): TraceChain {
  const resolvers = all.filter((s) => s.service === 'brand' && s.name === 'graphql.resolve createBrand');
  if (resolvers.length !== 1) {
    const names = [...new Set(all.map((s) => `[${s.service}] ${s.name}`))].sort().join('\n');
    throw new Error(`expected one createBrand resolver span from brand, got ${resolvers.length}; span names received:\n${names}`);
  }
  const resolver = resolvers[0] as ReceivedSpan;
  const traceId = resolver.traceId;
  const spans = all.filter((s) => s.traceId === traceId);
  const tree = () => `trace ${traceId}:\n${renderTrace(spans, describeSpan)}`;
  const only = (what: string, predicate: (s: ReceivedSpan) => boolean): ReceivedSpan => {
    const found = spans.filter(predicate);
    if (found.length !== 1) {
      // A span that exists but in another trace shows where the context was lost.
      const elsewhere = all.filter((s) => s.traceId !== traceId && predicate(s));
      const note = elsewhere.length
        ? `; in other traces: ${elsewhere.map((s) => `${s.traceId} (parent ${s.parentSpanId ?? 'none: a new root'})`).join(', ')}`
        : '';
      throw new Error(`expected one ${what} in the createBrand trace, found ${found.length}${note}\n${tree()}`);
    }
    return found[0] as ReceivedSpan;
  };
  const requireAncestor = (what: string, span: ReceivedSpan, ancestor: ReceivedSpan) => {
    if (!isDescendant(span, ancestor, spans)) {
      const chain = [span, ...ancestorsOf(span, spans)].map((s) => `[${s.service}] ${s.name}`).join(' ← ');
      throw new Error(`${what}: ${span.name} (${span.service}) is not under ${ancestor.name} (${ancestor.service}); its chain: ${chain}\n${tree()}`);
    }
  };
  const requireParent = (what: string, span: ReceivedSpan, parent: ReceivedSpan) => {
    if (span.parentSpanId !== parent.spanId) {
      throw new Error(`${what}: the parent of ${span.name} (${span.service}) is ${span.parentSpanId ?? 'none'}, not ${parent.name} ${parent.spanId}\n${tree()}`);
    }
  };

  const gatewayRequest = only('incoming HTTP request span of the gateway', (s) => s.service === 'gateway' && s.kind === SPAN_KIND.SERVER && s.scope === HTTP_SCOPE);
  if (gatewayRequest.parentSpanId) throw new Error(`the gateway's request span should be the root (the client sends no traceparent)\n${tree()}`);
  // Any instrumentation's CLIENT span counts, so that a fetch traced twice (http and undici) is caught here.
  const gatewayFetch = only(
    'outgoing fetch from the gateway to the brand subgraph',
    (s) => s.service === 'gateway' && s.kind === SPAN_KIND.CLIENT && urlText(s).includes(`:${brandPort}/graphql`),
  );
  if (gatewayFetch.scope !== HTTP_SCOPE) throw new Error(`the subgraph fetch should come from node:http (${HTTP_SCOPE}), not ${gatewayFetch.scope}\n${tree()}`);
  requireAncestor('gateway fetch', gatewayFetch, gatewayRequest);
  const brandRequest = only('incoming HTTP request span of the brand subgraph', (s) => s.service === 'brand' && s.kind === SPAN_KIND.SERVER && s.scope === HTTP_SCOPE);
  requireParent('brand request (traceparent from the gateway)', brandRequest, gatewayFetch);
  requireAncestor('createBrand resolver', resolver, brandRequest);
  const outboxInsert = only('outbox INSERT in brand', (s) => s.service === 'brand' && isSql(s) && /^insert into ("\w+"\.)?"?outbox"?/i.test(queryText(s)));
  requireAncestor('outbox INSERT', outboxInsert, resolver);
  const publish = only('brand.created publish span', (s) => s.name === 'brand.created publish');
  requireAncestor('publish (trace context stored in the outbox row)', publish, resolver);
  const consume = only('brand.created process span in strategy', (s) => s.service === 'strategy' && s.name === 'brand.created process');
  requireParent('process (trace context in the message headers)', consume, publish);
  const handlerInsert = only('brand_planning INSERT in strategy', (s) => s.service === 'strategy' && isSql(s) && /^insert into ("\w+"\.)?"?brand_planning"?/i.test(queryText(s)));
  requireAncestor('handler INSERT', handlerInsert, consume);

  // Whole: no span of the trace points at a parent that never arrived (a lost or unexported span).
  const ids = new Set(spans.map((s) => s.spanId));
  const orphans = spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
  if (orphans.length > 0) throw new Error(`spans whose parent is missing: ${orphans.map((s) => `[${s.service}] ${s.name}`).join(', ')}\n${tree()}`);

  return { traceId, spans, gatewayRequest, gatewayFetch, brandRequest, resolver, outboxInsert, publish, process: consume, handlerInsert };
}

describe('distributed tracing across the processes and the broker', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-trace', RETRY);
  const exchange = isolated.exchange;
  afterAll(() => isolated.stop(running), 90_000);

  it('a createBrand request and the brand.created event it causes form one trace, hop by hop', async () => {
    const database = await isolated.database();
    const receiver = await isolated.receiver();
    const common = isolated.env({ databaseUrl: database.url, otlpEndpoint: receiver.endpoint });

    // Ready means migrated and consuming: strategy's queue is bound before brand can publish.
    const { url, ports } = await startServices(common, running);

    const tenant = await registerTenant(url, 'Traced Inc');
    const brandName = `Traced ${randomBytes(3).toString('hex')}`;
    const created = await gqlOk<{ createBrand: { id: string } }>(url, `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: brandName }, tenant.token);

    // The effect crossed the broker: strategy's planning space is visible through the gateway.
    const planning = async () =>
      (
        await gqlOk<{ brand: { planning: { brandName: string } | null } }>(
          url,
          `query ($id: ID!) { brand(id: $id) { planning { brandName } } }`,
          { id: created.createBrand.id },
          tenant.token,
        )
      ).brand.planning;
    await waitFor('the planning space made by the brand.created consumer', async () => (await planning()) !== null, 20_000, 100);
    expect(await planning()).toEqual({ brandName });

    // Spans leave every process in batches (OTEL_BSP_SCHEDULE_DELAY): wait until the chain is complete, or fail with why not.
    const brandPort = ports.brand as number;
    let chain: TraceChain | undefined;
    let lastProblem: unknown;
    const deadline = Date.now() + 20_000;
    while (!chain && Date.now() < deadline) {
      try {
        chain = traceOfCreateBrand(receiver.spans(), brandPort);
      } catch (error) {
        lastProblem = error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(receiver.rejected()).toEqual([]);
    if (!chain) throw lastProblem instanceof Error ? lastProblem : new Error(String(lastProblem));
    if (process.env.TRACE_TEST_PRINT) process.stderr.write(`\ntrace ${chain.traceId}:\n${renderTrace(chain.spans, describeSpan)}\n`);

    // One trace id throughout, across four hops: HTTP, HTTP, the outbox row, the AMQP headers.
    const { gatewayRequest, gatewayFetch, brandRequest, resolver, outboxInsert, publish, process: consume, handlerInsert } = chain;
    for (const span of [gatewayRequest, gatewayFetch, brandRequest, resolver, outboxInsert, publish, consume, handlerInsert]) {
      expect(span.traceId).toBe(chain.traceId);
    }
    expect([gatewayRequest.service, gatewayFetch.service, brandRequest.service, resolver.service, outboxInsert.service]).toEqual([
      'gateway',
      'gateway',
      'brand',
      'brand',
      'brand',
    ]);
    expect(publish.service).toBe('brand'); // the brand process's relay publishes
    expect(consume.service).toBe('strategy');
    expect(handlerInsert.service).toBe('strategy');

    // HTTP spans: kinds and the stable HTTP semantic conventions of instrumentation-http, at both ends of each hop.
    const gatewayPort = Number(new URL(url).port);
    expect(gatewayRequest.kind).toBe(SPAN_KIND.SERVER);
    expect(gatewayRequest.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.scheme': 'http',
      'url.path': '/graphql',
      'http.route': '/graphql',
      'server.address': '127.0.0.1',
      'server.port': gatewayPort,
      'http.response.status_code': 200,
    });
    expect(gatewayFetch.kind).toBe(SPAN_KIND.CLIENT);
    expect(gatewayFetch.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `http://127.0.0.1:${brandPort}/graphql`,
      'server.address': '127.0.0.1',
      'server.port': brandPort,
      'http.response.status_code': 200,
    });
    expect(brandRequest.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.route': '/graphql',
      'server.port': brandPort,
      'http.response.status_code': 200,
    });

    // The resolver span: instrumentation-graphql's attributes, under the operation's execute span.
    expect(resolver.kind).toBe(SPAN_KIND.INTERNAL);
    expect(resolver.scope).toBe('@opentelemetry/instrumentation-graphql');
    expect(resolver.attributes).toMatchObject({
      'graphql.field.name': 'createBrand',
      'graphql.field.path': 'createBrand',
      'graphql.field.type': 'Brand!',
      'graphql.parent.name': 'Mutation',
    });
    const execution = chain.spans.find((s) => s.spanId === resolver.parentSpanId);
    expect(execution?.attributes).toMatchObject({ 'graphql.operation.type': 'mutation' });

    // Messaging spans: kinds and the semantic-convention attributes of infra/src/events/tracing.ts.
    expect(publish.kind).toBe(SPAN_KIND.PRODUCER);
    expect(publish.scope).toBe('umt-events');
    expect(publish.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': exchange,
      'messaging.rabbitmq.destination.routing_key': 'brand.created',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'umt.event.source': 'brand',
    });
    const messageId = publish.attributes['messaging.message.id'];
    expect(typeof messageId).toBe('string');
    expect(consume.kind).toBe(SPAN_KIND.CONSUMER);
    expect(consume.scope).toBe('umt-events');
    expect(consume.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': exchange,
      'messaging.rabbitmq.destination.routing_key': 'brand.created',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.message.id': messageId,
      'messaging.destination.subscription.name': `${exchange}.strategy`,
      'messaging.consumer.group.name': 'strategy',
      'umt.event.source': 'brand',
      'umt.event.attempt': 1,
      'umt.event.replay': false,
      'umt.event.duplicate': false,
    });

    // SQL spans: database semantic conventions (instrumentation-pg emits the stable db.* names).
    const databaseName = new URL(database.url).pathname.slice(1);
    for (const span of [outboxInsert, handlerInsert]) {
      expect(span.kind).toBe(SPAN_KIND.CLIENT);
      expect(span.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.namespace': databaseName });
    }
    expect(queryText(outboxInsert)).toMatch(/^insert into ("brand"\.)?"outbox"/);
    expect(queryText(handlerInsert)).toMatch(/^insert into ("strategy"\.)?"brand_planning"/);

    // No span of any service names itself after source code or a file on the machine (fastify names anonymous
    // plugins after their source and file plugins after their path); hook attributes neither.
    const leaky = (text: string) => /=>|[{}\n]|function\s*\(|node_modules|\/dist\/|\.js\b/.test(text) || text.includes(ROOT) || text.length > 120;
    const named = receiver.spans().flatMap((s) => [s.name, attributeText(s, 'hook.name'), attributeText(s, 'hook.callback.name')].filter(Boolean));
    expect(named.length).toBeGreaterThan(50);
    expect([...new Set(named.filter(leaky))]).toEqual([]);
  }, 180_000);
});
