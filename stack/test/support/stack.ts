import type { LogEvent } from 'kysely';
import { startStack, type Stack } from '../../src/index';

/** Environment for a test stack: in-memory PGlite unless a database URL is given, quiet logs. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PGLITE_DIR: 'memory',
    ...overrides,
  };
}

export function startTestStack(
  options: { databaseUrl?: string; onQuery?: (event: LogEvent) => void; env?: Record<string, string | undefined> } = {},
): Promise<Stack> {
  return startStack({
    env: testEnv({ ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}), ...options.env }),
    ephemeralPorts: true,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
}
