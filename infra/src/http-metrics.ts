/**
 * How a service feeds the shared registry (metrics.ts) and exposes it: HTTP request series from a Fastify hook,
 * GraphQL operation series from the gateway's Apollo plugin and the subgraphs' mercurius hooks, and GET /metrics.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectRuntimeMetrics, graphqlErrors, graphqlOperationDuration, graphqlOperations, httpRequestDuration, httpRequests, metricsText } from './metrics';

/** Distinct operation names kept per service; later ones are counted as 'other' so a client cannot explode the series. */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Map<string, Set<string>>();

/**
 * The operation_name label: the name, '(anonymous)' without one, 'other' past the cap, and '(unauthenticated)' for
 * any operation of a caller who is not signed in, so that nobody can fill the cap (and hide every later name)
 * without credentials.
 */
export function operationLabel(service: string, name: string | null | undefined, authenticated: boolean): string {
  if (!authenticated) return '(unauthenticated)';
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
  /** Whether the caller is signed in (a user or an API key); see operationLabel. */
  authenticated: boolean;
  /** query, mutation, subscription; 'unknown' when the request never got that far (parse or validation failed). */
  operationType: string;
  durationSeconds: number;
  /** extensions.code of each error in the response (INTERNAL_SERVER_ERROR when an error has none). */
  errorCodes: string[];
}

export function observeOperation(service: string, observation: OperationObservation): void {
  const operationName = operationLabel(service, observation.operationName, observation.authenticated);
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

/** Whether an Authorization header carries the metrics token (compared in constant time). */
function hasToken(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Counts and times every HTTP request by route template (never the raw URL, whose ids would make a series each),
 * and serves the registry at GET /metrics: to anyone, or with `token` only to `Authorization: Bearer <token>`
 * (the gateway's port is public).
 */
export function exposeMetrics(app: FastifyInstance, service: string, token?: string): void {
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
  // Scrapes come every few seconds: their request lines only at warn and above.
  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    if (token && !hasToken(request.headers.authorization, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'metrics need the bearer token (METRICS_TOKEN)' });
    }
    const { contentType, body } = await metricsText();
    return reply.type(contentType).send(body);
  });
}
