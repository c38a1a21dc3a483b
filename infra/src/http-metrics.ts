/**
 * How a service feeds the shared registry (metrics.ts) and exposes it: HTTP request series from a Fastify hook,
 * GraphQL operation series from the gateway's Apollo plugin and the subgraphs' mercurius hooks, and GET /metrics.
 */
import type { FastifyInstance } from 'fastify';
import { collectRuntimeMetrics, graphqlErrors, graphqlOperationDuration, graphqlOperations, httpRequestDuration, httpRequests, metricsText } from './metrics';

/** Distinct operation names kept per service; later ones are counted as 'other' so a client cannot explode the series. */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Map<string, Set<string>>();

/** The operation_name label: the name, '(anonymous)' without one, 'other' past the cap. */
export function operationLabel(service: string, name: string | null | undefined): string {
  if (!name) return '(anonymous)';
  let seen = operationNames.get(service);
  if (!seen) {
    seen = new Set();
    operationNames.set(service, seen);
  }
  if (seen.has(name)) return name;
  if (seen.size >= MAX_OPERATION_NAMES) return 'other';
  seen.add(name);
  return name;
}

export interface OperationObservation {
  operationName: string | null | undefined;
  /** query, mutation, subscription; 'unknown' when the request never got that far (parse or validation failed). */
  operationType: string;
  durationSeconds: number;
  /** extensions.code of each error in the response (INTERNAL_SERVER_ERROR when an error has none). */
  errorCodes: string[];
}

export function observeOperation(service: string, observation: OperationObservation): void {
  const operationName = operationLabel(service, observation.operationName);
  const labels = {
    service,
    operation_name: operationName,
    operation_type: observation.operationType,
    outcome: observation.errorCodes.length > 0 ? 'error' : 'success',
  };
  graphqlOperations.inc(labels);
  graphqlOperationDuration.observe(labels, observation.durationSeconds);
  for (const code of observation.errorCodes) graphqlErrors.inc({ service, operation_name: operationName, code });
}

/** The code of a GraphQL error as it goes out. */
export function errorCode(error: { extensions?: Record<string, unknown> | undefined }): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Counts and times every HTTP request by route template (never the raw URL, whose ids would make a series each),
 * and serves the registry at GET /metrics. Prometheus text, unauthenticated: keep the port off public ingress.
 */
export function exposeMetrics(app: FastifyInstance, service: string): void {
  collectRuntimeMetrics();
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      service,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metricsText();
    return reply.type(contentType).send(body);
  });
}
