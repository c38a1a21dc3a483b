import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabaseHost, type DatabaseHost } from '../../src/database';
import { domainEventCatalog, domainEventRecorder, type DomainEvents, type EventRecorder } from '../../src/domain-events';
import { createEventBackbone, EventConsumer, eventTables, InProcessTransport, type EventBackbone } from '../../src/events';
import { migrateTestService, testLogger, type TestTables } from './support';

const ORG = '00000000-0000-4000-8000-0000000000c3';

/**
 * The catalogue of domain events at publish: the recorder resolvers use refuses a payload its schema refuses (a
 * programming error) and writes nothing; what it writes is what the schema read.
 */
describe('the event catalogue when publishing', () => {
  let host: DatabaseHost;
  const transport = new InProcessTransport({ exchange: 'test.catalog', logger: testLogger });
  let backbone: EventBackbone<TestTables>;
  let recorder: EventRecorder<TestTables>;

  beforeAll(async () => {
    host = openDatabaseHost({ pgliteDir: 'memory' });
    const database = host.forSchema<TestTables>('publisher');
    await migrateTestService(database);
    backbone = createEventBackbone({ service: 'publisher', database, transport, catalog: domainEventCatalog, logger: testLogger });
    recorder = domainEventRecorder(backbone);
  });
  afterAll(async () => {
    await backbone?.stop();
    await transport.close();
    await host?.close();
  });

  const outboxRows = () => eventTables(backbone.consumer.database.db).selectFrom('outbox').select(['id', 'type']).execute();

  it('records a valid payload, as its schema reads it', async () => {
    const brandId = randomUUID();
    const data = { brandId, name: 'Acme', website: null, industry: null, extra: 'left out' } as DomainEvents['brand.created'];
    const envelope = await backbone.transaction((trx) => backbone.record(trx, 'brand.created', ORG, data));
    expect(envelope.data).toEqual({ brandId, name: 'Acme', website: null, industry: null });
    expect((await outboxRows()).map((r) => r.id)).toContain(envelope.id);
  });

  it.each([
    ['a missing field', { brandId: randomUUID(), name: 'Acme', website: null }, /data\.industry/],
    ['a wrong type', { brandId: randomUUID(), name: 42, website: null, industry: null }, /data\.name/],
    ['an id that is not a UUID', { brandId: 'brand-1', name: 'Acme', website: null, industry: null }, /data\.brandId/],
  ])('refuses %s and writes nothing, even when the caller commits anyway', async (_what, data, problem) => {
    const before = await outboxRows();
    await backbone.transaction(async (trx) => {
      // The cast is the point: a payload the types would have caught, sent anyway (say, from untyped data).
      await expect(recorder.record(trx, 'brand.created', ORG, data as unknown as DomainEvents['brand.created'])).rejects.toThrow(problem);
    });
    expect(await outboxRows()).toEqual(before);
  });

  it('refuses an event type outside the catalogue and an orgId that is not a UUID', async () => {
    const before = await outboxRows();
    await backbone.transaction(async (trx) => {
      await expect(backbone.record(trx, 'brand.renamed', ORG, { brandId: randomUUID() })).rejects.toThrow(/not in the event catalog/);
      const data = { brandId: randomUUID(), name: 'Acme', website: null, industry: null };
      await expect(recorder.record(trx, 'brand.created', 'acme', data)).rejects.toThrow(/orgId/);
    });
    expect(await outboxRows()).toEqual(before);
  });

  it('refuses a handler for a type outside the catalogue', () => {
    expect(
      () =>
        new EventConsumer({
          service: 'consumer',
          database: backbone.consumer.database,
          transport,
          catalog: domainEventCatalog,
          handlers: { 'brand.renamed': async () => undefined },
        }),
    ).toThrow(/brand\.renamed is not in the event catalog/);
  });
});
