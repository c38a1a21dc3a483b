import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { PRINCIPAL_HEADER, REQUEST_ID_HEADER, subgraphFetchDuration } from '@umt/infra';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './principal';

type ProcessResult = ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>;

/** The HTTP status of a subgraph's answer that was not a GraphQL response (RemoteGraphQLDataSource puts it there). */
function failedStatus(error: unknown): number | undefined {
  const status = (error as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * What a caller learns when a subgraph fetch fails: that a service is unavailable (it could not be reached, did not
 * answer, or answered 5xx), or an internal error; never the subgraph's address, the socket error or its raw answer,
 * which go to the log.
 */
export function subgraphFetchError(error: unknown): GraphQLError {
  const status = failedStatus(error);
  if (status === undefined || status >= 500) {
    return new GraphQLError('A service this request needs is unavailable right now; try again in a moment.', {
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
    });
  }
  return new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** The context of a caller's request, as opposed to the empty one of the gateway's own fetches. */
function isCallerContext(context: unknown): context is GatewayContext {
  return typeof (context as Partial<GatewayContext> | undefined)?.principalFor === 'function';
}

/** Forwards the principal signed for this subgraph with every fetch to it, and times each fetch per subgraph. */
export class PrincipalForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly log: FastifyBaseLogger | undefined;

  constructor(options: { url: string; subgraph: string; logger?: FastifyBaseLogger }) {
    super({ url: options.url });
    this.subgraph = options.subgraph;
    this.log = options.logger;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // A fetch the gateway makes on its own behalf (a health check) has no caller, hence no principal.
    if (isCallerContext(context)) request.http?.headers.set(PRINCIPAL_HEADER, context.principalFor(this.subgraph));
    // The subgraph takes it as its own request id: one id across the gateway's and the subgraphs' log lines.
    if ('requestId' in context && typeof context.requestId === 'string') {
      request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    }
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ProcessResult {
    const stopTimer = subgraphFetchDuration.startTimer({ service: 'gateway', subgraph: this.subgraph });
    let outcome = 'failure';
    try {
      const response = await super.process(options);
      outcome = response.errors?.length ? 'error' : 'success';
      return response;
    } catch (error) {
      const requestId = isCallerContext(options.context) ? options.context.requestId : undefined;
      this.log?.warn({ err: error, subgraph: this.subgraph, status: failedStatus(error), requestId }, 'subgraph fetch failed');
      throw subgraphFetchError(error);
    } finally {
      stopTimer({ outcome });
    }
  }
}
