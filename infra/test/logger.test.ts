import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../src/logger';

/** A logger writing into an array, one parsed line per entry, as a log shipper would read them. */
function capture(secrets: string[] = []) {
  const raw: string[] = [];
  const logger = createLogger('logger-test', 'debug', { secrets, destination: { write: (line: string) => void raw.push(line) } });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('log lines keep secrets out', () => {
  it('scrubs configured secret values wherever they appear, in messages, fields and errors', () => {
    const secret = 'principal-signing-secret-0123456789abcdef';
    const { logger, raw } = capture([secret, 'short']);
    logger.info(`signed with ${secret}`);
    logger.warn({ detail: { nested: `key=${secret}` } }, 'nested');
    logger.error({ err: new Error(`bad signature for ${secret}`) }, 'failed');
    expect(raw).toHaveLength(3);
    for (const line of raw) expect(line).not.toContain(secret);
    expect(raw.join('')).toContain('[redacted]');
    // Values under 8 characters are not scrubbed by value: they would garble ordinary words.
    logger.info('a short word');
    expect(raw[3]).toContain('a short word');
  });

  it('hides the password of any URL in a line', () => {
    const { logger, raw } = capture();
    logger.warn({ url: 'postgres://umt:hunter2-db-pass@db:5432/umt' }, 'connecting to amqp://guest:guest-pass@rabbit:5672');
    expect(raw[0]).not.toContain('hunter2-db-pass');
    expect(raw[0]).not.toContain('guest-pass');
    expect(raw[0]).toContain('postgres://umt:[redacted]@db:5432/umt');
  });

  it('redacts credential fields at the top level and one level down, and credential headers', () => {
    const { logger, lines } = capture();
    logger.info({ password: 'pw-top', input: { password: 'pw-nested', email: 'a@example.test' }, result: { accessToken: 'at', refreshToken: 'rt' } }, 'fields');
    logger.info({ variables: { input: { newPassword: 'pw-new', currentPassword: 'pw-old' } } }, 'variables');
    logger.info({ headers: { authorization: 'Bearer abc', 'x-api-key': 'umt_key', 'x-umt-principal': 'jwt', accept: 'application/json' } }, 'headers');
    const [fields, variables, headers] = lines();
    expect(fields).toMatchObject({ password: '[redacted]', input: { password: '[redacted]', email: 'a@example.test' }, result: { accessToken: '[redacted]', refreshToken: '[redacted]' } });
    expect(variables).toMatchObject({ variables: { input: { newPassword: '[redacted]', currentPassword: '[redacted]' } } });
    expect(headers).toMatchObject({ headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', 'x-umt-principal': '[redacted]', accept: 'application/json' } });
  });

  it('logs a request without its headers and without its query string', () => {
    const { logger, lines } = capture();
    logger.info({ req: { method: 'GET', url: '/graphql?query=%7Bme%7D&variables=%7B%22password%22%3A%22x%22%7D', headers: { authorization: 'Bearer abc' }, ip: '127.0.0.1' } }, 'request');
    const [line] = lines();
    expect(line?.req).toEqual({ method: 'GET', url: '/graphql?[redacted]', remoteAddress: '127.0.0.1' });
  });

  it('logs an error without what a library hung on it (pg-pool puts the whole client on a lost connection\'s error)', () => {
    const { logger, raw, lines } = capture();
    const error = Object.assign(new Error('Connection terminated unexpectedly'), {
      code: 'ECONNRESET',
      client: { connectionParameters: { password: 'db-password-123' }, processID: 42, secretKey: 987654321 },
    });
    error.cause = Object.assign(new Error('read ECONNRESET'), { syscall: 'read', socket: { huge: 'x'.repeat(10_000) } });
    logger.warn({ err: error }, 'database connection lost');
    expect(raw[0]).not.toMatch(/secretKey|db-password-123|processID|huge/);
    expect(raw[0]?.length).toBeLessThan(6_000); // two stacks; the client alone would be about 8 KB
    expect(lines()[0]?.err).toMatchObject({ type: 'Error', message: 'Connection terminated unexpectedly', code: 'ECONNRESET', cause: { message: 'read ECONNRESET', syscall: 'read' } });
  });

  it('adds no trace fields outside a span', () => {
    const { logger, lines } = capture();
    logger.info('outside');
    expect(lines()[0]).not.toHaveProperty('trace_id');
  });
});
