import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { sql } from 'kysely';
import { openDatabaseHost, type Database, type DatabaseHost } from '../../src/database';
import {
  createEnvelope,
  createTransport,
  DeadLetters,
  eventTables,
  EventConsumer,
  InProcessTransport,
  type EventEnvelope,
  type HandlerContext,
  type ProcessOutcome,
  type RetryPolicy,
  type Transport,
  type WorkQueue,
} from '../../src/events';
import { withDeadline } from '../../src/timeout';
import { capturingLogger, type TransportKind } from './consumer-harness';
import {
  AMQP_URL,
  createTestDatabase,
  deleteTopology,
  effectCounts,
  migrateTestService,
  queueDepth,
  randomName,
  waitFor,
  type TestDatabase,
  type TestTables,
} from './support';

const ORG = '00000000-0000-4000-8000-0000000000b1';
const SERVICE = 'worker';
const TASK = 'job.requested';
const WORK: WorkQueue = { name: 'slow-jobs', prefetch: 1 };
const RETRY: RetryPolicy = { maxAttempts: 3, delaysMs: [50, 100] };
/** Names the consumer's pool in pg_stat_activity, so the test sees that pool's transactions and no one else's. */
const APPLICATION = 'work-queue-consumer';

/** What a handler was told on one run. */
interface Run {
  id: string;
  attempt: number;
  replay: boolean;
  finalAttempt: boolean;
}

/** A promise the test resolves; a handler waiting on it gives up (throws) after a minute, so nothing hangs. */
function gate(): { open(): void; wait(): Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, wait: () => withDeadline(opened, 60_000, () => new Error('the test never opened the gate')) };
}

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
afterAll(() => provider.shutdown());

/**
 * A service's work queue beside its event queue (EventConsumer.onTask), on both transports: in-process on PGlite, and
 * this machine's RabbitMQ on a PostgreSQL database of its own (exchange and queues named at random, deleted after).
 * The service `worker` consumes events thing.created and poison.tested on its event queue, and tasks job.requested on
 * its work queue `slow-jobs` (prefetch 1). What a task does is said by its data: run, block until the test opens its
 * gate, or fail while the test wants it to.
 */
