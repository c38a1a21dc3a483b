import { z } from 'zod';

/** The gateway's limits against abusive requests; every one is an environment variable (see .env.example). */
export interface ProtectionConfig {
  /** Deepest field nesting a query may have (fragments flattened). */
  maxDepth: number;
  /** Aliases a document may use (`__typename` aliases are free). */
  maxAliases: number;
  /** Directives a document may use. */
  maxDirectives: number;
  /** Lexical tokens a document may have; checked while parsing, so a huge document is never fully parsed. */
  maxTokens: number;
  /** Estimated cost (GraphQL Armor's cost model: objects, scalars, nesting and literal `first`) a query may have. */
  maxCost: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Requests one caller may make per window, counted in Redis when REDIS_URL is set (shared by every instance). */
  rateLimitMax: number;
  rateLimitWindowSeconds: number;
  /** Prefix of the rate limit's Redis keys. */
  rateLimitKeyPrefix: string;
  /**
   * Longest wait for any Redis command of the gateway (rate-limit counts, APQ lookups): beyond it the rate limit lets
   * the request through and an APQ lookup is a miss, so a hung Redis costs each request at most this much.
   */
  redisCommandTimeoutMs: number;
}

const count = (fallback: number) =>
  z.coerce.number({ message: 'expected a whole number of at least 1' }).int('expected a whole number of at least 1').min(1, 'expected a whole number of at least 1').default(fallback);

/** The variables, in the shape parseEnv reads, so bad values are reported with the gateway's other variables. */
export const protectionVariables = {
  GRAPHQL_MAX_DEPTH: count(12),
  GRAPHQL_MAX_ALIASES: count(15),
  GRAPHQL_MAX_DIRECTIVES: count(50),
  GRAPHQL_MAX_TOKENS: count(2000),
  GRAPHQL_MAX_COST: count(5000),
  MAX_BODY_BYTES: count(1024 * 1024),
  RATE_LIMIT_MAX: count(300),
  RATE_LIMIT_WINDOW_SECONDS: count(60),
  RATE_LIMIT_KEY_PREFIX: z.string().default('umt:ratelimit:'),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce
    .number({ message: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(10, 'expected at least 10 milliseconds')
    .max(60_000, 'expected at most 60000 milliseconds')
    .default(500),
};

type ProtectionVariables = { [K in keyof typeof protectionVariables]: z.output<(typeof protectionVariables)[K]> };

export function protectionConfig(raw: ProtectionVariables): ProtectionConfig {
  return {
    maxDepth: raw.GRAPHQL_MAX_DEPTH,
    maxAliases: raw.GRAPHQL_MAX_ALIASES,
    maxDirectives: raw.GRAPHQL_MAX_DIRECTIVES,
    maxTokens: raw.GRAPHQL_MAX_TOKENS,
    maxCost: raw.GRAPHQL_MAX_COST,
    maxBodyBytes: raw.MAX_BODY_BYTES,
    rateLimitMax: raw.RATE_LIMIT_MAX,
    rateLimitWindowSeconds: raw.RATE_LIMIT_WINDOW_SECONDS,
    rateLimitKeyPrefix: raw.RATE_LIMIT_KEY_PREFIX,
    redisCommandTimeoutMs: raw.REDIS_COMMAND_TIMEOUT_MS,
  };
}
