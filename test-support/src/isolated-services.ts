import { randomBytes } from 'node:crypto';
import { type RetryPolicy } from '@umt/infra';
import { AMQP_URL, deleteTopology, STACK_QUEUE_OWNERS } from './amqp';
import { startOtlpReceiver, type OtlpReceiver } from './otlp';
import { createTestDatabase, type TestDatabase } from './postgres';
import type { ServiceProcess } from './processes';
import { randomName } from './wait';

export interface IsolatedServices {
  /** The run's own exchange; its queues are named after it. */
  exchange: string;
  /**
   * The environment for the six services on the machine's PostgreSQL, Redis and RabbitMQ, kept apart from every
   * other run: the given database, fresh secrets, own exchange, cache namespace and rate-limit keys; spans to an
   * OTLP receiver when one is given.
   */
  env(options: { databaseUrl: string; otlpEndpoint?: string }): Record<string, string>;
  /** The run's own database, created on first use. */
  database(): Promise<TestDatabase>;
  /** An OTLP receiver for the services' spans, started on first use. */
  receiver(): Promise<OtlpReceiver>;
  /**
   * Stops the processes (SIGTERM, then SIGKILL), deletes the exchange and the queues they declared, then drops the
   * database and closes the receiver, whatever failed before.
   */
  stop(running: ServiceProcess[]): Promise<void>;
}

export function isolatedServices(name: string, retry: RetryPolicy): IsolatedServices {
  const exchange = randomName(name);
  let database: Promise<TestDatabase> | undefined;
  let receiver: Promise<OtlpReceiver> | undefined;
  return {
    exchange,
    database: () => (database ??= createTestDatabase()),
    receiver: () => (receiver ??= startOtlpReceiver()),
    env: ({ databaseUrl, otlpEndpoint }) => ({
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      CACHE_NAMESPACE: randomName(`${name}-cache`),
      RATE_LIMIT_KEY_PREFIX: `${randomName(`${name}-rl`)}:`,
      AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
      PRINCIPAL_SECRET: randomBytes(32).toString('hex'),
      AMQP_URL,
      EVENTS_EXCHANGE: exchange,
      EVENT_MAX_ATTEMPTS: String(retry.maxAttempts),
      EVENT_RETRY_DELAYS_MS: retry.delaysMs.join(','),
      // Spans leave in batches every 100 ms, so a test sees them soon.
      ...(otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_BSP_SCHEDULE_DELAY: '100' } : {}),
    }),
    async stop(running) {
      try {
        // The queues go only once no consumer holds them.
        await Promise.all(running.map((p) => p.stop()));
        await deleteTopology(exchange, `${exchange}.`, STACK_QUEUE_OWNERS, retry);
      } finally {
        await (await database)?.drop();
        await (await receiver)?.close();
      }
    },
  };
}
