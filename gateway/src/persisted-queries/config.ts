import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * How a kind of caller must name its operations:
 * - `any`: free query text, automatic persisted queries (APQ) or a manifest id;
 * - `apq`: every request carries a persisted-query hash (APQ registration with the text is allowed);
 * - `safelist`: every request names an operation of the manifest by its id; nothing else runs.
 */
export type PersistedQueryPolicy = 'any' | 'apq' | 'safelist';

export interface PersistedQueriesConfig {
  /** How long an automatic persisted query stays in the shared cache, in seconds. */
  apqTtlSeconds: number;
  /** The persisted-query manifest (Apollo's `apollo-persisted-query-manifest` format). */
  manifestPath: string;
  /** Whether the path was set explicitly: then a missing file stops the gateway; the default path may be missing. */
  manifestRequired: boolean;
  /** How often the manifest's modification time is checked, in seconds (it is reloaded when it changes). */
  manifestPollSeconds: number;
  /** Partners: callers with an API key. */
  partners: PersistedQueryPolicy;
  /** First-party users, anonymous callers included. */
  users: PersistedQueryPolicy;
  /** Log (warn) every operation that is not in the manifest: caller kind, key id, operation name, hash. */
  logUnknown: boolean;
}

const DEFAULT_MANIFEST = resolve(__dirname, '..', '..', '..', 'schema', 'operations', 'persisted-query-manifest.json');

const policy = (fallback: PersistedQueryPolicy) =>
  z.enum(['any', 'apq', 'safelist'], { message: "expected 'any', 'apq' or 'safelist'" }).default(fallback);

/** The variables, in the shape parseEnv reads, so bad values are reported with the gateway's other variables. */
export const persistedQueryVariables = {
  APQ_TTL_SECONDS: z.coerce
    .number({ message: 'expected a whole number of seconds of at least 1' })
    .int('expected a whole number of seconds of at least 1')
    .min(1, 'expected a whole number of seconds of at least 1')
    .default(86_400),
  PERSISTED_QUERY_MANIFEST: z.string().min(1, 'expected a file path').optional(),
  PERSISTED_QUERY_MANIFEST_POLL_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds greater than 0' })
    .positive('expected a number of seconds greater than 0')
    .default(5),
  PERSISTED_QUERIES_PARTNERS: policy('safelist'),
  PERSISTED_QUERIES_USERS: policy('any'),
  PERSISTED_QUERY_LOG_UNKNOWN: z.enum(['true', 'false'], { message: "expected 'true' or 'false'" }).default('false'),
};

type PersistedQueryVariables = { [K in keyof typeof persistedQueryVariables]: z.output<(typeof persistedQueryVariables)[K]> };

export function persistedQueriesConfig(raw: PersistedQueryVariables): PersistedQueriesConfig {
  return {
    apqTtlSeconds: raw.APQ_TTL_SECONDS,
    manifestPath: raw.PERSISTED_QUERY_MANIFEST ? resolve(raw.PERSISTED_QUERY_MANIFEST) : DEFAULT_MANIFEST,
    manifestRequired: raw.PERSISTED_QUERY_MANIFEST !== undefined,
    manifestPollSeconds: raw.PERSISTED_QUERY_MANIFEST_POLL_SECONDS,
    partners: raw.PERSISTED_QUERIES_PARTNERS,
    users: raw.PERSISTED_QUERIES_USERS,
    logUnknown: raw.PERSISTED_QUERY_LOG_UNKNOWN === 'true',
  };
}
