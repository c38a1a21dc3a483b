import { createTestDatabase } from '@umt/test-support';
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

export interface TestStackOptions {
  /**
   * Where the stack keeps its tables: 'postgres' (the default, as in production) is a database of the test's own on
   * the machine's PostgreSQL, dropped when the stack stops; 'pglite' is the embedded default of `npm start`, in memory.
   * A `databaseUrl` instead uses that database and leaves it to the caller.
   */
  database?: 'postgres' | 'pglite';
  databaseUrl?: string;
  onQuery?: (event: LogEvent) => void;
  env?: Record<string, string | undefined>;
}

/** The whole stack in this process, on ports the system chooses, as the end-to-end tests drive it through the gateway. */
export async function startTestStack(options: TestStackOptions = {}): Promise<Stack> {
  const own = !options.databaseUrl && options.database !== 'pglite' ? await createTestDatabase() : undefined;
  const databaseUrl = options.databaseUrl ?? own?.url;
  try {
    const stack = await startStack({
      env: testEnv({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...options.env }),
      ephemeralPorts: true,
      ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    });
    if (!own) return stack;
    return {
      ...stack,
      async stop() {
        try {
          await stack.stop();
        } finally {
          await own.drop();
        }
      },
    };
  } catch (error) {
    await own?.drop();
    throw error;
  }
}
