/**
 * RabbitMQ transport over amqp-connection-manager (reconnects by itself) with confirm channels.
 *
 * Topology, declared by this code whenever a channel (re)connects — every name durable, every message persistent:
 *
 *   exchange  <exchange>                      topic, default `umt.events`; routing key = event type (`brand.created`)
 *   queue     <prefix><service>               one per consuming service, bound to <exchange> once per event type
 *                                             the service handles; default prefix `<exchange>.` (e.g. `umt.events.brand`),
 *                                             so a different exchange never shares queues with this one
 *   queue     <prefix><service>.retry.<ms>    one per distinct retry delay: `x-message-ttl: <ms>`, dead-lettered on
 *                                             expiry through the default exchange back to `<prefix><service>`. A failed
 *                                             delivery is re-sent there (default exchange, so only the failing service
 *                                             sees it again) with header `x-umt-attempts` counting the failures so far.
 *                                             Every message of one such queue has the same TTL, so expiry at the head
 *                                             never holds a shorter delay behind a longer one.
 *   queue     <prefix><service>.dead          where a message goes after its last attempt (at once when it can never be
 *                                             processed), once the consumer has recorded it in the service's
 *                                             `dead_letters` table (which is what replay reads); or, with header
 *                                             `x-umt-unrecorded: true`, after recording failed in every round
 *                                             (docs/events.md). Kept for inspection, purged by operators.
 *
 * Delivery: manual acks, at most `prefetch` unacknowledged per service; a message is acked only after its handler's
 * transaction committed, or after its retry/dead-letter copy was confirmed by the broker. Acks are never sent on a
 * channel other than the one that delivered (a reconnect redelivers what was unacked, and the consumer's
 * processed_events table makes the second delivery a no-op).
 *
 * Publishing waits for the broker's confirm. It fails at once while the connection is down (rather than letting
 * amqp-connection-manager queue the message and send it later from its own worker, outside any trace context):
 * the event stays in the outbox and the relay retries.
 */
