import { z } from 'zod';
import { env, parseEnv, requireSecret } from './config';
import { readEventConfig, type EventConfig } from './events/config';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from './database-connections';
import type { SecretSet } from './identity';
import { DEFAULT_REFERENCE_WAIT_MS } from './references';

const milliseconds = (fallback: number, max: number) =>
  z.coerce
    .number({ message: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(1, 'expected at least 1 millisecond')
    .max(max, `expected at most ${max} milliseconds`)
    .default(fallback);

/** Variables every service reads. Each is documented in .env.example. */
export const commonConfigShape = {
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  HOST: env.host(),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  PGLITE_DIR: z.string().default('.data'),
  REDIS_URL: env.url(['redis', 'rediss']),
  AUTH_TOKEN_SECRET: env.secret(),
  AUTH_TOKEN_ACCEPTED_SECRETS: env.secretList(),
  PRINCIPAL_SECRET: env.secret(),
  PRINCIPAL_ACCEPTED_SECRETS: env.secretList(),
  AUTH_TOKEN_TTL_SECONDS: env.durationSeconds(900),
  PRINCIPAL_TTL_SECONDS: env.durationSeconds(60),
  SHUTDOWN_DRAIN_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds' })
    .int('expected a whole number of seconds')
    .min(0, 'expected 0 or more seconds')
    .max(300, 'expected at most 300 seconds')
    .default(0),
  READINESS_STRICT: z.enum(['true', 'false'], { message: "expected 'true' or 'false'" }).default('false'),
  METRICS_TOKEN: z.string().min(16, 'expected a token of at least 16 characters').optional(),
  // 0 refuses an unknown reference at once (no wait for events in flight).
  REFERENCE_WAIT_MS: z.coerce
    .number({ message: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected 0 or more milliseconds')
    .max(60_000, 'expected at most 60000 milliseconds')
    .default(DEFAULT_REFERENCE_WAIT_MS),
  DATABASE_CONNECT_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.connectMs, 60_000),
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.statementMs, 600_000),
};

export interface CommonConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  /** PostgreSQL URL, or undefined for the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Deadlines of PostgreSQL connections and statements (PGlite, in the process, needs none). */
  databaseTimeouts: DatabaseTimeouts;
  /** Where PGlite keeps its files; 'memory' keeps nothing. */
  pgliteDir: string;
  redisUrl: string | undefined;
  /** Signs access tokens; the accepted ones still verify during a rotation. */
  authTokenKeys: SecretSet;
  /** Signs gateway → subgraph principals; the accepted ones still verify during a rotation. */
  principalKeys: SecretSet;
  authTokenTtlSeconds: number;
  principalTtlSeconds: number;
  /** The event backbone: RabbitMQ or in-process, retries, dead letters. */
  events: EventConfig;
  /**
   * On SIGTERM/SIGINT, how long the service keeps serving with readiness false before it closes, so that a load
   * balancer stops sending it requests first. 0 (the default) closes at once.
   */
  shutdownDrainSeconds: number;
  /**
   * Whether dependencies the service can serve without (the broker for a subgraph: events wait in the outbox; Redis
   * for the gateway: cache reads miss, rate limits fail open) make it unready too. By default they make it
   * 'degraded', still ready, so that their outage does not take every instance out of rotation at once.
   */
  readinessStrict: boolean;
  /** When set, GET /metrics requires `Authorization: Bearer <token>` (Prometheus: `authorization.credentials`). */
  metricsToken: string | undefined;
  /**
   * How long a mutation that references another domain's id (a brand, a project, content) waits for that id to reach
   * the subgraph's projection before answering NOT_FOUND: the event of something created a moment ago may be on its
   * way. See infra/src/references.ts.
   */
  referenceWaitMs: number;
  /** The environment the configuration was read from: a service reads its own variables from the same place. */
  env: Readonly<Env>;
}

type Env = Record<string, string | undefined>;

/** Reads the common variables; throws ConfigError naming each bad one. */
export function readCommonConfig(source: Env = process.env): CommonConfig {
  const raw = parseEnv(commonConfigShape, source);
  return {
    nodeEnv: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    host: raw.HOST,
    databaseUrl: raw.DATABASE_URL,
    databaseTimeouts: {
      connectMs: raw.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
      answerGraceMs: DEFAULT_DATABASE_TIMEOUTS.answerGraceMs,
    },
    pgliteDir: raw.PGLITE_DIR,
    redisUrl: raw.REDIS_URL,
    authTokenKeys: {
      secret: requireSecret('AUTH_TOKEN_SECRET', raw.AUTH_TOKEN_SECRET, raw.NODE_ENV),
      acceptedSecrets: raw.AUTH_TOKEN_ACCEPTED_SECRETS,
    },
    principalKeys: {
      secret: requireSecret('PRINCIPAL_SECRET', raw.PRINCIPAL_SECRET, raw.NODE_ENV),
      acceptedSecrets: raw.PRINCIPAL_ACCEPTED_SECRETS,
    },
    authTokenTtlSeconds: raw.AUTH_TOKEN_TTL_SECONDS,
    principalTtlSeconds: raw.PRINCIPAL_TTL_SECONDS,
    events: readEventConfig(source),
    shutdownDrainSeconds: raw.SHUTDOWN_DRAIN_SECONDS,
    readinessStrict: raw.READINESS_STRICT === 'true',
    metricsToken: raw.METRICS_TOKEN,
    referenceWaitMs: raw.REFERENCE_WAIT_MS,
    env: source,
  };
}

/** Reads PORT for a standalone service. */
export function readPort(defaultPort: number, source: Env = process.env): number {
  return parseEnv({ PORT: env.port(defaultPort) }, source).PORT;
}
