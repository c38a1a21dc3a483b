import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { openDatabaseHost, type DatabaseHost } from '../../src/database';
import {
  AmqpTransport,
  createEventBackbone,
  eventTables,
  type EventBackbone,
  type EventEnvelope,
  type ProcessOutcome,
  type RetryPolicy,
} from '../../src/events';
import {
  AMQP_URL,
  createTestDatabase,
  deleteTopology,
  effectCounts,
  migrateTestService,
  queueDepth,
  randomName,
  testLogger,
  waitFor,
  type TestDatabase,
  type TestTables,
} from './support';

/**
 * Two services as two processes would be: each its own AMQP connection, both on this machine's RabbitMQ and
 * PostgreSQL. alpha publishes; beta consumes thing.created and poison.tested. The exchange (and with it every
 * queue name) is random, and deleted afterwards.
 */
describe('event backbone over RabbitMQ (PostgreSQL)', () => {
  const exchange = randomName('test.events');
  const policy: RetryPolicy = { maxAttempts: 3, delaysMs: [50, 100] };
  const config = { amqpUrl: AMQP_URL, exchange, maxAttempts: policy.maxAttempts, retryDelaysMs: policy.delaysMs, outboxPollMs: 50 };
  let testDb: TestDatabase;
  let host: DatabaseHost;
  let alpha: EventBackbone<TestTables>;
  let beta: EventBackbone<TestTables>;
  let poisonFixed = false;
  let poisonRuns = 0;
  const outcomes: Array<{ id: string; outcome: ProcessOutcome }> = [];
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    host = openDatabaseHost({ url: testDb.url });
    const alphaDb = host.forSchema<TestTables>('alpha');
    const betaDb = host.forSchema<TestTables>('beta');
    await migrateTestService(alphaDb);
    await migrateTestService(betaDb);
    alpha = createEventBackbone({ service: 'alpha', database: alphaDb, config, logger: testLogger });
    beta = createEventBackbone({
      service: 'beta',
      database: betaDb,
      config,
      logger: testLogger,
      handlers: {
        'thing.created': async (trx, event) => {
          trace.getTracer('test').startSpan('handler work').end();
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note: JSON.stringify(event.data) }).execute();
        },
        'poison.tested': async (trx, event) => {
          poisonRuns += 1;
          if (!poisonFixed) throw new Error('poisoned handler');
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note: 'fixed' }).execute();
        },
      },
    });
    const processEvent = beta.consumer.process.bind(beta.consumer);
    beta.consumer.process = async (envelope, options) => {
      const outcome = await processEvent(envelope, options);
      outcomes.push({ id: envelope.id, outcome });
      return outcome;
    };
    await beta.start();
    await alpha.start();
  });

  afterAll(async () => {
    await alpha?.stop();
    await beta?.stop();
    await host?.close();
    await testDb?.drop();
    await deleteTopology(exchange, `${exchange}.`, ['alpha', 'beta'], policy);
    await provider.shutdown();
  });

  it('uses a transport per service that is AMQP, with the documented queue names', () => {
    expect(beta.transport).toBeInstanceOf(AmqpTransport);
    expect(beta.transport.queueName('beta')).toBe(`${exchange}.beta`);
    expect(beta.transport.deadLetterQueueName('beta')).toBe(`${exchange}.beta.dead`);
  });

  it('delivers a committed event once and its effect is committed once; a rolled-back one is never published', async () => {
    const orgId = '00000000-0000-4000-8000-000000000001';
    const data = { note: 'hello', snake_key: 1 };
    const committed = await alpha.transaction((trx) => alpha.record(trx, 'thing.created', orgId, data));
    let rolledBack: EventEnvelope | undefined;
    await expect(
      alpha.transaction(async (trx) => {
        rolledBack = await alpha.record(trx, 'thing.created', orgId, { note: 'never' });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');

    await waitFor('beta to apply the event', async () => (await effectCounts(beta.consumer.database)).get(committed.id) === 1, 45_000);
    const sent = await eventTables(alpha.consumer.database.db).selectFrom('outbox').select(['id', 'sentAt', 'publishAttempts']).execute();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.id).toBe(committed.id);
    expect(sent[0]?.sentAt).toBeInstanceOf(Date);

    await waitFor('the delivery to be settled', () => outcomes.some((o) => o.id === committed.id));
    const effects = await effectCounts(beta.consumer.database);
    expect(effects.get(committed.id)).toBe(1);
    expect(effects.has(rolledBack!.id)).toBe(false);
    const note = await beta.consumer.database.db.selectFrom('effects').select('note').where('eventId', '=', committed.id).executeTakeFirstOrThrow();
    expect(JSON.parse(note.note ?? '')).toEqual(data);
  });

  it('changes nothing when the broker delivers the same event again', async () => {
    const envelope = await alpha.transaction((trx) =>
      alpha.record(trx, 'thing.created', '00000000-0000-4000-8000-000000000001', { note: 'twice' }),
    );
    await waitFor('the first delivery', async () => (await effectCounts(beta.consumer.database)).get(envelope.id) === 1, 45_000);

    await alpha.transport.publish({ envelope, headers: {} });
    await alpha.transport.publish({ envelope, headers: {} });
    await waitFor('two redeliveries', () => outcomes.filter((o) => o.id === envelope.id && o.outcome === 'duplicate').length === 2, 45_000);
    expect((await effectCounts(beta.consumer.database)).get(envelope.id)).toBe(1);
  });

  it('retries a failing handler with delays, then dead-letters it to the queue and the table; replay applies it once', async () => {
    const envelope = await alpha.transaction((trx) => alpha.record(trx, 'poison.tested', '00000000-0000-4000-8000-000000000002', { n: 1 }));
    await waitFor('the dead letter', async () => (await beta.deadLetters.list()).nodes.some((d) => d.eventId === envelope.id), 45_000);
    await waitFor('the dead-letter queue', async () => (await queueDepth(`${exchange}.beta.dead`)) === 1, 10_000, 100);
    expect(poisonRuns).toBe(3);

    const letter = (await beta.deadLetters.list()).nodes[0]!;
    expect(letter).toMatchObject({ eventId: envelope.id, type: 'poison.tested', orgId: envelope.orgId, attempts: 3, replayedAt: null, envelope });
    expect(letter.error).toMatch(/^Error: poisoned handler/);
    expect(letter.lastFailedAt.getTime() - letter.firstFailedAt.getTime()).toBeGreaterThanOrEqual(140);

    const failed = await beta.deadLetters.replay(letter.id);
    expect(failed.outcome).toBe('failed');
    expect((await beta.deadLetters.get(letter.id))?.attempts).toBe(4);
    expect((await beta.deadLetters.list({ status: 'all' })).nodes).toHaveLength(1);

    poisonFixed = true;
    expect((await beta.deadLetters.replay(letter.id)).outcome).toBe('applied');
    expect((await beta.deadLetters.replay(letter.id)).outcome).toBe('already_processed');
    expect((await effectCounts(beta.consumer.database)).get(envelope.id)).toBe(1);
    expect((await beta.deadLetters.get(letter.id))?.replayedAt).toBeInstanceOf(Date);
  });

  it('pages the dead letters, the latest failure first', async () => {
    const orgId = '00000000-0000-4000-8000-000000000003';
    poisonFixed = false;
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const envelope = await alpha.transaction((trx) => alpha.record(trx, 'poison.tested', orgId, { i }));
      ids.push(envelope.id);
      await waitFor(`dead letter ${i}`, async () => (await beta.deadLetters.list()).nodes.some((d) => d.eventId === envelope.id), 45_000);
    }
    const first = await beta.deadLetters.list({ first: 2 });
    expect(first.nodes.map((n) => n.eventId)).toEqual([ids[2], ids[1]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await beta.deadLetters.list({ first: 2, after: first.pageInfo.endCursor });
    expect(second.nodes.map((n) => n.eventId)).toEqual([ids[0]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    poisonFixed = true;
    expect(await beta.deadLetters.replayAll()).toMatchObject({ applied: 3, failed: 0 });
  });

  it('carries the trace through the broker: resolver → publish → process → the handler’s work', async () => {
    exporter.reset();
    const envelope = await trace.getTracer('test').startActiveSpan('resolver', async (span) => {
      try {
        return await alpha.transaction((trx) => alpha.record(trx, 'thing.created', '00000000-0000-4000-8000-000000000001', { note: 'traced' }));
      } finally {
        span.end();
      }
    });
    await waitFor('the process span', () => exporter.getFinishedSpans().some((s) => s.name === 'thing.created process'), 45_000);
    const spans = exporter.getFinishedSpans();
    const resolver = spans.find((s) => s.name === 'resolver')!;
    const publish = spans.find((s) => s.name === 'thing.created publish')!;
    const processSpan = spans.find((s) => s.name === 'thing.created process')!;
    const work = spans.find((s) => s.name === 'handler work')!;
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.parentSpanContext?.spanId).toBe(resolver.spanContext().spanId);
    expect(publish.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': exchange,
      'messaging.rabbitmq.destination.routing_key': 'thing.created',
      'messaging.message.id': envelope.id,
      'messaging.operation.type': 'send',
    });
    expect(processSpan.kind).toBe(SpanKind.CONSUMER);
    expect(processSpan.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(processSpan.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.id': envelope.id });
    expect(work.parentSpanContext?.spanId).toBe(processSpan.spanContext().spanId);
    for (const span of [publish, processSpan, work]) expect(span.spanContext().traceId).toBe(resolver.spanContext().traceId);
  });
});
