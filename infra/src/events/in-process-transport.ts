/**
 * The embedded transport (no AMQP_URL): RabbitMQ's topology and semantics, in the memory of one process.
 *
 * - a topic "exchange" routes each event by its type to every queue bound to that type;
 * - one queue per consuming service (`<prefix><service>`), created and bound when the service subscribes, and
 *   kept (with what it holds) while the service is not consuming, as a durable queue would be;
 * - at most `prefetch` deliveries in flight per queue; a delivery is settled only once its handler has committed;
 * - a failed handler is retried after the policy's growing delays; after the last attempt the event is recorded as
 *   a dead letter (by the consumer) and kept in the service's dead-letter queue (`<prefix><service>.dead`),
 *   readable with `deadLettered(service)`; a message that can never be processed goes there at once (runDelivery,
 *   which the AMQP transport shares, decides all of this);
 * - `publishRaw` puts any body on the exchange, as a misbehaving publisher could with RabbitMQ.
 *
 * Several services of one process share one instance (one exchange, several queues). Publishing only enqueues:
 * handlers always run later, never on the publisher's stack (the relay may still hold its transaction).
 * What it holds is lost when the process ends, retries waiting for their delay included; the outbox, which lives
 * in the database, is what survives a restart.
 */
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope';
import { forService, silentLogger } from './silent-logger';
import {
  failureHeaders,
  runDelivery,
  TransportUnavailableError,
  withTimeout,
  type OutgoingEvent,
  type Subscription,
  type SubscriptionHandle,
  type Transport,
} from './transport';

export interface InProcessTransportOptions {
  /** Default `umt.events`. */
  exchange?: string;
  /** Default `<exchange>.`. */
  queuePrefix?: string;
  logger?: Logger;
  /** How long close() waits for deliveries in flight. Default 10 s. */
  stopTimeoutMs?: number;
}

interface StoredMessage {
  body: Buffer | string;
  headers: Record<string, string>;
  routingKey: string;
  failedAttempts: number;
  firstFailedAt: string | undefined;
  recordFailures: number;
}

export interface DeadLetteredMessage {
  /** Undefined when the body was not an envelope. */
  envelope: EventEnvelope | undefined;
  body: Buffer | string;
  headers: Record<string, string>;
  error: string;
  /** False when recording the dead letter failed in every round: only this queue holds the message. */
  recorded: boolean;
}

interface LocalQueue {
  name: string;
  messages: StoredMessage[];
  subscription: Subscription | undefined;
  inflight: number;
  idleWaiters: Array<() => void>;
}

