import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { PRINCIPAL_HEADER } from '@umt/infra';
import type { GatewayContext } from './principal';

/** Forwards the gateway-signed principal with every subgraph fetch. */
export class PrincipalForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('principalToken' in context && typeof context.principalToken === 'string') {
      request.http?.headers.set(PRINCIPAL_HEADER, context.principalToken);
    }
  }
}
