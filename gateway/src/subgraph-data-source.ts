import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  breakerFor,
  DependencyUnavailableError,
  PRINCIPAL_HEADER,
  REQUEST_ID_HEADER,
  subgraphFetchDuration,
  type BreakerConfig,
  type BreakerSettings,
  type CircuitBreaker,
} from '@umt/infra';
import type { FastifyBaseLogger } from 'fastify';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from './principal';

type ProcessResult = ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>;
type ProcessResponse = Awaited<ProcessResult>;
type Fetcher = RemoteGraphQLDataSource<GatewayContext>['fetcher'];

/**
 * What a subgraph's breaker starts from (BREAKER_* and BREAKER_OVERRIDES, e.g. `{"subgraph:*": {...}}`, override it):
 * a subgraph that has not answered in 10 s is treated as down; 5 failed fetches out of 10 or more within 30 s open the
 * breaker for 15 s.
 */
export const SUBGRAPH_BREAKER_SETTINGS: Partial<BreakerSettings> = {
  timeoutMs: 10_000,
  windowMs: 30_000,
  minimumCalls: 10,
  failureRate: 0.5,
  openMs: 15_000,
};

/** The breaker's name for a subgraph, as in metrics, the monitoring query and BREAKER_OVERRIDES. */
export const subgraphBreakerName = (subgraph: string) => `subgraph:${subgraph}`;

/** A failed fetch names this many failed fields at most; the rest are null all the same. */
const MAX_FIELD_ERRORS = 100;

/** The HTTP status of a subgraph's answer that was not a GraphQL response (RemoteGraphQLDataSource puts it there). */
function failedStatus(error: unknown): number | undefined {
  const status = (error as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Whether a failed fetch says the subgraph is unwell: no answer (refused, reset, aborted at the breaker's deadline, a
 * body that is not JSON) or a 5xx. A 4xx is our own request's fault; GraphQL errors in a 200 answer are not failures
 * at all (the fetch succeeded, and the breaker never sees them).
 */
export function isSubgraphFailure(error: unknown): boolean {
  const status = failedStatus(error);
  return status === undefined || status >= 500;
}

/**
 * What a caller learns when a subgraph fetch fails: that a service is unavailable (it could not be reached, did not
 * answer in time, or answered 5xx), or an internal error; never the subgraph's address, the socket error or its raw
 * answer, which go to the log.
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

/**
 * The signal of the fetch in progress. RemoteGraphQLDataSource builds the request init itself (method, headers,
 * body); the fetcher below adds the breaker's signal to it, so a fetch past its deadline really stops (the socket is
 * destroyed), not only the wait for it.
 */
const fetchSignal = new AsyncLocalStorage<AbortSignal>();

/** The response names `selectionSet` selects (through fragments), for objects of `typeName` when given. */
function responseNames(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, typeName?: string, seen = new Set<string>()): string[] {
  const names: string[] = [];
  const applies = (condition: string | undefined) => !typeName || !condition || condition === typeName;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') names.push(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value)) names.push(...responseNames(selection.selectionSet, fragments, typeName, seen));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value) || !applies(fragment.typeCondition.name.value)) continue;
      seen.add(fragment.name.value);
      names.push(...responseNames(fragment.selectionSet, fragments, typeName, seen));
    }
  }
  return [...new Set(names)];
}

/**
 * A failed fetch as a GraphQL response: `error` once for each field the fetch was to resolve, each with its path. The
 * gateway then answers with the data of every other fetch, these fields null, and errors that say where: a root field
 * (`["calendarEntries"]`), or an entity's field, which it maps from `["_entities", i, field]` to the entity's place in
 * the response (`["brands", "nodes", 3, "calendar"]`).
 */
