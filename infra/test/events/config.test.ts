import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config';
import { AmqpTransport, createTransport, DEFAULT_EVENT_CONFIG, InProcessTransport, readEventConfig, retryDelay } from '../../src/events';

describe('event backbone configuration', () => {
  it('has defaults for every variable', () => {
    expect(readEventConfig({})).toEqual({
      amqpUrl: undefined,
      exchange: 'umt.events',
      queuePrefix: undefined,
      maxAttempts: 5,
      retryDelaysMs: [1000, 5000, 30000, 120000],
      deadLetterRecordAttempts: 30,
      prefetch: 20,
      outboxPollMs: 250,
      outboxRetentionHours: 168,
      publishTimeoutMs: 5000,
      connectTimeoutMs: 10000,
    });
    expect(readEventConfig({})).toEqual(DEFAULT_EVENT_CONFIG);
  });

  it('reads every variable', () => {
    expect(
      readEventConfig({
        AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
        EVENTS_EXCHANGE: 'umt.events.staging',
        EVENT_MAX_ATTEMPTS: '3',
        EVENT_RETRY_DELAYS_MS: '50, 100,200',
        EVENT_PREFETCH: '5',
        EVENT_DEAD_LETTER_RECORD_ATTEMPTS: '4',
        OUTBOX_POLL_MS: '100',
        OUTBOX_RETENTION_HOURS: '0',
        EVENT_PUBLISH_TIMEOUT_MS: '1500',
        AMQP_CONNECT_TIMEOUT_MS: '2500',
      }),
    ).toMatchObject({
      publishTimeoutMs: 1500,
      connectTimeoutMs: 2500,
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      exchange: 'umt.events.staging',
      maxAttempts: 3,
      retryDelaysMs: [50, 100, 200],
      prefetch: 5,
      deadLetterRecordAttempts: 4,
      outboxPollMs: 100,
      outboxRetentionHours: 0,
    });
  });

  it('names every bad variable and what it expects', () => {
    let error: unknown;
    try {
      readEventConfig({
        AMQP_URL: 'http://rabbit',
        EVENTS_EXCHANGE: 'has space',
        EVENT_MAX_ATTEMPTS: '0',
        EVENT_RETRY_DELAYS_MS: '1000,soon',
        EVENT_PREFETCH: 'many',
        EVENT_DEAD_LETTER_RECORD_ATTEMPTS: '0',
        OUTBOX_POLL_MS: '2.5',
        OUTBOX_RETENTION_HOURS: '-1',
        EVENT_PUBLISH_TIMEOUT_MS: '0',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/AMQP_URL: expected a URL starting with amqp:\/\/ or amqps:\/\//);
    expect(problems).toMatch(/EVENTS_EXCHANGE: expected an exchange name/);
    expect(problems).toMatch(/EVENT_MAX_ATTEMPTS: expected a whole number of attempts between 1 and 100/);
    expect(problems).toMatch(/EVENT_RETRY_DELAYS_MS: expected comma-separated delays in milliseconds/);
    expect(problems).toMatch(/EVENT_PREFETCH: expected a whole number of deliveries/);
    expect(problems).toMatch(/EVENT_DEAD_LETTER_RECORD_ATTEMPTS: expected a whole number of rounds between 1 and 10000/);
    expect(problems).toMatch(/OUTBOX_RETENTION_HOURS: expected a whole number of hours between 0 and 87600/);
    expect(problems).toMatch(/OUTBOX_POLL_MS: expected a whole number of milliseconds/);
    expect(problems).toMatch(/EVENT_PUBLISH_TIMEOUT_MS: expected a whole number of milliseconds between 100 and 600000/);
  });

  it('chooses RabbitMQ when an AMQP URL is set, the in-process transport otherwise', async () => {
    const inProcess = createTransport(readEventConfig({}));
    expect(inProcess).toBeInstanceOf(InProcessTransport);
    expect(inProcess.queueName('brand')).toBe('umt.events.brand');
    const amqp = createTransport({ ...readEventConfig({ AMQP_URL: 'amqp://127.0.0.1:5672' }), queuePrefix: 'x.' });
    expect(amqp).toBeInstanceOf(AmqpTransport);
    expect(amqp.deadLetterQueueName('brand')).toBe('x.brand.dead');
    await Promise.all([inProcess.close(), amqp.close()]);
  });

  it('grows the retry delay with the attempts, repeating the last', () => {
    const policy = { maxAttempts: 6, delaysMs: [1000, 5000, 30000] };
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(policy, attempt))).toEqual([1000, 5000, 30000, 30000, 30000]);
  });
});
