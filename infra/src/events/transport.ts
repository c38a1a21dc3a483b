import type { Logger } from 'pino';
import { eventsMalformed, eventsParked } from '../metrics';
import { decodeEnvelope, type EventEnvelope } from './envelope';
import { UnprocessableMessageError, type DeadLetterReason } from './unprocessable';
import { withDeadline } from '../timeout';

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

/** A message as a transport hands it over, before anything is known about its body. */
export interface Delivery {
  /** The body exactly as received. */
  body: Buffer | string;
  headers: Record<string, string>;
  /** The routing key it was published with, when the transport knows it. */
  routingKey: string | undefined;
  /** 1 on the first delivery, n on the n-th attempt. */
  attempt: number;
  firstFailedAt: string | undefined;
  /** Rounds in which recording its dead letter failed so far. */
  recordFailures: number;
}

export interface RetryPolicy {
  /** Handler runs in all, the first included; after the last failure the event is dead-lettered. */
  maxAttempts: number;
  /** Delay before attempt n+1 is delaysMs[n-1], the last one repeating. */
  delaysMs: number[];
  /**
   * Rounds of trying to record a dead letter (the database may be down), each after the longest delay, before the
   * message is parked in the dead-letter queue without a row. Default DEFAULT_DEAD_LETTER_RECORD_ATTEMPTS.
   */
  deadLetterRecordAttempts?: number;
}

/** 30 rounds: about an hour with the default delays, so a database outage of that length loses no dead letter. */
export const DEFAULT_DEAD_LETTER_RECORD_ATTEMPTS = 30;

/** A message given up on: an event whose handler kept failing, or a message that can never be processed. */
export interface DeadLetterRecord {
  /** The envelope, when the body was one. */
  envelope: EventEnvelope | undefined;
  /** The body exactly as received. */
  body: Buffer | string;
  routingKey: string | undefined;
  reason: DeadLetterReason;
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
  /** Rounds in which recording the dead letter failed. */
  recordFailures: 'x-umt-dead-letter-record-failures',
  /** On a message parked in the dead-letter queue because its dead letter could not be recorded. */
  unrecorded: 'x-umt-unrecorded',
  /** The routing key of the first delivery, kept on copies re-sent to a retry queue (which get another). */
  routingKey: 'x-umt-routing-key',
} as const;