import { connect, type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import { encodeEnvelope, type EventEnvelope } from './envelope';
import { forService, silentLogger } from './silent-logger';
import {
  countHeader,
  failureHeaders,
  HEADERS,
  retryDelays,
  runDelivery,
  TransportUnavailableError,
  withTimeout,
  type OutgoingEvent,
  type Subscription,
  type SubscriptionHandle,
  type Transport,
} from './transport';

export interface AmqpTransportOptions {
  /** amqp:// or amqps:// URL. */
  url: string;
  /** Default `umt.events`. */
  exchange?: string;
  /** Default `<exchange>.`. */
  queuePrefix?: string;
  logger?: Logger;
  /** Longest wait for a publish confirm (and for a channel being set up). Default 10 s. */
  publishTimeoutMs?: number;
  /** How long start() waits for the first connection before going on without it (reconnection continues). Default 10 s. */
  connectTimeoutMs?: number;
  /** Default 5. */
  heartbeatSeconds?: number;
  /** Pause between reconnection attempts. Default 1 s. */
  reconnectSeconds?: number;
  /** How long closing a subscription waits for deliveries in flight. Default 10 s. */
  stopTimeoutMs?: number;
  /** Names the connection in the broker's management views. */
  connectionName?: string;
}

/** Topology names of one consuming service. */
export interface ServiceQueues {
  queue: string;
  dead: string;
  retry(delayMs: number): string;
}

interface DeliveryState {
  /** Bumped by the setup of each new underlying channel; deliveries remember the one they came on. */
  generation: number;
  inflight: Set<Promise<void>>;
  closed: boolean;
}

interface ActiveSubscription extends DeliveryState {
  wrapper: ChannelWrapper;
}

const RABBIT_HEADERS = /^x-(death|first-death-|last-death-)/;

export class AmqpTransport implements Transport {
  readonly kind = 'amqp' as const;
  readonly messagingSystem = 'rabbitmq';
  readonly exchange: string;
  private readonly prefix: string;
  private readonly options: AmqpTransportOptions;
  private readonly log: Logger;
  private readonly publishTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private manager: AmqpConnectionManager | undefined;
  private publisher: ChannelWrapper | undefined;
  private readonly subscriptions = new Set<ActiveSubscription>();
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: AmqpTransportOptions) {
    this.options = options;
    this.exchange = options.exchange ?? 'umt.events';
    this.prefix = options.queuePrefix ?? `${this.exchange}.`;
    this.log = (options.logger ?? silentLogger).child({ transport: 'amqp', exchange: this.exchange });
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  }

  queueName(service: string): string {
    return `${this.prefix}${service}`;
  }

  deadLetterQueueName(service: string): string {
    return `${this.queueName(service)}.dead`;
  }

  queues(service: string): ServiceQueues {
    const queue = this.queueName(service);
    return { queue, dead: `${queue}.dead`, retry: (delayMs) => `${queue}.retry.${delayMs}` };
  }

  /** True while connected to the broker. */
  isConnected(): boolean {
    return this.manager?.isConnected() ?? false;
  }

  /** Connected and not closing: a lost connection shows here at once, a silent one within two heartbeats. */
  healthy(): boolean {
    return !this.closing && this.isConnected();
  }

  start(): Promise<void> {
    if (this.closing) return Promise.reject(new TransportUnavailableError('the AMQP transport is closed'));
    this.starting ??= this.open();
    return this.starting;
  }

  private async open(): Promise<void> {
    const manager = connect([this.options.url], {
      heartbeatIntervalInSeconds: this.options.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: this.options.reconnectSeconds ?? 1,
      connectionOptions: { clientProperties: { connection_name: this.options.connectionName ?? `umt-events ${this.exchange}` } },
    });
    this.manager = manager;
    manager.on('connect', () => this.log.info('connected to the broker'));
    manager.on('disconnect', ({ err }: { err: Error }) => this.log.warn({ err }, 'disconnected from the broker; reconnecting'));
    manager.on('connectFailed', ({ err }: { err: Error }) => this.log.debug({ err }, 'could not reach the broker; retrying'));
    manager.on('blocked', ({ reason }: { reason: string }) => this.log.warn({ reason }, 'the broker blocked publishing'));

    const exchange = this.exchange;
    const publisher = manager.createChannel({
      name: 'events-publisher',
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        await channel.assertExchange(exchange, 'topic', { durable: true });
      },
    });
    publisher.on('error', (err: Error) => this.log.error({ err }, 'publisher channel setup failed'));
    this.publisher = publisher;
    try {
      await withTimeout(publisher.waitForConnect(), this.options.connectTimeoutMs ?? 10_000, 'no broker connection yet');
    } catch (error) {
      // Not fatal: events wait in the outbox and consumers start when the connection comes.
      this.log.warn({ err: error }, 'starting without a broker connection; will keep trying');
    }
  }

  async publish({ envelope, headers }: OutgoingEvent): Promise<void> {
    const publisher = this.publisher;
    if (!publisher || this.closing) throw new TransportUnavailableError('the AMQP transport is not started');
    if (!this.isConnected()) throw new TransportUnavailableError('not connected to the broker');
    await withTimeout(publisher.waitForConnect(), this.publishTimeoutMs, 'the publishing channel is not ready');
    await publisher.publish(this.exchange, envelope.type, encodeEnvelope(envelope), {
      ...messageProperties(envelope),
      headers,
      timeout: this.publishTimeoutMs,
    });
  }

  async subscribe(subscription: Subscription): Promise<SubscriptionHandle> {
    await this.start();
    const manager = this.manager;
    if (!manager || this.closing) throw new TransportUnavailableError('the AMQP transport is closed');
    const names = this.queues(subscription.service);
    const delays = retryDelays(subscription.retry);
    const exchange = this.exchange;
    const log = forService(this.log, subscription.service, { queue: names.queue });

    const delivery: DeliveryState = { generation: 0, inflight: new Set(), closed: false };
    const wrapper = manager.createChannel({
      name: `events-consumer ${subscription.service}`,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        delivery.generation += 1;
        await channel.assertExchange(exchange, 'topic', { durable: true });
        await channel.assertQueue(names.queue, { durable: true });
        for (const type of subscription.types) await channel.bindQueue(names.queue, exchange, type);
        for (const delayMs of delays) {
          await channel.assertQueue(names.retry(delayMs), {
            durable: true,
            arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.queue },
          });
        }
        await channel.assertQueue(names.dead, { durable: true });
      },
    });
    const state: ActiveSubscription = Object.assign(delivery, { wrapper });
    wrapper.on('error', (err: Error) => log.error({ err }, 'consumer channel failed'));
    this.subscriptions.add(state);

    await wrapper.consume(
      names.queue,
      (message) => {
        const generation = state.generation;
        const task = this.onMessage(subscription, names, state, generation, message, log).catch((error: unknown) =>
          log.error({ err: error }, 'delivery failed unexpectedly; the broker will redeliver it'),
        );
        state.inflight.add(task);
        void task.finally(() => state.inflight.delete(task));
      },
      { noAck: false, prefetch: subscription.prefetch },
    );
    try {
      await withTimeout(wrapper.waitForConnect(), this.options.connectTimeoutMs ?? 10_000, 'no broker connection yet');
    } catch (error) {
      log.warn({ err: error }, 'subscribed without a broker connection; consuming starts when it comes');
    }

    return {
      queue: names.queue,
      close: () => this.closeSubscription(state, log),
    };
  }

  private async onMessage(
    subscription: Subscription,
    names: ServiceQueues,
    state: ActiveSubscription,
    generation: number,
    message: ConsumeMessage,
    log: Logger,
  ): Promise<void> {
    const { wrapper } = state;
    const settle = (how: 'ack' | 'requeue') => {
      // A reconnect has given the broker the message back already; settling it on the new channel would kill it.
      if (state.generation !== generation || state.closed) return;
      if (how === 'ack') wrapper.ack(message);
      else wrapper.nack(message, false, true);
    };
    const raw = message.properties.headers ?? {};
    const headers = stringHeaders(raw);
    // A copy from a retry queue came through the default exchange: its first routing key travels in a header.
    const routingKey = headers[HEADERS.routingKey] ?? message.fields.routingKey;

    const outcome = await runDelivery(
      subscription,
      {
        body: message.content,
        headers,
        routingKey,
        attempt: countHeader(raw[HEADERS.attempts]) + 1,
        firstFailedAt: headers[HEADERS.firstFailedAt],
        recordFailures: countHeader(raw[HEADERS.recordFailures]),
      },
      log,
    );
    if (outcome.kind === 'done') {
      settle('ack');
      return;
    }
    const target = outcome.kind === 'retry' ? names.retry(outcome.delayMs) : names.dead;
    try {
      await this.resend(wrapper, target, message, failureHeaders(headers, outcome, routingKey));
      settle('ack');
    } catch (error) {
      log.warn({ err: error, target }, 'could not move a failed delivery; returning it to the queue');
      settle('requeue');
    }
  }

  /** Sends a copy of a delivered message straight to one of the service's queues, waiting for the confirm. */
  private async resend(wrapper: ChannelWrapper, queue: string, message: ConsumeMessage, headers: Record<string, string>): Promise<void> {
    const p = message.properties;
    await wrapper.sendToQueue(queue, message.content, {
      persistent: true,
      contentType: p.contentType as string | undefined,
      messageId: p.messageId as string | undefined,
      type: p.type as string | undefined,
      appId: p.appId as string | undefined,
      timestamp: p.timestamp as number | undefined,
      headers,
      timeout: this.publishTimeoutMs,
    });
  }

  private async closeSubscription(state: ActiveSubscription, log: Logger): Promise<void> {
    if (state.closed) return;
    try {
      await state.wrapper.cancelAll();
    } catch (error) {
      log.warn({ err: error }, 'could not cancel the consumer cleanly');
    }
    if (state.inflight.size > 0) {
      await withTimeout(Promise.allSettled([...state.inflight]), this.stopTimeoutMs, 'deliveries still in flight').catch((error: unknown) =>
        log.warn({ err: error }, 'stopped waiting for deliveries in flight; the broker will redeliver them'),
      );
    }
    state.closed = true;
    this.subscriptions.delete(state);
    await state.wrapper.close().catch((error: unknown) => log.warn({ err: error }, 'could not close the consumer channel cleanly'));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.starting?.catch(() => undefined);
      await Promise.all([...this.subscriptions].map((state) => this.closeSubscription(state, this.log)));
      await this.publisher?.close().catch(() => undefined);
      await this.manager?.close().catch((error: unknown) => this.log.warn({ err: error }, 'could not close the connection cleanly'));
    })();
    return this.closing;
  }
}

function messageProperties(envelope: EventEnvelope): Options.Publish {
  return {
    persistent: true,
    contentType: 'application/json',
    messageId: envelope.id,
    type: envelope.type,
    appId: envelope.source,
    timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
  };
}

/** The string-valued headers of a message (trace context, our own), RabbitMQ's x-death bookkeeping excepted. */
function stringHeaders(raw: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (RABBIT_HEADERS.test(key)) continue;
    if (typeof value === 'string') headers[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') headers[key] = String(value);
    else if (Buffer.isBuffer(value)) headers[key] = value.toString('utf8');
  }
  return headers;
}
