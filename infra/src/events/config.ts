import { z } from 'zod';
import { env, parseEnv } from '../config';
import { DEFAULT_DEAD_LETTER_RECORD_ATTEMPTS } from './transport';

/** How a service's event backbone is configured. Every field has an environment variable except queuePrefix. */
export interface EventConfig {
  /** RabbitMQ URL; undefined selects the in-process transport. */
  amqpUrl: string | undefined;
  /** The topic exchange of domain events. */
  exchange: string;
  /** Prefix of the services' queue names; undefined means `<exchange>.`. */
  queuePrefix: string | undefined;
  /** Handler runs per event before it is dead-lettered. */
  maxAttempts: number;
  /** Delays between attempts, the last one repeating. */
  retryDelaysMs: number[];
  /**
   * Rounds of trying to record a dead letter (each after the longest retry delay) before the message is parked in
   * the dead-letter queue without a row.
   */
  deadLetterRecordAttempts: number;
  /** Deliveries in flight per service. */
  prefetch: number;
  /** The outbox relay's idle poll. */
  outboxPollMs: number;
  /** How long published outbox rows are kept before the relay deletes them; 0 keeps them forever. */
  outboxRetentionHours: number;
  /**
   * The broker's deadlines: the longest wait for a publish confirm (the event stays in the outbox and is retried),
   * and for the first connection at start (the service starts anyway and keeps trying).
   */
  publishTimeoutMs: number;
  connectTimeoutMs: number;
}

export const DEFAULT_EVENT_CONFIG: EventConfig = {
  amqpUrl: undefined,
  exchange: 'umt.events',
  queuePrefix: undefined,
  maxAttempts: 5,
  retryDelaysMs: [1000, 5000, 30000, 120000],
  deadLetterRecordAttempts: DEFAULT_DEAD_LETTER_RECORD_ATTEMPTS,
  prefetch: 20,
  outboxPollMs: 250,
  outboxRetentionHours: 168,
  publishTimeoutMs: 5_000,
  connectTimeoutMs: 10_000,
};

const wholeNumber = (what: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: `expected ${what}` })
    .int(`expected ${what}`)
    .min(min, `expected ${what} between ${min} and ${max}`)
    .max(max, `expected ${what} between ${min} and ${max}`)
    .default(fallback);

const MAX_DELAY_MS = 24 * 3600 * 1000;

/** The backbone's variables, for parseEnv (each is documented in .env.example). */
export const eventConfigShape = {
  AMQP_URL: env.url(['amqp', 'amqps']),
  EVENTS_EXCHANGE: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'expected an exchange name of letters, digits, ".", "_", ":" and "-"')
    .default(DEFAULT_EVENT_CONFIG.exchange),
  EVENT_MAX_ATTEMPTS: wholeNumber('a whole number of attempts', 1, 100, DEFAULT_EVENT_CONFIG.maxAttempts),
  EVENT_RETRY_DELAYS_MS: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .refine(
      (parts) => parts.length > 0 && parts.every((part) => /^\d+$/.test(part) && Number(part) <= MAX_DELAY_MS),
      `expected comma-separated delays in milliseconds (whole numbers up to ${MAX_DELAY_MS}), e.g. 1000,5000,30000`,
    )
    .transform((parts) => parts.map(Number))
    .default(DEFAULT_EVENT_CONFIG.retryDelaysMs),
  EVENT_DEAD_LETTER_RECORD_ATTEMPTS: wholeNumber('a whole number of rounds', 1, 10_000, DEFAULT_EVENT_CONFIG.deadLetterRecordAttempts),
  EVENT_PREFETCH: wholeNumber('a whole number of deliveries', 1, 10_000, DEFAULT_EVENT_CONFIG.prefetch),
  OUTBOX_POLL_MS: wholeNumber('a whole number of milliseconds', 10, 600_000, DEFAULT_EVENT_CONFIG.outboxPollMs),
  OUTBOX_RETENTION_HOURS: wholeNumber('a whole number of hours', 0, 87_600, DEFAULT_EVENT_CONFIG.outboxRetentionHours),
  EVENT_PUBLISH_TIMEOUT_MS: wholeNumber('a whole number of milliseconds', 100, 600_000, DEFAULT_EVENT_CONFIG.publishTimeoutMs),
  AMQP_CONNECT_TIMEOUT_MS: wholeNumber('a whole number of milliseconds', 100, 600_000, DEFAULT_EVENT_CONFIG.connectTimeoutMs),
};

/** Reads the backbone's configuration; throws ConfigError naming each bad variable. */
export function readEventConfig(source: Record<string, string | undefined> = process.env): EventConfig {
  const raw = parseEnv(eventConfigShape, source);
  return {
    amqpUrl: raw.AMQP_URL,
    exchange: raw.EVENTS_EXCHANGE,
    queuePrefix: undefined,
    maxAttempts: raw.EVENT_MAX_ATTEMPTS,
    retryDelaysMs: raw.EVENT_RETRY_DELAYS_MS,
    deadLetterRecordAttempts: raw.EVENT_DEAD_LETTER_RECORD_ATTEMPTS,
    prefetch: raw.EVENT_PREFETCH,
    outboxPollMs: raw.OUTBOX_POLL_MS,
    outboxRetentionHours: raw.OUTBOX_RETENTION_HOURS,
    publishTimeoutMs: raw.EVENT_PUBLISH_TIMEOUT_MS,
    connectTimeoutMs: raw.AMQP_CONNECT_TIMEOUT_MS,
  };
}
