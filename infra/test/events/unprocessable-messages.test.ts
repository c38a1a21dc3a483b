import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { deadLetterKey } from '../../src/events';
import { eventsMalformed } from '../../src/metrics';
import { startConsumer, type ConsumerHarness, type TransportKind } from './consumer-harness';
import { effectCounts, queueDepth, waitFor } from './support';

const ORG = '00000000-0000-4000-8000-0000000000a1';
const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const catalog = { 'thing.created': z.object({ note: z.string() }) };

function envelope(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type: 'thing.created',
    source: 'alpha',
    occurredAt: new Date().toISOString(),
    orgId: ORG,
    data: { note: 'fine' },
    ...overrides,
  };
}

async function malformedCount(service: string, reason: string): Promise<number> {
  const metric = await eventsMalformed.get();
  return metric.values.find((v) => v.labels.service === service && v.labels.reason === reason)?.value ?? 0;
}

/**
 * Messages no retry can fix, as a misbehaving publisher puts them on the exchange: each is dead-lettered at once,
 * exactly once, with its raw body and the reason, and the queue moves on. Both transports, as they share runDelivery.
 */
describe.each(['in-process', 'rabbitmq'] as TransportKind[])('unprocessable messages (%s)', (kind) => {
  const service = `beta_${kind.replace('-', '_')}`;
  let consumer: ConsumerHarness;
  let handlerRuns = 0;

  beforeAll(async () => {
    consumer = await startConsumer(kind, {
      service,
      catalog,
      retry: RETRY,
      handlers: {
        'thing.created': async (trx, event) => {
          handlerRuns += 1;
          // Typed by the catalog: no cast.
          const note: string = event.data.note;
          await trx.insertInto('effects').values({ eventId: event.id, type: event.type, note }).execute();
        },
      },
    });
  });
  afterAll(() => consumer?.stop());

  /**
   * Publishes `body`, waits until its copy is in the dead-letter queue (the positive signal that the consumer is done
   * with it: a message is acked only once that copy is confirmed), then checks that a good event still goes through.
   */
  async function deadLettered(body: Buffer | string): Promise<void> {
    const before = await consumer.deadQueueDepth();
    await consumer.publishRaw('thing.created', body);
    await waitFor('the dead-letter queue', async () => (await consumer.deadQueueDepth()) === before + 1, 30_000, 50);
    const good = envelope({ data: { note: 'after' } });
    await consumer.publishRaw('thing.created', JSON.stringify(good));
    await waitFor('a later good event', async () => (await effectCounts(consumer.database)).get(good.id) === 1, 30_000, 50);
  }

  it.each([
    ['an envelope whose orgId is not a UUID', 'not_envelope', () => JSON.stringify(envelope({ orgId: 'acme' })), /orgId/],
    ['a body that is not JSON (nor UTF-8, with a NUL)', 'not_json', () => Buffer.from([0x7b, 0xff, 0x00, 0x6e, 0x6f]), /not JSON/],
    ['JSON that is not an envelope', 'not_envelope', () => JSON.stringify({ hello: 'world', orgId: ORG }), /not an event envelope/],
  ] as const)('%s: one dead letter at once, of no organization, with the raw body and the reason', async (_what, reason, makeBody, error) => {
    const body = makeBody();
    const counted = await malformedCount(service, reason);
    const runs = handlerRuns;
    await deadLettered(body);

    const rows = (await consumer.deadLetterRows()).filter((row) => row.eventId === deadLetterKey(body));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'thing.created', orgId: null, reason, attempts: 1 });
    expect(rows[0]!.body.equals(Buffer.isBuffer(body) ? body : Buffer.from(body))).toBe(true);
    expect(rows[0]!.error).toMatch(error);
    expect(await malformedCount(service, reason)).toBe(counted + 1);
    expect(handlerRuns).toBe(runs + 1); // the good event's only
  });

  it('an envelope whose payload fails its schema: one dead letter at once, in its organization, never reaching the handler', async () => {
    const bad = envelope({ data: { note: 42 } });
    const body = JSON.stringify(bad);
    const counted = await malformedCount(service, 'invalid_payload');
    const runs = handlerRuns;
    await deadLettered(body);

    const rows = (await consumer.deadLetterRows()).filter((row) => row.eventId === bad.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'thing.created', orgId: ORG, reason: 'invalid_payload', attempts: 1 });
    expect(rows[0]!.body.toString('utf8')).toBe(body);
    expect(rows[0]!.error).toMatch(/invalid payload for thing\.created: data\.note/);
    expect(await malformedCount(service, 'invalid_payload')).toBe(counted + 1);
    expect(handlerRuns).toBe(runs + 1);

    // The API's view: in the organization's list, with the envelope; replaying it fails the same way.
    const listed = await consumer.backbone.deadLetters.list({ orgId: ORG });
    const letter = listed.nodes.find((node) => node.eventId === bad.id);
    expect(letter).toMatchObject({ reason: 'invalid_payload', envelope: bad, body });
    expect((await consumer.backbone.deadLetters.replay(letter!.id, ORG)).outcome).toBe('failed');
  });

  it('the same malformed body delivered again updates its one row', async () => {
    const body = 'this is { not json';
    await deadLettered(body);
    await deadLettered(body);
    const rows = (await consumer.deadLetterRows()).filter((row) => row.eventId === deadLetterKey(body));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'not_json', attempts: 2 });
    // Only operators see it: no organization's list has it.
    expect((await consumer.backbone.deadLetters.list({ orgId: ORG })).nodes.some((n) => n.eventId === deadLetterKey(body))).toBe(false);
    expect((await consumer.backbone.deadLetters.list()).nodes.some((n) => n.eventId === deadLetterKey(body))).toBe(true);
  });

  if (kind === 'rabbitmq') {
    it('leaves nothing waiting in a retry queue', async () => {
      for (const delay of RETRY.delaysMs) expect(await queueDepth(`${consumer.exchange}.${service}.retry.${delay}`)).toBe(0);
    });
  }
});
