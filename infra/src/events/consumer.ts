import { context, SpanKind } from '@opentelemetry/api';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../database';
import type { EventData, EventEnvelope } from './envelope';
import { assertEventType } from './envelope';
import { inCatalog, payloadToConsume, type CatalogEvents, type EventCatalog } from './catalog';
import { eventProcessingDuration, eventsDeadLettered } from '../metrics';
import { recordDeadLetter } from './dead-letters';
import { forService, silentLogger } from './silent-logger';
import { eventTables, type EventTables } from './tables';
import { extractTraceContext, inSpan, messagingAttributes } from './tracing';
import type { DeadLetterRecord, IncomingEvent, RetryPolicy, Subscription, SubscriptionHandle, Transport } from './transport';

export interface HandlerContext {
  /** The service's logger, with the event's id and type. */
  log: Logger;
  /** 1 on the first delivery; replays count as attempts after the dead-lettering. */
  attempt: number;
  /** True when an operator replays a dead letter. */
  replay: boolean;
}

/**
 * Applies one event's effects inside `trx`, which also records the event as processed: commit makes both
 * durable at once, and a redelivered event never reaches the handler again. Throw to have the event retried.
 * With a catalog, `envelope.data` has passed its type's schema (and is what the schema read).
 */
export type EventHandler<DB, D extends EventData = EventData> = (trx: Transaction<DB>, envelope: EventEnvelope<D>, ctx: HandlerContext) => Promise<void>;

/** Handlers by event type; with a catalog C, each one's payload is typed by the catalog's schema. */
export type EventHandlers<DB, C extends EventCatalog = EventCatalog> = { [K in keyof C & string]?: EventHandler<DB, CatalogEvents<C>[K]> };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, delaysMs: [1000, 5000, 30000, 120000] };
export const DEFAULT_PREFETCH = 20;

export interface EventConsumerOptions<DB> {
  service: string;
  database: Database<DB>;
  transport: Transport;
  handlers?: EventHandlers<DB>;
  /** Schemas of the payloads: each delivery's is checked before its handler runs, an invalid one is dead-lettered at once. */
  catalog?: EventCatalog;
  retry?: RetryPolicy;
  prefetch?: number;
  logger?: Logger;
}

export interface ProcessOptions {
  /** Message headers; their trace context becomes the process span's parent. */
  headers?: Record<string, string>;
  attempt?: number;
  /** A replay continues the caller's trace instead of the message's. */
  replay?: boolean;
  /** Runs in the same transaction, after the handler (or instead of it for an event already processed). */
  within?: (trx: Kysely<EventTables>) => Promise<void>;
}

/** 'duplicate': the event had been processed already, so nothing was applied. */
export type ProcessOutcome = 'processed' | 'duplicate';

/** The events one service consumes: idempotent handlers, each in a transaction, traced as CONSUMER spans. */
export class EventConsumer<DB> {
  readonly service: string;
  readonly database: Database<DB>;
  readonly transport: Transport;
  private readonly handlers = new Map<string, EventHandler<DB>>();
  private readonly catalog: EventCatalog | undefined;
  private readonly retry: RetryPolicy;
  private readonly prefetch: number;
  private readonly log: Logger;
  private handle: SubscriptionHandle | undefined;
  private started = false;

  constructor(options: EventConsumerOptions<DB>) {
    this.service = options.service;
    this.database = options.database;
    this.transport = options.transport;
    this.catalog = options.catalog;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.prefetch = options.prefetch ?? DEFAULT_PREFETCH;
    this.log = forService(options.logger ?? silentLogger, this.service, { component: 'event-consumer' });
    if (this.retry.maxAttempts < 1) throw new Error(`${this.service}: maxAttempts must be at least 1`);
    for (const [type, handler] of Object.entries(options.handlers ?? {})) if (handler) this.on(type, handler);
  }

  /** Registers the handler of one event type; before start() only. With a catalog, the type must be in it. */
  on(type: string, handler: EventHandler<DB>): this {
    assertEventType(type);
    if (this.catalog && !inCatalog(this.catalog, type)) throw new Error(`${this.service}: ${type} is not in the event catalog`);
    if (this.started) throw new Error(`${this.service}: register handlers before start() (got ${type})`);
    if (this.handlers.has(type)) throw new Error(`${this.service}: a handler for ${type} is already registered`);
    this.handlers.set(type, handler);
    return this;
  }

