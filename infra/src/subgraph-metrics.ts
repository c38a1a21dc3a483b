/** The metrics of a subgraph service: HTTP and /metrics (http-metrics.ts), its GraphQL operations and its pool. */
import type { FastifyInstance } from 'fastify';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Database } from './database';
import type { Principal } from './identity';
import { errorCode, exposeMetrics, observeOperation } from './http-metrics';
import { dbPoolConnections } from './metrics';

interface OperationTiming {
  startedAt: bigint;
  name: string | null;
  type: string;
}

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

/**
 * Registers the subgraph's series; call before the server starts. Returns the removal of its sampled sources,
 * for shutdown (several subgraphs may live in one process).
 */
export function instrumentSubgraph(app: FastifyInstance, service: string, database: Database<unknown>, metricsToken?: string): () => void {
  exposeMetrics(app, service, metricsToken);

  // Keyed by the request's GraphQL context object, which lives exactly as long as the operation.
  const timings = new WeakMap<object, OperationTiming>();
  app.after(() => {
    app.graphql.addHook('preParsing', (_schema, _source, context) => {
      timings.set(context, { startedAt: process.hrtime.bigint(), name: null, type: 'unknown' });
    });
    app.graphql.addHook('preExecution', (_schema, document, context) => {
      const timing = timings.get(context);
      const operation = operationOf(document);
      if (timing && operation) {
        timing.name = operation.name?.value ?? null;
        timing.type = operation.operation;
      }
    });
    app.graphql.addHook('onResolution', (execution, context) => {
      const timing = timings.get(context);
      if (!timing) return;
      timings.delete(context);
      observeOperation(service, {
        operationName: timing.name,
        authenticated: (context as { principal?: Principal }).principal?.kind !== 'anonymous',
        operationType: timing.type,
        durationSeconds: Number(process.hrtime.bigint() - timing.startedAt) / 1e9,
        errorCodes: (execution.errors ?? []).map((error) => errorCode(error)),
      });
    });
  });

  const pool = database.poolStats;
  if (!pool) return () => undefined; // PGlite: one connection, no pool to watch
  const removals = (['total', 'idle', 'waiting', 'max'] as const).map((state) =>
    dbPoolConnections.source({ service, state }, () => pool()[state]),
  );
  return () => removals.forEach((remove) => remove());
}