/** A header holding a count, as a non-negative whole number (0 when absent or not one). */
export function countHeader(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

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
  /** Send again after `delayMs`, counting `failedAttempts` failures and `recordFailures` failed recordings so far. */
  | { kind: 'retry'; delayMs: number; failedAttempts: number; firstFailedAt: string; error: string; recordFailures: number }
  /**
   * Move to the dead-letter queue. `recorded`: the dead letter is in the service's table; false when recording failed
   * every round (the message is parked, and only the queue holds it).
   */
  | { kind: 'dead'; failedAttempts: number; firstFailedAt: string; error: string; recorded: boolean; envelope: EventEnvelope | undefined };

/**
 * The headers of a failed delivery's copy, re-sent to a retry queue or moved to the dead-letter queue: the same for
 * every transport, so a message says the same of its history wherever it waits.
 */
export function failureHeaders(
  headers: Record<string, string>,
  outcome: Exclude<DeliveryOutcome, { kind: 'done' }>,
  routingKey: string,
): Record<string, string> {
  return {
    ...headers,
    [HEADERS.routingKey]: routingKey,
    [HEADERS.attempts]: String(outcome.failedAttempts),
    [HEADERS.firstFailedAt]: outcome.firstFailedAt,
    // Headers travel in every frame: the first line says enough; the whole error is in dead_letters.
    [HEADERS.lastError]: (outcome.error.split('\n')[0] ?? '').slice(0, 500),
    ...(outcome.kind === 'retry' && outcome.recordFailures > 0 ? { [HEADERS.recordFailures]: String(outcome.recordFailures) } : {}),
    ...(outcome.kind === 'dead' && !outcome.recorded ? { [HEADERS.unrecorded]: 'true' } : {}),
  };
}

/**
 * How every transport processes a delivery: decode the envelope, run the handler; on failure retry after the
 * attempt's delay or, once the attempts are spent, record the dead letter. A message that can never be processed (not
 * JSON, not an envelope, a payload its schema refuses) is dead-lettered at once, without retries. If recording fails
 * (database down), the message goes round the longest delay and is tried again (the handler too, which may succeed
 * by then), at most `deadLetterRecordAttempts` rounds; after that it is parked in the dead-letter queue unrecorded,
 * with an error log and `umt_events_parked_total`, so that nothing circulates for ever.
 */
export async function runDelivery(subscription: Subscription, delivery: Delivery, log: Logger): Promise<DeliveryOutcome> {
  let envelope: EventEnvelope | undefined;
  try {
    envelope = decodeEnvelope(delivery.body);
    await subscription.handle({ envelope, headers: delivery.headers, attempt: delivery.attempt, firstFailedAt: delivery.firstFailedAt });
    return { kind: 'done' };
  } catch (error) {
    const failedAt = new Date().toISOString();
    const firstFailedAt = delivery.firstFailedAt ?? failedAt;
    const text = errorText(error);
    const max = subscription.retry.maxAttempts;
    const permanent = error instanceof UnprocessableMessageError;
    const context = { eventId: envelope?.id, eventType: envelope?.type ?? delivery.routingKey, attempt: delivery.attempt };
    if (!permanent && delivery.attempt < max) {
      const delayMs = retryDelay(subscription.retry, delivery.attempt);
      log.warn({ err: error, ...context, maxAttempts: max, delayMs }, 'event handler failed; will retry');
      return { kind: 'retry', delayMs, failedAttempts: delivery.attempt, firstFailedAt, error: text, recordFailures: delivery.recordFailures };
    }
    const reason: DeadLetterReason = permanent ? error.reason : 'handler_failed';
    const record: DeadLetterRecord = {
      envelope,
      body: delivery.body,
      routingKey: delivery.routingKey,
      reason,
      error: text,
      attempts: delivery.attempt,
      firstFailedAt,
      lastFailedAt: failedAt,
    };
    const labels = { service: subscription.service, reason };
    try {
      await subscription.deadLetter(record);
    } catch (recordError) {
      const recordFailures = delivery.recordFailures + 1;
      const bound = subscription.retry.deadLetterRecordAttempts ?? DEFAULT_DEAD_LETTER_RECORD_ATTEMPTS;
      if (recordFailures < bound) {
        const delays = retryDelays(subscription.retry);
        const delayMs = delays[delays.length - 1] ?? 0;
        log.error({ err: recordError, ...context, reason, recordFailures, bound, delayMs }, 'could not record a dead letter; will try again');
        // One attempt fewer: the next round is the last attempt again, so a handler that succeeds by then applies it.
        return { kind: 'retry', delayMs, failedAttempts: delivery.attempt - 1, firstFailedAt, error: text, recordFailures };
      }
      log.error(
        { err: recordError, ...context, reason, recordFailures, error: text },
        'could not record a dead letter in any round; parked in the dead-letter queue without a row (see docs/events.md)',
      );
      eventsParked.inc(labels);
      if (permanent) eventsMalformed.inc(labels);
      return { kind: 'dead', failedAttempts: delivery.attempt, firstFailedAt, error: text, recorded: false, envelope };
    }
    if (permanent) {
      eventsMalformed.inc(labels);
      // With no envelope there is no organization: only operators see it (dead_letters where org_id is null).
      log.error(
        { err: error, ...context, reason, orgId: envelope?.orgId ?? null, bodyBytes: Buffer.byteLength(delivery.body) },
        'unprocessable message dead-lettered without retries',
      );
    } else {
      log.error({ err: error, ...context, attempts: delivery.attempt }, 'event dead-lettered after its last attempt');
    }
    return { kind: 'dead', failedAttempts: delivery.attempt, firstFailedAt, error: text, recorded: true, envelope };
  }
}

/** `promise`'s value, or TransportUnavailableError(`message`) once `ms` have passed (infra/src/timeout.ts). */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return withDeadline(promise, ms, () => new TransportUnavailableError(message));
}
