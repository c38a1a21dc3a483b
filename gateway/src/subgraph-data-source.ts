import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { PRINCIPAL_HEADER, REQUEST_ID_HEADER, subgraphFetchDuration } from '@umt/infra';
import type { GatewayContext } from './principal';

type ProcessResult = ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>;

/** Forwards the gateway-signed principal with every subgraph fetch, and times each fetch per subgraph. */
export class PrincipalForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;

  constructor(options: { url: string; subgraph: string }) {
    super({ url: options.url });
    this.subgraph = options.subgraph;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('principalToken' in context && typeof context.principalToken === 'string') {
      request.http?.headers.set(PRINCIPAL_HEADER, context.principalToken);
    }
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
    } finally {
      stopTimer({ outcome });
    }
  }
}
