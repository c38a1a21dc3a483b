import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { openDatabaseHost, type DatabaseHost } from '../../src/database';
import {
  createEventBackbone,
  eventTables,
  InProcessTransport,
  type EventBackbone,
  type EventEnvelope,
  type ProcessOutcome,
} from '../../src/events';
import { effectCounts, migrateTestService, testLogger, waitFor, type TestTables } from './support';

/**
 * The embedded stack: PGlite in memory, one in-process transport shared by three services of one process.
 * alpha publishes; beta and gamma consume thing.created; beta also consumes poison.tested.
 */
describe('event backbone, in process (PGlite)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();

  let host: DatabaseHost;
  const transport = new InProcessTransport({ exchange: 'test.events', logger: testLogger });
  const config = { maxAttempts: 3, retryDelaysMs: [50, 100], outboxPollMs: 50 };
  let alpha: EventBackbone<TestTables>;
  let beta: EventBackbone<TestTables>;
  let gamma: EventBackbone<TestTables>;
  let poisonFixed = false;
  let poisonRuns = 0;
  const outcomes: Array<{ id: string; outcome: ProcessOutcome }> = [];

  beforeAll(async () => {
    host = openDatabaseHost({ pgliteDir: 'memory' });
    const databases = ['alpha', 'beta', 'gamma'].map((name) => host.forSchema<TestTables>(name));
    for (const database of databases) await migrateTestService(database);
    const [alphaDb, betaDb, gammaDb] = databases as [(typeof databases)[0], (typeof databases)[0], (typeof databases)[0]];

    alpha = createEventBackbone({ service: 'alpha', database: alphaDb, transport, config, logger: testLogger });
    beta = createEventBackbone({
      service: 'beta',
      database: betaDb,
      transport,
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
    gamma = createEventBackbone({
      service: 'gamma',
      database: gammaDb,
      transport,
      config,
      logger: testLogger,
      handlers: {
        'thing.created': async (trx, event) => {
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note: null }).execute();
        },
      },
    });
    const processEvent = beta.consumer.process.bind(beta.consumer);
    beta.consumer.process = async (envelope, options) => {
      const outcome = await processEvent(envelope, options);
      outcomes.push({ id: envelope.id, outcome });
      return outcome;
    };
    for (const backbone of [alpha, beta, gamma]) await backbone.start();
  });

  afterAll(async () => {
    for (const backbone of [alpha, beta, gamma]) await backbone?.stop();
    await transport.close();
    await host?.close();
    await provider.shutdown();
  });

  it('delivers a committed event to every consuming service exactly once; a rolled-back one never', async () => {
    const data = { note: 'hello', snake_key: 1, nested: { inner_key: [1, 2] } };
    const committed = await alpha.transaction((trx) => alpha.record(trx, 'thing.created', '00000000-0000-4000-8000-000000000001', data));
    let rolledBack: EventEnvelope | undefined;
    await expect(
      alpha.transaction(async (trx) => {
        rolledBack = await alpha.record(trx, 'thing.created', '00000000-0000-4000-8000-000000000001', { note: 'never' });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');

    await waitFor('both consumers to apply the event', async () =>
      (await effectCounts(beta.consumer.database)).get(committed.id) === 1 && (await effectCounts(gamma.consumer.database)).get(committed.id) === 1,
    );
    await alpha.relay.flush();
    expect(await alpha.relay.pending()).toBe(0);
    const betaEffects = await effectCounts(beta.consumer.database);
    expect(betaEffects.get(committed.id)).toBe(1);
    expect(betaEffects.has(rolledBack?.id ?? '')).toBe(false);
    expect((await effectCounts(gamma.consumer.database)).has(rolledBack?.id ?? '')).toBe(false);
    const outbox = await eventTables(alpha.consumer.database.db).selectFrom('outbox').select('id').execute();
    expect(outbox).toHaveLength(1);

    // The data arrived exactly as recorded: no key renamed on the way through jsonb and the CamelCasePlugin.
    const note = await beta.consumer.database.db.selectFrom('effects').select('note').where('eventId', '=', committed.id).executeTakeFirstOrThrow();
    expect(JSON.parse(note.note ?? '')).toEqual(data);
  });

  it('changes nothing when the same event is delivered again', async () => {
    const envelope = await alpha.transaction((trx) => alpha.record(trx, 'thing.created', '00000000-0000-4000-8000-000000000001', { note: 'twice' }));
    await waitFor('the first delivery', async () => (await effectCounts(beta.consumer.database)).get(envelope.id) === 1);

    await transport.publish({ envelope, headers: {} });
    await transport.publish({ envelope, headers: {} });
    await waitFor('two redeliveries', () => outcomes.filter((o) => o.id === envelope.id && o.outcome === 'duplicate').length === 2);
    expect(await beta.consumer.process(envelope)).toBe('duplicate');

    expect((await effectCounts(beta.consumer.database)).get(envelope.id)).toBe(1);
    expect((await effectCounts(gamma.consumer.database)).get(envelope.id)).toBe(1);
  });

  it('retries a failing handler, dead-letters it, and applies it once when replayed after the fix', async () => {
    const envelope = await alpha.transaction((trx) => alpha.record(trx, 'poison.tested', '00000000-0000-4000-8000-000000000002', { n: 1 }));
    await waitFor('the dead letter', async () => (await beta.deadLetters.list()).nodes.some((d) => d.eventId === envelope.id), 10_000);
    expect(poisonRuns).toBe(3);

    const [queued] = transport.deadLettered('beta');
    expect(queued?.envelope).toEqual(envelope);
    expect(queued?.error).toMatch(/poisoned handler/);
    expect(transport.deadLetterQueueName('beta')).toBe('test.events.beta.dead');

    const page = await beta.deadLetters.list();
    expect(page.nodes).toHaveLength(1);
    const letter = page.nodes[0];
    expect(letter).toMatchObject({ eventId: envelope.id, type: 'poison.tested', attempts: 3, replayedAt: null, envelope });
    expect(letter?.error).toMatch(/^Error: poisoned handler/);
    expect(letter!.firstFailedAt.getTime()).toBeLessThan(letter!.lastFailedAt.getTime());
    // Attempt 1, then 50 ms, then 100 ms: the delays grow.
    expect(letter!.lastFailedAt.getTime() - letter!.firstFailedAt.getTime()).toBeGreaterThanOrEqual(140);

    // A replay that fails again updates the row instead of adding one.
    const failed = await beta.deadLetters.replay(letter!.id);
    expect(failed.outcome).toBe('failed');
    const updated = await beta.deadLetters.get(letter!.id);
    expect(updated?.attempts).toBe(4);
    expect(updated!.lastFailedAt.getTime()).toBeGreaterThanOrEqual(letter!.lastFailedAt.getTime());
    expect((await beta.deadLetters.list({ status: 'all' })).nodes).toHaveLength(1);
    expect((await effectCounts(beta.consumer.database)).has(envelope.id)).toBe(false);

    poisonFixed = true;
    expect((await beta.deadLetters.replayAll()).applied).toBe(1);
    expect((await effectCounts(beta.consumer.database)).get(envelope.id)).toBe(1);
    expect((await beta.deadLetters.replay(letter!.id)).outcome).toBe('already_processed');
    expect((await effectCounts(beta.consumer.database)).get(envelope.id)).toBe(1);
    expect((await beta.deadLetters.list()).nodes).toHaveLength(0);
    expect((await beta.deadLetters.list({ status: 'replayed' })).nodes[0]?.replayedAt).toBeInstanceOf(Date);
  });

  it('continues the trace: resolver → publish (PRODUCER) → process (CONSUMER) → the handler’s work', async () => {
    exporter.reset();
    const tracer = trace.getTracer('test');
    const envelope = await tracer.startActiveSpan('resolver', async (span) => {
      try {
        return await alpha.transaction((trx) => alpha.record(trx, 'thing.created', '00000000-0000-4000-8000-000000000001', { note: 'traced' }));
      } finally {
        span.end();
      }
    });
    await waitFor('the traced event', async () => (await effectCounts(gamma.consumer.database)).get(envelope.id) === 1);
    await waitFor('beta’s span', () => exporter.getFinishedSpans().filter((s) => s.name === 'thing.created process').length === 2);

    const spans = exporter.getFinishedSpans();
    const resolver = spans.find((s) => s.name === 'resolver');
    const publish = spans.find((s) => s.name === 'thing.created publish');
    const processes = spans.filter((s) => s.name === 'thing.created process');
    const work = spans.find((s) => s.name === 'handler work');
    expect(resolver && publish && work).toBeTruthy();
    const traceId = resolver!.spanContext().traceId;
    expect(publish!.kind).toBe(SpanKind.PRODUCER);
    expect(publish!.spanContext().traceId).toBe(traceId);
    expect(publish!.parentSpanContext?.spanId).toBe(resolver!.spanContext().spanId);
    expect(publish!.attributes).toMatchObject({
      'messaging.system': 'in_process',
      'messaging.destination.name': 'test.events',
      'messaging.rabbitmq.destination.routing_key': 'thing.created',
      'messaging.message.id': envelope.id,
      'messaging.operation.type': 'send',
    });
    for (const span of processes) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(span.parentSpanContext?.spanId).toBe(publish!.spanContext().spanId);
      expect(span.attributes['messaging.operation.type']).toBe('process');
    }
    const betaProcess = processes.find((s) => s.attributes['messaging.consumer.group.name'] === 'beta');
    expect(work!.parentSpanContext?.spanId).toBe(betaProcess!.spanContext().spanId);
    expect(work!.spanContext().traceId).toBe(traceId);
  });
});
