import type { Logger } from 'pino';
import { pino } from 'pino';
import { AMQP_URL, createTestDatabase, deleteTopology, publishRaw, queueDepth, randomName } from '@umt/test-support';
import { openDatabaseHost, type Database } from '../../src/database';
import { createEventBackbone, eventTables, InProcessTransport, type EventBackbone, type EventCatalog, type EventHandlers, type RetryPolicy } from '../../src/events';
import { migrateTestService, testLogger, type TestTables } from './support';

export type TransportKind = 'in-process' | 'rabbitmq';

/** One consuming service under test, on either transport, with the means to feed it raw message bodies. */
export interface ConsumerHarness {
  backbone: EventBackbone<TestTables>;
  database: Database<TestTables>;
  /** The queue's exchange (and queue prefix). */
  exchange: string;
  /** Puts a body on the exchange as a misbehaving publisher would: no checks. */
  publishRaw(routingKey: string, body: Buffer | string): Promise<void>;
  /** Messages in the service's dead-letter queue. */
  deadQueueDepth(): Promise<number>;
  /** The service's dead_letters rows, raw. */
  deadLetterRows(): Promise<Array<{ eventId: string; type: string; orgId: string | null; reason: string; attempts: number; body: Buffer; error: string }>>;
  stop(): Promise<void>;
}

/**
 * Starts `service` consuming with `handlers` (and `catalog`): in-process on PGlite, or over this machine's RabbitMQ
 * (an exchange of its own, deleted by stop()) on a PostgreSQL database of its own.
 */
export async function startConsumer<C extends EventCatalog>(
  kind: TransportKind,
  options: { service: string; catalog?: C; handlers: EventHandlers<TestTables, C>; retry: RetryPolicy; logger?: Logger },
): Promise<ConsumerHarness> {
  const exchange = randomName('test.unprocessable');
  const testDb = kind === 'rabbitmq' ? await createTestDatabase() : undefined;
  const host = openDatabaseHost(testDb ? { url: testDb.url } : { pgliteDir: 'memory' });
  const database = host.forSchema<TestTables>(options.service);
  await migrateTestService(database);
  const logger = options.logger ?? testLogger;
  const transport = kind === 'in-process' ? new InProcessTransport({ exchange, logger }) : undefined;
  const backbone = createEventBackbone<TestTables, C>({
    service: options.service,
    database,
    ...(transport ? { transport } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    handlers: options.handlers,
    config: {
      ...(kind === 'rabbitmq' ? { amqpUrl: AMQP_URL } : {}),
      exchange,
      maxAttempts: options.retry.maxAttempts,
      retryDelaysMs: options.retry.delaysMs,
      ...(options.retry.deadLetterRecordAttempts ? { deadLetterRecordAttempts: options.retry.deadLetterRecordAttempts } : {}),
      outboxPollMs: 50,
    },
    logger,
  });
  await backbone.start();
  return {
    backbone,
    database,
    exchange,
    publishRaw: (routingKey, body) => (transport ? transport.publishRaw(routingKey, body) : publishRaw(exchange, routingKey, body)),
    deadQueueDepth: async () => (transport ? transport.deadLettered(options.service).length : queueDepth(`${exchange}.${options.service}.dead`)),
    async deadLetterRows() {
      const rows = await eventTables(database.db)
        .selectFrom('deadLetters')
        .select(['eventId', 'type', 'orgId', 'reason', 'attempts', 'body', 'error'])
        .orderBy('firstFailedAt')
        .execute();
      // pg reads bytea as a Buffer, PGlite as a Uint8Array.
      return rows.map((row) => ({ ...row, body: Buffer.from(row.body ?? new Uint8Array()) }));
    },
    async stop() {
      await backbone.stop();
      await transport?.close();
      await host.close();
      await testDb?.drop();
      if (kind === 'rabbitmq') await deleteTopology(exchange, `${exchange}.`, [options.service], options.retry);
    },
  };
}

/** A logger that keeps every line it writes (as parsed JSON), for waiting on what the code under test reported. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}
