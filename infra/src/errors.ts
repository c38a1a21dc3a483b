import { GraphQLError } from 'graphql';

/** Error codes a client can act on; every error the graph returns carries one in extensions.code. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  /** A dependency (the database, another service) is away or too slow right now: retrying shortly may work. */
  | 'SERVICE_UNAVAILABLE'
  /** An outside dependency (a platform, an AI provider) is failing and its circuit breaker refuses calls, or it timed out. */
  | 'DEPENDENCY_UNAVAILABLE'
  /** An external platform refused: the credentials (connect again), the rate (wait), the content (fix it), or for good. */
  | 'PROVIDER_AUTH_EXPIRED'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_INVALID_CONTENT'
  | 'PROVIDER_REJECTED'
  | 'PROVIDER_UNAVAILABLE'
  /** The organization's monthly AI budget is spent: no model is called until next month or a higher budget. */
  | 'BUDGET_EXCEEDED'
  /** Every AI provider failed or was skipped (open breaker). */
  | 'AI_UNAVAILABLE'
  /** The model kept answering with output that does not match the task's schema. */
  | 'AI_INVALID_OUTPUT'
  | 'INTERNAL_SERVER_ERROR';

export function graphError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = () => graphError('UNAUTHENTICATED', 'Authentication required: log in and send the token as "Authorization: Bearer <token>".');
export const notFound = (what: string) => graphError('NOT_FOUND', `${what} not found.`);
export const badInput = (message: string, field?: string) =>
  graphError('BAD_USER_INPUT', message, field ? { field } : {});
export const conflict = (message: string, field?: string) => graphError('CONFLICT', message, field ? { field } : {});

/** Codes that are safe to show the caller as they are; anything else is masked as an internal error. */
export const CLIENT_ERROR_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'DEPENDENCY_UNAVAILABLE',
  'PROVIDER_AUTH_EXPIRED',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_INVALID_CONTENT',
  'PROVIDER_REJECTED',
  'PROVIDER_UNAVAILABLE',
  'BUDGET_EXCEEDED',
  'AI_UNAVAILABLE',
  'AI_INVALID_OUTPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

/**
 * A refusal decided inside a transaction whose writes must still commit (a failed login attempt, a revoked
 * session): the transaction returns it, and `unlessRefused` throws it once the transaction is over.
 */
export interface Refusal {
  refused: GraphQLError;
}

export const refuse = (error: GraphQLError): Refusal => ({ refused: error });

export function unlessRefused<T extends object>(outcome: T | Refusal): T {
  if ('refused' in outcome) throw outcome.refused;
  return outcome;
}
