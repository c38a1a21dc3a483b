import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { context as otelContext, SpanStatusCode, type Context } from '@opentelemetry/api';
import { from, Observable, switchMap } from 'rxjs';
import { operationSpan } from './telemetry';

/** What the session side gives the client: a token that is fresh, and a way out when it cannot be renewed. */
export interface TokenSource {
  /** The access token to send (renewed first when it is about to expire), or null when nobody is logged in. */
  accessToken(): Promise<string | null>;
  /** Renews after the gateway refused the token; false when the session is over. */
  renewAfterRefusal(): Promise<boolean>;
}

/** Operation context flags. */
declare module '@apollo/client' {
  interface DefaultContext {
    /** Sent without a token (logging in, renewing a session). */
    anonymous?: boolean;
  }
}

const TRACE_OPTION = 'umtTraceContext';

/** Fetch with the operation's trace context active, so the fetch instrumentation's span and `traceparent` join it. */
function tracedFetch(input: RequestInfo | URL, init?: RequestInit & { [TRACE_OPTION]?: Context }): Promise<Response> {
  const { [TRACE_OPTION]: traceContext, ...rest } = init ?? {};
  return traceContext ? otelContext.with(traceContext, () => window.fetch(input, rest)) : window.fetch(input, rest);
}

/** One span per GraphQL operation, its context handed to the fetch. */
const traceLink = new ApolloLink((operation, forward) => {
  const { span, context } = operationSpan(operation.operationName ?? 'anonymous');
  operation.setContext(({ fetchOptions }: { fetchOptions?: object }) => ({ fetchOptions: { ...fetchOptions, [TRACE_OPTION]: context } }));
  return new Observable((observer) => {
    const subscription = forward(operation).subscribe({
      next(result) {
        if (result.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: result.errors[0]?.message ?? 'GraphQL error' });
        observer.next(result);
      },
      error(error: unknown) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
        observer.error(error);
      },
      complete() {
        span.end();
        observer.complete();
      },
    });
    return () => subscription.unsubscribe();
  });
});

/**
 * The app's client: a fresh access token on every operation (renewed once and retried when the gateway says
 * UNAUTHENTICATED), a span per operation, and operations sent by their id in the persisted-query manifest (the
 * gateway may refuse anything else from browsers).
 */
export function createApolloClient(tokens: TokenSource): ApolloClient {
  const auth = new SetContextLink(async (previous) => {
    if (previous.anonymous) return {};
    const token = await tokens.accessToken();
    return token ? { headers: { ...(previous.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } } : {};
  });
  const renewal = new ErrorLink(({ error, operation, forward }) => {
    const refused = CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (!refused || operation.getContext().anonymous) return;
    return from(tokens.renewAfterRefusal()).pipe(switchMap((renewed) => (renewed ? forward(operation) : new Observable<ApolloLink.Result>((o) => o.error(error)))));
  });
  const persisted = new PersistedQueryLink(
    generatePersistedQueryIdsFromManifest({ loadManifest: () => import('../../../schema/operations/persisted-query-manifest.json') }),
  );
  const http = new HttpLink({ uri: '/graphql', fetch: tracedFetch });
  return new ApolloClient({
    link: ApolloLink.from([renewal, auth, traceLink, persisted, http]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