  get types(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Declares the service's queue, bound to every handled type, and starts consuming. Without handlers, does nothing. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.handlers.size === 0) return;
    const subscription: Subscription = {
      service: this.service,
      types: this.types,
      retry: this.retry,
      prefetch: this.prefetch,
      handle: (event) => this.handleDelivery(event),
      deadLetter: (record) => this.recordDeadLetter(record),
    };
    this.handle = await this.transport.subscribe(subscription);
    this.log.info({ queue: this.handle.queue, types: this.types }, 'consuming events');
  }

  /** Stops consuming and waits for the deliveries in flight; start() may be called again. */
  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.started = false;
    await handle?.close();
  }

  /**
   * The idempotent consuming path, shared by deliveries and replays: check the payload against the catalog (an
   * invalid one throws UnprocessableMessageError, before anything is written), then in one transaction record the
   * event id in processed_events (ON CONFLICT DO NOTHING) and, only if it was not there, run the handler. Throws
   * what the handler throws (the transaction is rolled back).
   */
  async process(envelope: EventEnvelope, options: ProcessOptions = {}): Promise<ProcessOutcome> {
    const stopTimer = eventProcessingDuration.startTimer({ service: this.service, event_type: envelope.type });
    try {
      const outcome = await this.processInSpan(envelope, options);
      stopTimer({ outcome });
      return outcome;
    } catch (error) {
      stopTimer({ outcome: 'failed' });
      throw error;
    }
  }

  private processInSpan(envelope: EventEnvelope, options: ProcessOptions): Promise<ProcessOutcome> {
    const handler = this.handlers.get(envelope.type);
    const attempt = options.attempt ?? 1;
    const replay = options.replay ?? false;
    const parent = replay ? context.active() : extractTraceContext(options.headers);
    return inSpan(
      `${envelope.type} process`,
      {
        kind: SpanKind.CONSUMER,
        parent,
        attributes: {
          ...messagingAttributes(this.transport.messagingSystem, this.transport.exchange, envelope, 'process'),
          'messaging.destination.subscription.name': this.transport.queueName(this.service),
          'messaging.consumer.group.name': this.service,
          'umt.event.attempt': attempt,
          'umt.event.replay': replay,
        },
      },
      async (span) => {
        if (!handler) throw new Error(`${this.service} has no handler for ${envelope.type}`);
        const event = this.catalog ? { ...envelope, data: payloadToConsume(this.catalog, envelope.type, envelope.data) } : envelope;
        const log = this.log.child({ eventId: envelope.id, eventType: envelope.type, attempt });
        const outcome = await this.database.db.transaction().execute(async (trx) => {
          const claimed = await eventTables(trx)
            .insertInto('processedEvents')
            .values({ eventId: envelope.id, type: envelope.type })
            .onConflict((oc) => oc.column('eventId').doNothing())
            .returning('eventId')
            .executeTakeFirst();
          if (claimed) await handler(trx, event, { log, attempt, replay });
          if (options.within) await options.within(eventTables(trx));
          return claimed ? 'processed' : 'duplicate';
        });
        span.setAttribute('umt.event.duplicate', outcome === 'duplicate');
        if (outcome === 'duplicate') log.debug('event already processed; skipped');
        return outcome;
      },
    );
  }

  private async handleDelivery(event: IncomingEvent): Promise<void> {
    if (!this.handlers.has(event.envelope.type)) {
      // A binding left by an older version of the service: nothing here wants the event.
      this.log.warn({ eventId: event.envelope.id, eventType: event.envelope.type }, 'no handler for a delivered event; dropped');
      return;
    }
    await this.process(event.envelope, { headers: event.headers, attempt: event.attempt });
  }

  private async recordDeadLetter(record: DeadLetterRecord): Promise<void> {
    await recordDeadLetter(eventTables(this.database.db), record);
    eventsDeadLettered.inc({ service: this.service, event_type: record.envelope?.type ?? record.routingKey ?? 'unknown' });
  }
}