export class InProcessTransport implements Transport {
  readonly kind = 'in-process' as const;
  readonly messagingSystem = 'in_process';
  readonly exchange: string;
  private readonly prefix: string;
  private readonly log: Logger;
  private readonly stopTimeoutMs: number;
  private readonly bindings = new Map<string, Set<string>>();
  private readonly queues = new Map<string, LocalQueue>();
  private readonly dead = new Map<string, DeadLetteredMessage[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(options: InProcessTransportOptions = {}) {
    this.exchange = options.exchange ?? 'umt.events';
    this.prefix = options.queuePrefix ?? `${this.exchange}.`;
    this.log = (options.logger ?? silentLogger).child({ transport: 'in-process' });
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  }

  queueName(service: string): string {
    return `${this.prefix}${service}`;
  }

  deadLetterQueueName(service: string): string {
    return `${this.queueName(service)}.dead`;
  }

  async start(): Promise<void> {
    if (this.closed) throw new TransportUnavailableError('the in-process transport is closed');
  }

  /** Nothing to reach: healthy until closed. */
  healthy(): boolean {
    return !this.closed;
  }

  async publish({ envelope, headers }: OutgoingEvent): Promise<void> {
    // Serialized once, as a broker would hold it: consumers never share an object with the publisher or each other.
    await this.publishRaw(envelope.type, JSON.stringify(envelope), headers);
  }

  /** Routes any body by `routingKey`, unchecked, as a broker takes whatever a publisher sends. */
  async publishRaw(routingKey: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<void> {
    if (this.closed) throw new TransportUnavailableError('the in-process transport is closed');
    for (const name of this.bindings.get(routingKey) ?? []) {
      const queue = this.queues.get(name);
      if (!queue) continue;
      queue.messages.push({ body, headers: { ...headers }, routingKey, failedAttempts: 0, firstFailedAt: undefined, recordFailures: 0 });
      this.schedule(queue);
    }
  }

  async subscribe(subscription: Subscription): Promise<SubscriptionHandle> {
    if (this.closed) throw new TransportUnavailableError('the in-process transport is closed');
    const name = this.queueName(subscription.service);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = { name, messages: [], subscription: undefined, inflight: 0, idleWaiters: [] };
      this.queues.set(name, queue);
    }
    if (queue.subscription) throw new Error(`queue ${name} already has a consumer`);
    queue.subscription = subscription;
    for (const type of subscription.types) {
      let bound = this.bindings.get(type);
      if (!bound) this.bindings.set(type, (bound = new Set()));
      bound.add(name);
    }
    this.schedule(queue);
    const local = queue;
    return {
      queue: name,
      close: async () => {
        if (local.subscription === subscription) local.subscription = undefined;
        await this.idle(local);
      },
    };
  }

  /** The messages in a service's dead-letter queue, oldest first. */
  deadLettered(service: string): readonly DeadLetteredMessage[] {
    return [...(this.dead.get(this.deadLetterQueueName(service)) ?? [])];
  }

  /** Messages waiting in a service's queue (not counting those in flight or waiting for a retry delay). */
  queueDepth(service: string): number {
    return this.queues.get(this.queueName(service))?.messages.length ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timers.size > 0) this.log.warn({ retries: this.timers.size }, 'closing with retries still waiting for their delay; they are dropped');
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const queue of this.queues.values()) queue.subscription = undefined;
    await Promise.all([...this.queues.values()].map((queue) => this.idle(queue)));
  }

  private schedule(queue: LocalQueue): void {
    setImmediate(() => this.pump(queue));
  }

  private pump(queue: LocalQueue): void {
    for (;;) {
      const subscription = queue.subscription;
      if (!subscription || this.closed || queue.inflight >= subscription.prefetch) return;
      const message = queue.messages.shift();
      if (!message) return;
      queue.inflight += 1;
      void this.deliver(queue, subscription, message).finally(() => {
        queue.inflight -= 1;
        if (queue.inflight === 0) for (const wake of queue.idleWaiters.splice(0)) wake();
        this.pump(queue);
      });
    }
  }

  private async deliver(queue: LocalQueue, subscription: Subscription, message: StoredMessage): Promise<void> {
    const log = forService(this.log, subscription.service, { queue: queue.name });
    const outcome = await runDelivery(
      subscription,
      {
        body: message.body,
        headers: { ...message.headers },
        routingKey: message.routingKey,
        attempt: message.failedAttempts + 1,
        firstFailedAt: message.firstFailedAt,
        recordFailures: message.recordFailures,
      },
      log,
    );
    if (outcome.kind === 'done') return;
    const headers = failureHeaders(message.headers, outcome, message.routingKey);
    if (outcome.kind === 'retry') {
      const retried: StoredMessage = {
        ...message,
        headers,
        failedAttempts: outcome.failedAttempts,
        firstFailedAt: outcome.firstFailedAt,
        recordFailures: outcome.recordFailures,
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        queue.messages.push(retried);
        this.pump(queue);
      }, outcome.delayMs);
      this.timers.add(timer);
    } else {
      this.toDeadQueue(subscription.service, {
        envelope: outcome.envelope,
        body: message.body,
        headers,
        error: outcome.error,
        recorded: outcome.recorded,
      });
    }
  }

  private toDeadQueue(service: string, message: DeadLetteredMessage): void {
    const name = this.deadLetterQueueName(service);
    let list = this.dead.get(name);
    if (!list) this.dead.set(name, (list = []));
    list.push(message);
  }

  private async idle(queue: LocalQueue): Promise<void> {
    if (queue.inflight === 0) return;
    const drained = new Promise<void>((resolve) => queue.idleWaiters.push(resolve));
    await withTimeout(drained, this.stopTimeoutMs, `${queue.name}: deliveries still in flight after ${this.stopTimeoutMs} ms`).catch((error: unknown) =>
      this.log.warn({ err: error }, 'stopped waiting for deliveries in flight'),
    );
  }
}
