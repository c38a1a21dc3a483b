import { GraphQLError } from 'graphql';

/** Why a call to a dependency was not answered. */
export type UnavailableReason = 'open' | 'timeout';

/**
 * A dependency behind a breaker did not answer: its breaker is open (the call was never made) or the call ran past
 * its deadline (it was aborted). The message names the dependency and nothing else about it: no address, no raw error.
 */
export class DependencyUnavailableError extends Error {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  constructor(
    readonly breaker: string,
    readonly dependency: string,
    readonly reason: UnavailableReason,
    readonly retryAfterSeconds: number,
  ) {
    super(
      reason === 'open'
        ? `${dependency} is unavailable: its circuit breaker is open after repeated failures; try again in ${retryAfterSeconds} s.`
        : `${dependency} did not answer in time; try again in a moment.`,
    );
    this.name = 'DependencyUnavailableError';
  }

  toGraphQLError(path?: readonly (string | number)[]): GraphQLError {
    return new GraphQLError(this.message, {
      path,
      extensions: { code: this.code, dependency: this.dependency, reason: this.reason, retryAfterSeconds: this.retryAfterSeconds },
    });
  }
}
