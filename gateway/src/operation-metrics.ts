import type { ApolloServerPlugin } from '@apollo/server';
import { errorCode, observeOperation } from '@umt/infra';
import type { GatewayContext } from './principal';

/**
 * Times every operation from the request's arrival at Apollo to its response, refused ones included (their type
 * is 'unknown' when they were refused before Apollo knew it): a client sees those too.
 */
export function operationMetricsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const startedAt = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, response, contextValue }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          observeOperation('gateway', {
            // Only a name the document really has: a request's operationName field alone is any string a client sends.
            operationName: operation ? operationName : null,
            authenticated: contextValue.principal.kind !== 'anonymous',
            operationType: operation?.operation ?? 'unknown',
            durationSeconds: Number(process.hrtime.bigint() - startedAt) / 1e9,
            errorCodes: errors.map((error) => errorCode(error)),
          });
        },
      };
    },
  };
}
