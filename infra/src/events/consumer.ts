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
  /** True when a failure now dead-letters the event instead of retrying it (the last attempt, or a replay). */
  finalAttempt: boolean;
}

/**
 * Applies one event's effects inside `trx`, which also records the event as processed: commit makes both
 * durable at once, and a redelivered event never reaches the handler again. Throw to have the event retried.
 * With a catalog, `envelope.data` has passed its type's schema (and is what the schema read).
 */
export type EventHandler<DB, D extends EventData = EventData> = (trx: Transaction<DB>, envelope: EventEnvelope<D>, ctx: HandlerContext) => Promise<void>;

/**
 * A work-queue handler: long work (a model call) that must not hold a database transaction open. It runs outside
 * any transaction and must be idempotent itself (a job's status row); once it returns, the event is recorded as
 * processed, so a later redelivery is skipped. Throw to have the message retried, as for an event.
 */
export type TaskHandler<D extends EventData = EventData> = (envelope: EventEnvelope<D>, ctx: HandlerContext) => Promise<void>;

/** A work queue of the service, apart from its event queue: its own prefetch, so long tasks never hold up events. */
export interface WorkQueue {
  /** The queue is `<service>.<name>`, with its own retry and dead-letter queues. */
  name: string;
  /** Tasks in flight at once per instance. */
  prefetch: number;
}

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
  private readonly tasks = new Map<string, { handler: TaskHandler; queue: WorkQueue }>();
  private readonly catalog: EventCatalog | undefined;
  private readonly retry: RetryPolicy;
  private readonly prefetch: number;
  private readonly log: Logger;
  private handles: SubscriptionHandle[] = [];
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
    if (this.handlers.has(type) || this.tasks.has(type)) throw new Error(`${this.service}: a handler for ${type} is already registered`);
    this.handlers.set(type, handler);
    return this;
  }

  /** Registers the handler of one task type, consumed from work queue `queue`; before start() only. */
  onTask(type: string, queue: WorkQueue, handler: TaskHandler): this {
    assertEventType(type);
    if (this.catalog && !inCatalog(this.catalog, type)) throw new Error(`${this.service}: ${type} is not in the event catalog`);
    if (this.started) throw new Error(`${this.service}: register handlers before start() (got ${type})`);
    if (this.handlers.has(type) || this.tasks.has(type)) throw new Error(`${this.service}: a handler for ${type} is already registered`);
    if (!/^[a-z][a-z0-9-]*$/.test(queue.name)) throw new Error(`${this.service}: work queue name "${queue.name}" must be lower-case words joined by dashes`);
    this.tasks.set(type, { handler, queue });
    return this;
  }

  /** The event types of the service's event queue. */
  get types(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** The task types, whatever their work queue. */
  get taskTypes(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /** The work queues and the task types bound to each. */
  private workQueues(): { queue: WorkQueue; types: string[] }[] {
    const byName = new Map<string, { queue: WorkQueue; types: string[] }>();
    for (const [type, task] of this.tasks) {
      const entry = byName.get(task.queue.name) ?? { queue: task.queue, types: [] };
      entry.types.push(type);
      byName.set(task.queue.name, entry);
    }
    return [...byName.values()];
  }

  /** Declares the service's queue, bound to every handled type, and starts consuming. Without handlers, does nothing. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const subscriptions: Subscription[] = [];
    const common = { retry: this.retry, handle: (event: IncomingEvent) => this.handleDelivery(event), deadLetter: (record: DeadLetterRecord) => this.recordDeadLetter(record) };
    if (this.handlers.size > 0) subscriptions.push({ ...common, service: this.service, types: this.types, prefetch: this.prefetch });
    for (const { queue, types } of this.workQueues()) {
      subscriptions.push({ ...common, service: `${this.service}.${queue.name}`, types: types.sort(), prefetch: queue.prefetch });
    }
    for (const subscription of subscriptions) {
      const handle = await this.transport.subscribe(subscription);
      this.handles.push(handle);
      this.log.info({ queue: handle.queue, types: subscription.types }, 'consuming events');
    }
  }

  /** Stops consuming and waits for the deliveries in flight; start() may be called again. */
  async stop(): Promise<void> {
    const handles = this.handles.splice(0);
    this.started = false;
    await Promise.all(handles.map((handle) => handle.close()));
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
    const task = this.tasks.get(envelope.type);
    const attempt = options.attempt ?? 1;
    const replay = options.replay ?? false;
    const parent = replay ? context.active() : extractTraceContext(options.headers);
    // A task is consumed from its work queue, by the work queue's consumers.
    const subscriber = task ? `${this.service}.${task.queue.name}` : this.service;
    return inSpan(
      `${envelope.type} process`,
      {
        kind: SpanKind.CONSUMER,
        parent,
        attributes: {
          ...messagingAttributes(this.transport.messagingSystem, this.transport.exchange, envelope, 'process'),
          'messaging.destination.subscription.name': this.transport.queueName(subscriber),
          'messaging.consumer.group.name': subscriber,
          'umt.event.attempt': attempt,
          'umt.event.replay': replay,
        },
      },
      async (span) => {
        const event = this.catalog ? { ...envelope, data: payloadToConsume(this.catalog, envelope.type, envelope.data) } : envelope;
        const log = this.log.child({ eventId: envelope.id, eventType: envelope.type, attempt });
        const ctx: HandlerContext = { log, attempt, replay, finalAttempt: replay || attempt >= this.retry.maxAttempts };
        let outcome: ProcessOutcome;
        if (task) outcome = await this.processTask(task.handler, event, ctx, options);
        else if (handler) outcome = await this.processEvent(handler, event, ctx, options);
        else throw new Error(`${this.service} has no handler for ${envelope.type}`);
        span.setAttribute('umt.event.duplicate', outcome === 'duplicate');
        if (outcome === 'duplicate') log.debug('event already processed; skipped');
        return outcome;
      },
    );
  }

  /** An event: its effects and its processed_events row in one transaction; skipped when already processed. */
  private processEvent(handler: EventHandler<DB>, event: EventEnvelope, ctx: HandlerContext, options: ProcessOptions): Promise<ProcessOutcome> {
    return this.database.db.transaction().execute(async (trx) => {
      const claimed = await eventTables(trx)
        .insertInto('processedEvents')
        .values({ eventId: event.id, type: event.type })
        .onConflict((oc) => oc.column('eventId').doNothing())
        .returning('eventId')
        .executeTakeFirst();
      if (claimed) await handler(trx, event, ctx);
      if (options.within) await options.within(eventTables(trx));
      return claimed ? 'processed' : 'duplicate';
    });
  }

  /** A task: skipped when already processed; else run outside any transaction, then recorded as processed. */
  private async processTask(handler: TaskHandler, event: EventEnvelope, ctx: HandlerContext, options: ProcessOptions): Promise<ProcessOutcome> {
    const tables = eventTables(this.database.db);
    const done = await tables.selectFrom('processedEvents').select('eventId').where('eventId', '=', event.id).executeTakeFirst();
    if (!done) await handler(event, ctx);
    await tables.transaction().execute(async (trx) => {
      await trx.insertInto('processedEvents').values({ eventId: event.id, type: event.type }).onConflict((oc) => oc.column('eventId').doNothing()).execute();
      if (options.within) await options.within(trx);
    });
    return done ? 'duplicate' : 'processed';
  }

  private async handleDelivery(event: IncomingEvent): Promise<void> {
    if (!this.handlers.has(event.envelope.type) && !this.tasks.has(event.envelope.type)) {
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