describe.each(['in-process', 'rabbitmq'] as TransportKind[])('work queue (%s)', (kind) => {
  const exchange = randomName('test.work-queue');
  const { logger, lines } = capturingLogger();
  let testDb: TestDatabase | undefined;
  let host: DatabaseHost;
  /** Another pool on the same PostgreSQL database: what a second client sees. */
  let observerHost: DatabaseHost | undefined;
  let database: Database<TestTables>;
  let transport: Transport;
  let consumer: EventConsumer<TestTables>;
  let deadLetters: DeadLetters<TestTables>;

  const taskRuns: Run[] = [];
  const eventRuns: Run[] = [];
  const outcomes: Array<{ id: string; outcome: ProcessOutcome }> = [];
  const gates = new Map<string, ReturnType<typeof gate>>();
  const started = new Set<string>();
  const finished = new Set<string>();
  const failing = new Set<string>();
  let poisonFixed = false;

  const run = (envelope: EventEnvelope, ctx: HandlerContext): Run => ({ id: envelope.id, attempt: ctx.attempt, replay: ctx.replay, finalAttempt: ctx.finalAttempt });
  const runsOf = (runs: Run[], id: string) => runs.filter((r) => r.id === id);
  const outcomesOf = (id: string) => outcomes.filter((o) => o.id === id).map((o) => o.outcome);

  function task(mode: 'run' | 'block' | 'fail'): EventEnvelope {
    const envelope = createEnvelope({ type: TASK, source: 'test', orgId: ORG, data: { mode } });
    if (mode === 'block') gates.set(envelope.id, gate());
    if (mode === 'fail') failing.add(envelope.id);
    return envelope;
  }

  const event = (type: 'thing.created' | 'poison.tested') => createEnvelope({ type, source: 'test', orgId: ORG, data: { note: 'event' } });
  const publish = (envelope: EventEnvelope) => transport.publish({ envelope, headers: {} });
  const processed = async (id: string) =>
    Boolean(await eventTables(database.db).selectFrom('processedEvents').select('eventId').where('eventId', '=', id).executeTakeFirst());

  /** Messages ready in one of the service's queues (`worker` or `worker.slow-jobs`), by the name the broker knows. */
  async function ready(queueService: string): Promise<number> {
    if (transport instanceof InProcessTransport) return transport.queueDepth(queueService);
    return queueDepth(transport.queueName(queueService));
  }

  async function deadQueued(queueService: string): Promise<number> {
    if (transport instanceof InProcessTransport) return transport.deadLettered(queueService).length;
    return queueDepth(transport.deadLetterQueueName(queueService));
  }

  beforeAll(async () => {
    testDb = kind === 'rabbitmq' ? await createTestDatabase() : undefined;
    host = openDatabaseHost(testDb ? { url: testDb.url, applicationName: APPLICATION } : { pgliteDir: 'memory' });
    observerHost = testDb ? openDatabaseHost({ url: testDb.url, applicationName: 'work-queue-observer' }) : undefined;
    database = host.forSchema<TestTables>(SERVICE);
    await migrateTestService(database);
    transport = createTransport({ amqpUrl: kind === 'rabbitmq' ? AMQP_URL : undefined, exchange }, { logger });
    consumer = new EventConsumer<TestTables>({
      service: SERVICE,
      database,
      transport,
      retry: RETRY,
      prefetch: 10,
      logger,
      handlers: {
        'thing.created': async (trx, envelope, ctx) => {
          eventRuns.push(run(envelope, ctx));
          await trx.insertInto('effects').values({ eventId: envelope.id, type: envelope.type, note: 'event' }).execute();
        },
        'poison.tested': async (trx, envelope, ctx) => {
          eventRuns.push(run(envelope, ctx));
          if (!poisonFixed) throw new Error('poisoned event handler');
          await trx.insertInto('effects').values({ eventId: envelope.id, type: envelope.type, note: 'fixed' }).execute();
        },
      },
    });
    consumer.onTask(TASK, WORK, async (envelope, ctx) => {
      taskRuns.push(run(envelope, ctx));
      started.add(envelope.id);
      const mode = envelope.data.mode;
      if (mode === 'fail' && failing.has(envelope.id)) throw new Error('the task failed');
      if (mode === 'block') {
        // Written through the pool, as a job's status row is; then the long part (a model call).
        await database.db.insertInto('effects').values({ eventId: envelope.id, type: envelope.type, note: 'task started' }).execute();
        await gates.get(envelope.id)!.wait();
      }
      await database.db.insertInto('effects').values({ eventId: envelope.id, type: envelope.type, note: 'task done' }).execute();
      finished.add(envelope.id);
    });
    const processEvent = consumer.process.bind(consumer);
    consumer.process = async (envelope, options) => {
      const outcome = await processEvent(envelope, options);
      outcomes.push({ id: envelope.id, outcome });
      return outcome;
    };
    deadLetters = new DeadLetters(consumer);
    await transport.start();
    await consumer.start();
  });

  afterAll(async () => {
    for (const g of gates.values()) g.open();
    await consumer?.stop();
    await transport?.close();
    await observerHost?.close();
    await host?.close();
    await testDb?.drop();
    if (kind === 'rabbitmq') await deleteTopology(exchange, `${exchange}.`, [SERVICE, `${SERVICE}.${WORK.name}`], RETRY);
  });

  it('consumes tasks from the work queue <prefix><service>.<name>, and events from the event queue only', async () => {
    const consuming = lines.filter((line) => line.msg === 'consuming events').map((line) => ({ queue: line.queue, types: line.types }));
    expect(consuming).toEqual(
      expect.arrayContaining([
        { queue: `${exchange}.${SERVICE}`, types: ['poison.tested', 'thing.created'] },
        { queue: `${exchange}.${SERVICE}.${WORK.name}`, types: [TASK] },
      ]),
    );
    expect(consuming).toHaveLength(2);

    // With nobody consuming, each message waits in its own queue: the task in the work queue, the event in the event queue.
    await consumer.stop();
    const job = task('run');
    const thing = event('thing.created');
    await publish(job);
    await publish(thing);
    expect(transport.queueName(`${SERVICE}.${WORK.name}`)).toBe(`${exchange}.${SERVICE}.${WORK.name}`);
    await waitFor('both messages to be queued', async () => (await ready(`${SERVICE}.${WORK.name}`)) === 1 && (await ready(SERVICE)) === 1, 10_000, 50);

    await consumer.start();
    await waitFor('the task and the event', async () => finished.has(job.id) && (await effectCounts(database)).get(thing.id) === 1, 30_000, 25);
    expect(runsOf(taskRuns, job.id)).toEqual([{ id: job.id, attempt: 1, replay: false, finalAttempt: false }]);
    expect(runsOf(eventRuns, job.id)).toEqual([]);
    expect(runsOf(taskRuns, thing.id)).toEqual([]);
    await waitFor('the task to be recorded as processed', () => processed(job.id), 10_000);
    expect(await ready(`${SERVICE}.${WORK.name}`)).toBe(0);
    expect(await ready(SERVICE)).toBe(0);
  });

  it('runs a task outside any database transaction, and records it as processed only once it returns', async () => {
    const job = task('block');
    await publish(job);
    await waitFor('the task to start', () => started.has(job.id), 30_000);
    await waitFor('the task to write its first row', async () => (await effectCounts(database)).get(job.id) === 1, 10_000);

    if (observerHost) {
      // PostgreSQL: another client sees the row at once, and the consumer's pool holds no transaction open.
      const observer = observerHost.forSchema<TestTables>(SERVICE);
      expect((await effectCounts(observer)).get(job.id)).toBe(1);
      const open = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where application_name = ${APPLICATION} and xact_start is not null`.execute(observer.db);
      expect(open.rows[0]?.n).toBe(0);
    } else {
      // PGlite has one connection: a transaction held by the consumer would queue this read behind the blocked task.
      const counts = await withDeadline(effectCounts(database), 10_000, () => new Error('the read waited for the running task: a transaction holds the connection'));
      expect(counts.get(job.id)).toBe(1);
    }
    expect(finished.has(job.id)).toBe(false);
    expect(await processed(job.id)).toBe(false);

    gates.get(job.id)!.open();
    await waitFor('the task to be recorded as processed', () => processed(job.id), 30_000);
    expect(finished.has(job.id)).toBe(true);
    expect(outcomesOf(job.id)).toEqual(['processed']);
  });

  it('a blocked task holds up neither the service’s events (prefetch 1 of its own) nor more than one task', async () => {
    const blocked = task('block');
    const next = task('run');
    await publish(blocked);
    await waitFor('the long task to start', () => started.has(blocked.id), 30_000);
    await publish(next);

    const thing = event('thing.created');
    await publish(thing);
    await waitFor('the event, while the task is blocked', async () => (await effectCounts(database)).get(thing.id) === 1, 30_000);
    expect(finished.has(blocked.id)).toBe(false);
    // The work queue's prefetch is 1: the second task waits for the first, whatever the event queue does.
    expect(started.has(next.id)).toBe(false);

    gates.get(blocked.id)!.open();
    await waitFor('both tasks', () => finished.has(blocked.id) && finished.has(next.id), 30_000);
    expect(runsOf(taskRuns, next.id)).toHaveLength(1);
  });

  it('runs a task once when the same envelope comes again, during its run or after it', async () => {
    const job = task('block');
    await publish(job);
    await waitFor('the task to start', () => started.has(job.id), 30_000);
    // A copy while it runs (prefetch 1: it waits its turn), then one after it has finished.
    await publish(job);
    gates.get(job.id)!.open();
    await waitFor('the run and the copy', () => outcomesOf(job.id).length === 2, 30_000);
    await publish(job);
    await waitFor('the later copy', () => outcomesOf(job.id).length === 3, 30_000);

    expect(outcomesOf(job.id)).toEqual(['processed', 'duplicate', 'duplicate']);
    expect(runsOf(taskRuns, job.id)).toHaveLength(1);
    const effects = await database.db.selectFrom('effects').select('note').where('eventId', '=', job.id).orderBy(sql`created_at`).execute();
    expect(effects.map((e) => e.note)).toEqual(['task started', 'task done']);
  });

  it('retries a failing task, dead-letters it from the work queue, and a replay runs it again as the final attempt', async () => {
    const job = task('fail');
    const eventDeadBefore = await deadQueued(SERVICE);
    await publish(job);
    await waitFor('the dead letter', async () => (await deadLetters.list()).nodes.some((d) => d.eventId === job.id), 30_000, 50);
    await waitFor('the work queue’s dead-letter queue', async () => (await deadQueued(`${SERVICE}.${WORK.name}`)) === 1, 10_000, 50);
    expect(await deadQueued(SERVICE)).toBe(eventDeadBefore);

    // finalAttempt is true on the last attempt only.
    expect(runsOf(taskRuns, job.id)).toEqual([
      { id: job.id, attempt: 1, replay: false, finalAttempt: false },
      { id: job.id, attempt: 2, replay: false, finalAttempt: false },
      { id: job.id, attempt: 3, replay: false, finalAttempt: true },
    ]);
    const letter = (await deadLetters.list()).nodes.find((d) => d.eventId === job.id)!;
    expect(letter).toMatchObject({ type: TASK, orgId: ORG, reason: 'handler_failed', attempts: 3, replayedAt: null, envelope: job });
    expect(letter.error).toMatch(/^Error: the task failed/);
    expect(await processed(job.id)).toBe(false);

    // Still failing: the replay is the final attempt again, and counts.
    expect((await deadLetters.replay(letter.id)).outcome).toBe('failed');
    expect(runsOf(taskRuns, job.id).slice(3)).toEqual([{ id: job.id, attempt: 4, replay: true, finalAttempt: true }]);
    expect((await deadLetters.get(letter.id))?.attempts).toBe(4);

    failing.delete(job.id);
    expect((await deadLetters.replay(letter.id)).outcome).toBe('applied');
    expect(runsOf(taskRuns, job.id).slice(4)).toEqual([{ id: job.id, attempt: 5, replay: true, finalAttempt: true }]);
    expect(finished.has(job.id)).toBe(true);
    expect(await processed(job.id)).toBe(true);
    expect((await deadLetters.get(letter.id))?.replayedAt).toBeInstanceOf(Date);

    expect((await deadLetters.replay(letter.id)).outcome).toBe('already_processed');
    expect(runsOf(taskRuns, job.id)).toHaveLength(5);
  });

  it('tells an event handler finalAttempt on its last attempt only, and on a replay', async () => {
    const poison = event('poison.tested');
    await publish(poison);
    await waitFor('the event’s dead letter', async () => (await deadLetters.list()).nodes.some((d) => d.eventId === poison.id), 30_000, 50);
    expect(runsOf(eventRuns, poison.id).map((r) => [r.attempt, r.finalAttempt, r.replay])).toEqual([
      [1, false, false],
      [2, false, false],
      [3, true, false],
    ]);
    const letter = (await deadLetters.list()).nodes.find((d) => d.eventId === poison.id)!;
    poisonFixed = true;
    expect((await deadLetters.replay(letter.id)).outcome).toBe('applied');
    expect(runsOf(eventRuns, poison.id).slice(3).map((r) => [r.attempt, r.finalAttempt, r.replay])).toEqual([[4, true, true]]);
  });

  it('names the work queue as the subscription of a task’s process span', async () => {
    exporter.reset();
    const job = task('run');
    await publish(job);
    await waitFor('the task', () => finished.has(job.id), 30_000);
    await waitFor('its process span', () => exporter.getFinishedSpans().some((s) => s.name === `${TASK} process` && s.attributes['messaging.message.id'] === job.id), 10_000);
    const span = exporter.getFinishedSpans().find((s) => s.name === `${TASK} process` && s.attributes['messaging.message.id'] === job.id)!;
    expect(span.attributes['messaging.destination.subscription.name']).toBe(`${exchange}.${SERVICE}.${WORK.name}`);
  });
});
