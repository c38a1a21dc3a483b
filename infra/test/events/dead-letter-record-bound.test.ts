import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { deadLetterKey } from '../../src/events';
import { eventsParked } from '../../src/metrics';
import { capturingLogger, startConsumer, type ConsumerHarness, type TransportKind } from './consumer-harness';
import { effectCounts, waitFor } from './support';

const ORG = '00000000-0000-4000-8000-0000000000b2';
const BOUND = 3;
// The longest delay (one round) leaves the last test ample time to bring the table back within the bound.
const RETRY = { maxAttempts: 2, delaysMs: [50, 400], deadLetterRecordAttempts: BOUND };

async function parkedCount(service: string, reason: string): Promise<number> {
  const metric = await eventsParked.get();
  return metric.values.find((v) => v.labels.service === service && v.labels.reason === reason)?.value ?? 0;
}

/**
 * When the dead letter itself cannot be recorded (here: the service's dead_letters table is renamed away, so the
 * recorder alone fails while handlers keep working), a message goes round the longest delay at most
 * EVENT_DEAD_LETTER_RECORD_ATTEMPTS times, then is parked in the dead-letter queue without a row, with an error log
 * and umt_events_parked_total; it never circulates for ever. Both transports.
 */
describe.each(['in-process', 'rabbitmq'] as TransportKind[])('recording a dead letter that keeps failing (%s)', (kind) => {
  const service = `gamma_${kind.replace('-', '_')}`;
  const { logger, lines } = capturingLogger();
  let consumer: ConsumerHarness;
  let failingRuns = 0;

  const envelope = (type: string, data: Record<string, unknown>) =>
    JSON.stringify({ id: randomUUID(), type, source: 'alpha', occurredAt: new Date().toISOString(), orgId: ORG, data });
  const recorderBroken = (broken: boolean) =>
    sql`alter table ${sql.table(`${service}.${broken ? 'dead_letters' : 'dead_letters_away'}`)} rename to ${sql.raw(broken ? 'dead_letters_away' : 'dead_letters')}`.execute(
      consumer.database.db,
    );
  const recordFailures = () => lines.filter((l) => l.msg === 'could not record a dead letter; will try again').length;

  beforeAll(async () => {
    consumer = await startConsumer(kind, {
      service,
      retry: RETRY,
      logger,
      handlers: {
        'thing.created': async (trx, event) => {
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note: null }).execute();
        },
        'thing.failed': async () => {
          failingRuns += 1;
          throw new Error('this handler always fails');
        },
      },
    });
  });
  afterAll(() => consumer?.stop());
  afterEach(async () => {
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${service} and table_name = 'dead_letters_away'`.execute(consumer.database.db);
    if (tables.rows[0]?.n) await recorderBroken(false);
  });

  it('a malformed message is parked after the bound, without a row; the queue keeps flowing', async () => {
    const body = `not json ${randomUUID()}`;
    const parked = await parkedCount(service, 'not_json');
    const deadBefore = await consumer.deadQueueDepth();
    await recorderBroken(true);
    await consumer.publishRaw('thing.created', body);
    await waitFor('the message to be parked', async () => (await parkedCount(service, 'not_json')) === parked + 1, 30_000, 50);
    expect(await consumer.deadQueueDepth()).toBe(deadBefore + 1);
    const parkedLine = lines.find((l) => l.level === 50 && String(l.msg).startsWith('could not record a dead letter in any round'));
    expect(parkedLine).toMatchObject({ reason: 'not_json', recordFailures: BOUND });

    await recorderBroken(false);
    const good = JSON.parse(envelope('thing.created', {})) as { id: string };
    await consumer.publishRaw('thing.created', JSON.stringify(good));
    await waitFor('a later good event', async () => (await effectCounts(consumer.database)).get(good.id) === 1, 30_000, 50);
    expect((await consumer.deadLetterRows()).some((row) => row.eventId === deadLetterKey(body))).toBe(false);
  });

  it('a failing handler: its attempts, then one more per round, then parked', async () => {
    const parked = await parkedCount(service, 'handler_failed');
    const runs = failingRuns;
    await recorderBroken(true);
    await consumer.publishRaw('thing.failed', envelope('thing.failed', { n: 1 }));
    await waitFor('the event to be parked', async () => (await parkedCount(service, 'handler_failed')) === parked + 1, 30_000, 50);
    // Each round runs the handler once more (it may work by then), the first round's run being the last attempt.
    expect(failingRuns - runs).toBe(RETRY.maxAttempts + BOUND - 1);
  });

  it('a database back within the bound gets the dead letter, once', async () => {
    const body = `still not json ${randomUUID()}`;
    const parked = await parkedCount(service, 'not_json');
    const failuresBefore = recordFailures();
    await recorderBroken(true);
    await consumer.publishRaw('thing.created', body);
    await waitFor('a failed recording', () => recordFailures() > failuresBefore, 30_000, 10);
    await recorderBroken(false);
    await waitFor('the dead letter', async () => (await consumer.deadLetterRows()).some((row) => row.eventId === deadLetterKey(body)), 30_000, 50);
    const rows = (await consumer.deadLetterRows()).filter((row) => row.eventId === deadLetterKey(body));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'not_json', orgId: null });
    expect(await parkedCount(service, 'not_json')).toBe(parked);
  });
});
