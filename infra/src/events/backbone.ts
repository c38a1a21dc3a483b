import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../database';
import { deadLetterCount, outboxBacklog, outboxOldestAge } from '../metrics';
import { AmqpTransport, type AmqpTransportOptions } from './amqp-transport';
import type { EventCatalog } from './catalog';
import { DEFAULT_EVENT_CONFIG, type EventConfig } from './config';
import { EventConsumer, type EventHandler, type EventHandlers } from './consumer';
import { DeadLetters } from './dead-letters';
import type { EventData, EventEnvelope } from './envelope';
import { InProcessTransport } from './in-process-transport';
import { recordEvent } from './outbox';
import { OutboxRelay, type OutboxRelayOptions } from './relay';
import { forService, silentLogger } from './silent-logger';
import { transportHealthy, type Transport } from './transport';

export interface CreateTransportOptions {
  logger?: Logger;
  /** Further AMQP settings (timeouts, heartbeat, connection name). */
  amqp?: Omit<AmqpTransportOptions, 'url' | 'exchange' | 'queuePrefix' | 'logger'>;
}

/** RabbitMQ when the configuration has an AMQP URL, the in-process transport otherwise. */
export function createTransport(
  config: Pick<EventConfig, 'amqpUrl' | 'exchange'> & Partial<Pick<EventConfig, 'queuePrefix' | 'publishTimeoutMs' | 'connectTimeoutMs'>>,
  options: CreateTransportOptions = {},
): Transport {
  const common = {
    exchange: config.exchange,
    ...(config.queuePrefix !== undefined ? { queuePrefix: config.queuePrefix } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const deadlines = {
    ...(config.publishTimeoutMs !== undefined ? { publishTimeoutMs: config.publishTimeoutMs } : {}),
    ...(config.connectTimeoutMs !== undefined ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
  };
  if (config.amqpUrl) return new AmqpTransport({ ...deadlines, ...options.amqp, ...common, url: config.amqpUrl });
  return new InProcessTransport(common);
}

export interface EventBackboneOptions<DB, C extends EventCatalog = EventCatalog> {
  /** The subgraph: `source` of what it records, name of its queue. */
  service: string;
  database: Database<DB>;
  /** A transport shared with other services of the process; without one, the backbone creates and owns its own. */
  transport?: Transport;
  /**
   * The schemas of the events' payloads (a subgraph gets the domain catalog, infra/src/domain-events.ts). With one,
   * record() refuses a type outside it or an invalid payload, and the consumer dead-letters an invalid payload at
   * once. Without one, any well-formed envelope goes.
   */
  catalog?: C;
  /** Handlers of the events the service consumes, by type, typed by the catalog. More can be added with on() before start(). */
  handlers?: EventHandlers<DB, C>;
  config?: Partial<EventConfig>;
  logger?: Logger;
  relay?: Pick<OutboxRelayOptions, 'batchSize' | 'wakePollMs' | 'wakeWindowMs' | 'backoff'>;
  /**
   * How long stop() spends delivering what is left in the outbox. Default 5 s: well inside the 10 s a standalone
   * service allows its whole shutdown, so that pools still close and traces still flush.
   */
  flushTimeoutMs?: number;
}

export interface EventBackbone<DB> {
  readonly service: string;
  readonly transport: Transport;
  readonly relay: OutboxRelay;
  readonly consumer: EventConsumer<DB>;
  /** The service's dead letters: list (newest failure first, paged), get, replay, replayAll. */
  readonly deadLetters: DeadLetters<DB>;
  /**
   * Records an event in `trx`, the transaction that makes the change, and wakes the relay. Published after the
   * transaction commits, never if it rolls back. Throws, recording nothing, when the catalog refuses the payload.
   */
  record<D extends EventData>(trx: Kysely<DB>, type: string, orgId: string, data: D): Promise<EventEnvelope<D>>;
  /** Runs `fn` in a transaction and wakes the relay once it has committed: the prompt way to record events. */
  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** Adds a handler (before start()). */
  on(type: string, handler: EventHandler<DB>): EventBackbone<DB>;
  /** Tells the relay that events were committed (for callers that record in their own transactions). */
  wake(): void;
  /** Connects, declares the topology, starts consuming and relaying. */
  start(): Promise<void>;
  /** Stops consuming (in-flight handlers finish), stops the relay, flushes the outbox, closes an owned transport. */
  stop(): Promise<void>;
}

/**
 * Wires a subgraph to the event backbone:
 *
 * ```ts
 * const events = createEventBackbone({ service: 'brand', database, transport, config, logger,
 *   handlers: { 'content.published': async (trx, event) => { … } } });
 * await events.start();
 * // in a resolver:
 * await events.transaction(async (trx) => { …insert the brand…; await events.record(trx, 'brand.created', orgId, { brandId }); });
 * // at shutdown:
 * await events.stop();
 * ```
 * The service's migrations must include `eventMigrations`.
 *
 * Queues exist from the moment their consumer first starts: a broker drops an event no queue is bound to yet. With
 * RabbitMQ that only matters on the very first deployment (queues are durable); with the in-process transport it
 * matters at every start, so a process hosting several services starts every consumer before any relay:
 * `for (const b of backbones) await b.consumer.start(); for (const b of backbones) await b.start();`.
 */
export function createEventBackbone<DB, C extends EventCatalog = EventCatalog>(options: EventBackboneOptions<DB, C>): EventBackbone<DB> {
  const config: EventConfig = { ...DEFAULT_EVENT_CONFIG, ...options.config };
  const logger = forService(options.logger ?? silentLogger, options.service);
  const ownsTransport = !options.transport;
  const transport = options.transport ?? createTransport(config, { logger, amqp: { connectionName: `umt-${options.service}` } });
  const consumer = new EventConsumer<DB>({
    service: options.service,
    database: options.database,
    transport,
    // Each handler is typed by its catalog schema; the consumer checks every payload against it before the call.
    ...(options.handlers ? { handlers: options.handlers } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    retry: { maxAttempts: config.maxAttempts, delaysMs: config.retryDelaysMs, deadLetterRecordAttempts: config.deadLetterRecordAttempts },
    prefetch: config.prefetch,
    logger,
  });
  const relay = new OutboxRelay({
    ...options.relay,
    database: options.database as Database<unknown>,
    transport,
    service: options.service,
    pollMs: config.outboxPollMs,
    retentionSeconds: config.outboxRetentionHours * 3600,
    logger,
  });
  const deadLetters = new DeadLetters(consumer);
  let stopping: Promise<void> | undefined;
  // Read at each scrape (a failing read, e.g. before the migrations ran, is skipped); removed at stop.
  const service = { service: options.service };
  const unobserve = [
    outboxBacklog.source(service, () => relay.pending()),
    outboxOldestAge.source(service, () => relay.oldestPendingAgeSeconds()),
    deadLetterCount.source(service, () => deadLetters.pendingCount()),
  ];

  const backbone: EventBackbone<DB> = {
    service: options.service,
    transport,
    relay,
    consumer,
    deadLetters,
    async record(trx, type, orgId, data) {
      const envelope = await recordEvent(trx, { type, source: options.service, orgId, data }, options.catalog);
      relay.wake();
      return envelope;
    },
    async transaction(fn) {
      const result = await options.database.db.transaction().execute(fn);
      relay.wake();
      return result;
    },
    on(type, handler) {
      consumer.on(type, handler);
      return backbone;
    },
    wake() {
      relay.wake();
    },
    async start() {
      await transport.start();
      await consumer.start();
      relay.start();
    },
    stop() {
      stopping ??= (async () => {
        for (const remove of unobserve.splice(0)) remove();
        await consumer.stop();
        await relay.stop();
        if (!transportHealthy(transport)) {
          // Nothing can be delivered now; waiting would only delay the exit. The rows are safe in the outbox.
          logger.warn('broker unreachable at shutdown: events left in the outbox are sent at the next start');
        } else {
          try {
            await relay.flush(options.flushTimeoutMs ?? 5_000);
          } catch (error) {
            logger.warn({ err: error }, 'events left in the outbox at shutdown; they will be sent at the next start');
          }
        }
        if (ownsTransport) await transport.close();
      })();
      return stopping;
    },
  };
  return backbone;
}
