import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope';

/** An event on its way out: the envelope and the headers (W3C trace context of the publish span). */
export interface OutgoingEvent {
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

/** An event delivered to a service. */
export interface IncomingEvent {
  envelope: EventEnvelope;
  /** String headers of the message, among them `traceparent` and `tracestate`. */
  headers: Record<string, string>;
  /** 1 on the first delivery, n on the n-th attempt (redeliveries after a crash do not count). */
  attempt: number;
  /** When the first attempt failed (ISO), once one has. */
  firstFailedAt: string | undefined;
}

export interface RetryPolicy {
  /** Handler runs in all, the first included; after the last failure the event is dead-lettered. */
  maxAttempts: number;
  /** Delay before attempt n+1 is delaysMs[n-1], the last one repeating. */
  delaysMs: number[];
}

export interface DeadLetterRecord {
  event: IncomingEvent;
  error: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
}

/** What a consuming service asks of a transport. */
export interface Subscription {
  service: string;
  /** Event types (routing keys) the service's queue is bound to. */
  types: string[];
  retry: RetryPolicy;
  /** Deliveries in flight at once. */
  prefetch: number;
  /** Processes one delivery; resolves once its effects are committed, throws to have it retried. */
  handle(event: IncomingEvent): Promise<void>;
  /** Records an event that failed for the last time; called before the message moves to the dead-letter queue. */
  deadLetter(record: DeadLetterRecord): Promise<void>;
}

export interface SubscriptionHandle {
  queue: string;
  /** Stops consuming and waits (bounded) for the deliveries in flight to finish. */
  close(): Promise<void>;
}

/**
 * Moves events from the outbox relay to the consuming services. Both implementations have the same semantics:
 * a topic exchange routing by event type, one queue per consuming service, retries after growing delays, and a
 * dead-letter queue per service once the attempts are spent.
 */
export interface Transport {
  readonly kind: 'amqp' | 'in-process';
  /** `messaging.system` of the spans. */
  readonly messagingSystem: string;
  readonly exchange: string;
  /** Queue names of a service: `<prefix><service>`, `<prefix><service>.dead`, … */
  queueName(service: string): string;
  deadLetterQueueName(service: string): string;
  /** Connects and declares the exchange; idempotent. */
  start(): Promise<void>;
  /** Resolves once the broker has confirmed the message; throws when it cannot (the caller keeps the event). */
  publish(event: OutgoingEvent): Promise<void>;
  subscribe(subscription: Subscription): Promise<SubscriptionHandle>;
  /** Stops every subscription and closes the connection; idempotent. */
  close(): Promise<void>;
  /**
   * Whether events can flow right now (connected to the broker): cheap, no I/O, for readiness checks. Optional so a
   * wrapper (a test's counting transport) need not forward it; see transportHealthy.
   */
  healthy?(): boolean;
}

/** A transport's health: its own answer, or healthy when it has no check (nothing to reach). */
export function transportHealthy(transport: Transport): boolean {
  return transport.healthy?.() ?? true;
}

/** Thrown by publish when the broker is not reachable right now. */
export class TransportUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportUnavailableError';
  }
}

/** Message headers the transports set. */
export const HEADERS = {
  /** Failed attempts so far. */
  attempts: 'x-umt-attempts',
  firstFailedAt: 'x-umt-first-failed-at',
  lastError: 'x-umt-last-error',
} as const;

const ERROR_TEXT_LIMIT = 8_000;

/** An error as stored in dead letters and headers: its stack (which starts with the message), bounded. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > ERROR_TEXT_LIMIT ? `${text.slice(0, ERROR_TEXT_LIMIT)}…` : text;
}

/** Delay before the attempt that follows failed attempt `attempt` (1-based). */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const delays = policy.delaysMs.length > 0 ? policy.delaysMs : [0];
  return delays[Math.min(Math.max(attempt, 1), delays.length) - 1] ?? 0;
}

/** Every distinct delay a policy can use (one retry queue each). */
export function retryDelays(policy: RetryPolicy): number[] {
  return [...new Set(policy.delaysMs.length > 0 ? policy.delaysMs : [0])].sort((a, b) => a - b);
}

export type DeliveryOutcome =
  | { kind: 'done' }
  /** Send again after `delayMs`, counting `failedAttempts` failures so far. */
  | { kind: 'retry'; delayMs: number; failedAttempts: number; firstFailedAt: string; error: string }
  | { kind: 'dead'; failedAttempts: number; firstFailedAt: string; error: string };

/**
 * The retry policy, the same for every transport: run the handler; on failure retry after the attempt's delay,
 * or, once the attempts are spent, record the dead letter. If recording fails too (database down), the event
 * goes round the longest delay once more and will be dead-lettered on its next failure.
 */
export async function runDelivery(subscription: Subscription, event: IncomingEvent, log: Logger): Promise<DeliveryOutcome> {
  try {
    await subscription.handle(event);
    return { kind: 'done' };
  } catch (error) {
    const failedAt = new Date().toISOString();
    const firstFailedAt = event.firstFailedAt ?? failedAt;
    const text = errorText(error);
    const { envelope } = event;
    const max = subscription.retry.maxAttempts;
    if (event.attempt < max) {
      const delayMs = retryDelay(subscription.retry, event.attempt);
      log.warn(
        { err: error, eventId: envelope.id, eventType: envelope.type, attempt: event.attempt, maxAttempts: max, delayMs },
        'event handler failed; will retry',
      );
      return { kind: 'retry', delayMs, failedAttempts: event.attempt, firstFailedAt, error: text };
    }
    try {
      await subscription.deadLetter({ event, error: text, attempts: event.attempt, firstFailedAt, lastFailedAt: failedAt });
    } catch (recordError) {
      const delays = retryDelays(subscription.retry);
      const delayMs = delays[delays.length - 1] ?? 0;
      log.error({ err: recordError, eventId: envelope.id, eventType: envelope.type, delayMs }, 'could not record a dead letter; will try again');
      return { kind: 'retry', delayMs, failedAttempts: event.attempt - 1, firstFailedAt, error: text };
    }
    log.error({ err: error, eventId: envelope.id, eventType: envelope.type, attempts: event.attempt }, 'event dead-lettered after its last attempt');
    return { kind: 'dead', failedAttempts: event.attempt, firstFailedAt, error: text };
  }
}

/** Waits for `promise` at most `ms`; rejects with `message` after that. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TransportUnavailableError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