export function failedFetchResponse(options: GraphQLDataSourceProcessOptions<GatewayContext>, error: GraphQLError): ProcessResponse {
  const formatted = { message: error.message, extensions: error.extensions };
  let document: DocumentNode;
  try {
    document = ('document' in options ? options.document : undefined) ?? parse(options.request.query ?? '');
  } catch {
    return { errors: [formatted] };
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return { errors: [formatted] };
  const errors: GraphQLFormattedError[] = [];
  const representations: unknown = options.request.variables?.representations;
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (Array.isArray(representations) && entities?.kind === Kind.FIELD && entities.selectionSet) {
    for (const [index, representation] of representations.entries()) {
      const typeName = (representation as { __typename?: unknown } | null)?.__typename;
      const fields = responseNames(entities.selectionSet, fragments, typeof typeName === 'string' ? typeName : undefined);
      for (const field of fields.length ? fields : [undefined]) {
        if (errors.length >= MAX_FIELD_ERRORS) break;
        errors.push({ ...formatted, path: field === undefined ? ['_entities', index] : ['_entities', index, field] });
      }
    }
  } else {
    for (const field of responseNames(operation.selectionSet, fragments).slice(0, MAX_FIELD_ERRORS)) errors.push({ ...formatted, path: [field] });
  }
  return { errors: errors.length ? errors : [formatted] };
}

export interface SubgraphDataSourceOptions {
  url: string;
  subgraph: string;
  logger?: FastifyBaseLogger;
  /** Breaker settings from the gateway's configuration (BREAKER_*); process.env's when absent. */
  breakers?: BreakerConfig;
}

/**
 * Forwards the principal signed for this subgraph with every fetch to it, times each fetch per subgraph, and sends
 * every fetch through the subgraph's circuit breaker (one per subgraph, shared by every gateway of the process): a
 * fetch is aborted at the breaker's deadline, and while the breaker is open, fetches fail at once, so one subgraph
 * down leaves the rest of the graph fast.
 *
 * A failed fetch costs its fields, not the operation: the caller gets the other subgraphs' data, and for each field
 * of the failed fetch an error with its path, coded SERVICE_UNAVAILABLE when the fetch was tried and failed (no
 * answer, 5xx, past the deadline) or DEPENDENCY_UNAVAILABLE when the open breaker refused it without trying (with
 * `retryAfterSeconds` until it lets a probe through).
 */
export class PrincipalForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly log: FastifyBaseLogger | undefined;
  private readonly breakerConfig: BreakerConfig | undefined;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url });
    this.subgraph = options.subgraph;
    this.log = options.logger;
    this.breakerConfig = options.breakers;
    const fetcher: Fetcher = this.fetcher;
    this.fetcher = (url, init) => {
      const signal = fetchSignal.getStore();
      return fetcher(url, signal ? { ...init, signal } : init);
    };
  }

  /** Looked up at each fetch: a breaker released at a gateway's shutdown is replaced by a fresh one. */
  private breaker(): CircuitBreaker {
    return breakerFor({
      service: 'gateway',
      name: subgraphBreakerName(this.subgraph),
      kind: 'SUBGRAPH',
      dependency: `the ${this.subgraph} service`,
      settings: SUBGRAPH_BREAKER_SETTINGS,
      ...(this.breakerConfig ? { config: this.breakerConfig } : {}),
      isFailure: isSubgraphFailure,
      ...(this.log ? { logger: this.log } : {}),
    });
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
    const startedAt = performance.now();
    const observe = (outcome: string) =>
      subgraphFetchDuration.observe({ service: 'gateway', subgraph: this.subgraph, outcome }, (performance.now() - startedAt) / 1000);
    const requestId = isCallerContext(options.context) ? options.context.requestId : undefined;
    try {
      const response = await this.breaker().call((signal) => fetchSignal.run(signal, () => super.process(options)));
      observe(response.errors?.length ? 'error' : 'success');
      return response;
    } catch (error) {
      if (error instanceof DependencyUnavailableError && error.reason === 'open') {
        // Refused without a fetch: the breaker's own metrics count it (outcome short_circuit).
        this.log?.debug({ subgraph: this.subgraph, requestId }, 'subgraph fetch refused: its circuit breaker is open');
        return failedFetchResponse(options, error.toGraphQLError());
      }
      observe('failure');
      this.log?.warn({ err: error, subgraph: this.subgraph, status: failedStatus(error), requestId }, 'subgraph fetch failed');
      return failedFetchResponse(options, subgraphFetchError(error));
    }
  }
}
