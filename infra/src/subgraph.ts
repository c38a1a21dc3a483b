import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { Migration } from 'kysely';
import mercurius from 'mercurius';
import type { Logger } from 'pino';
import type { AccessPolicies } from './access';
import type { SubgraphContext } from './context';
import { deadLetterApi } from './dead-letter-api';
import type { EventRecorder } from './domain-events';
import { createEventBackbone, eventMigrations, transportHealthy, type DeadLetters, type EventBackbone, type EventHandlers, type Transport } from './events';
import { migrateToLatest, openDatabaseHost, type Database, type DatabaseHost } from './database';
import { CLIENT_ERROR_CODES } from './errors';
import { PRINCIPAL_HEADER, principalCodec, type Principal } from './identity';
import { applyPolicies } from './policy-guard';
import { Loaders } from './loaders';
import { drainPeriod, registerHealthRoutes } from './health';
import { configSecrets, createLogger } from './logger';
import { echoRequestId, requestIdOptions } from './request-id';
import { instrumentSubgraph } from './subgraph-metrics';
import { DateTime } from './scalars';
import type { CommonConfig } from './service-config';
import type { SubgraphName } from './services';

export interface InternalRoute<DB> {
  path: string;
  handler: (body: unknown, database: Database<DB>) => Promise<unknown>;
}

export interface SubgraphOptions<DB> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  /**
   * Resolvers as generated types describe them. Typed loosely here because each subgraph's generated
   * `Resolvers` type differs; the subgraph checks them against its own generated types.
   */
  resolvers: object;
  migrations: Record<string, Migration>;
  config: CommonConfig;
  /** Who may call each root field (all of them must be listed) and read each sensitive field. */
  policies: AccessPolicies;
  /** Routes only the gateway may call (e.g. API key checks), mounted under /internal. */
  internalRoutes?: InternalRoute<DB>[];
  /** A database host shared with other services in this process; without one the subgraph opens and owns its own. */
  databaseHost?: DatabaseHost;
  /** Handlers of the domain events this subgraph consumes, by type. */
  eventHandlers?: EventHandlers<DB>;
  /** Serves `<prefix>DeadLetters` and the replay mutations (their SDL must be in the schema); see dead-letter-api.ts. */
  deadLetterFields?: string;
  /** An event transport shared with other services in this process; without one the subgraph creates its own. */
  eventTransport?: Transport;
}

/** What a caller (the one-process stack, a test) may add to a subgraph it creates. */
export type SubgraphHooks = Pick<SubgraphOptions<unknown>, 'databaseHost' | 'eventTransport'>;

export interface Subgraph<DB> {
  name: SubgraphName;
  app: FastifyInstance;
  database: Database<DB>;
  events: EventBackbone<DB>;
  /**
   * Migrates, starts consuming, listens, and (unless `relay: false`) starts relaying the outbox; resolves to the
   * GraphQL endpoint URL. A process hosting several subgraphs starts every consumer before any relay, so that no
   * event is routed before its queue exists.
   */
  start(listen: { port: number; host?: string; relay?: boolean }): Promise<string>;
  /**
   * Starts a graceful shutdown: readiness answers 503 from now on while requests are still served; resolves after
   * SHUTDOWN_DRAIN_SECONDS. exitGracefully calls it before stop(). Safe to call twice.
   */
  drain(): Promise<void>;
  /** Stops accepting, lets in-flight requests finish, closes the database. Safe to call twice. */
  stop(): Promise<void>;
}


/** Reads a subgraph's schema.graphql, which sits in its src/ folder beside the compiled dist/. */
export function readSchema(packageDir: string): DocumentNode {
  return parse(readFileSync(`${packageDir}/src/schema.graphql`, 'utf8'));
}

/** Merges resolver maps type by type (Query from one, Query from another). */
function mergeResolvers(...maps: object[]): object {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map as Record<string, Record<string, unknown>>)) {
      // Scalars and other class instances are taken as they are.
      merged[typeName] = fields.constructor === Object ? { ...merged[typeName], ...fields } : fields;
    }
  }
  return merged;
}

/** Builds a subgraph service: Fastify + mercurius over a Federation 2 schema, with health and shutdown. */
export function createSubgraph<DB>(options: SubgraphOptions<DB>): Subgraph<DB> {
  const { name, config } = options;
  const logger: FastifyBaseLogger = createLogger(name, config.logLevel, { secrets: configSecrets(config) });
  const ownsHost = !options.databaseHost;
  const host =
    options.databaseHost ??
    openDatabaseHost({
      url: config.databaseUrl,
      pgliteDir: config.pgliteDir === 'memory' ? 'memory' : join(config.pgliteDir, name),
      applicationName: `umt-${name}`,
      onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost'),
    });
  const database = host.forSchema<DB>(name);
  const events = createEventBackbone<DB>({
    service: name,
    database,
    ...(options.eventTransport ? { transport: options.eventTransport } : {}),
    handlers: options.eventHandlers ?? {},
    config: config.events,
    logger: logger as unknown as Logger, // the same pino instance, typed by Fastify as its base logger
  });
  const recorder: EventRecorder<DB> = {
    async record(trx, type, orgId, data) {
      await events.record(trx, type, orgId, data);
    },
  };

  const deadLetterFields = options.deadLetterFields
    ? deadLetterApi(options.deadLetterFields, () => events.deadLetters as DeadLetters<unknown>)
    : undefined;
  const schema = buildSubgraphSchema([
    {
      typeDefs: options.typeDefs,
      resolvers: {
        DateTime,
        ...applyPolicies(
          name,
          options.typeDefs,
          mergeResolvers(options.resolvers, deadLetterFields?.resolvers ?? {}),
          { ...options.policies, ...deadLetterFields?.policies },
        ),
      } as GraphQLResolverMap<unknown>,
    },
  ]);
  const principals = principalCodec(config.principalKeys, config.principalTtlSeconds);
  const production = config.nodeEnv === 'production';
  let ready = false;
  let draining: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;


  const app = Fastify({ loggerInstance: logger, bodyLimit: 1024 * 1024, return503OnClosing: true, ...requestIdOptions });
  echoRequestId(app);
  const requestPrincipals = new WeakMap<FastifyRequest, Principal>();

  // Subgraphs use no Redis, so there is no cache check; without AMQP_URL the in-process bus needs none either.
  registerHealthRoutes(app, {
    service: name,
    started: () => ready,
    shuttingDown: () => Boolean(draining ?? stopping),
    required: { database: () => database.ping() },
    degradable: { broker: events.transport.kind === 'amqp' ? () => transportHealthy(events.transport) : undefined },
    strict: config.readinessStrict,
    extra: (checks) => ({ database: checks.database, migrated: ready }),
  });

  // Subgraphs trust only the gateway: every GraphQL and internal request must carry a principal it signed.
  app.addHook('preHandler', async (request, reply) => {
    const internal = request.url.startsWith('/internal/');
    if (!internal && !request.url.startsWith('/graphql')) return;
    const token = request.headers[PRINCIPAL_HEADER];
    let principal: Principal | undefined;
    if (typeof token === 'string') {
      try {
        principal = principals.verify(token);
      } catch {
        principal = undefined;
      }
    }
    if (!principal || (internal && principal.kind !== 'gateway')) {
      return reply.code(401).send({
        data: null,
        errors: [{ message: 'Missing or invalid gateway principal.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    requestPrincipals.set(request, principal);
  });

  for (const route of options.internalRoutes ?? []) {
    app.post(`/internal/${route.path}`, async (request) => route.handler(request.body, database));
  }

  app.register(mercurius, {
    schema,
    path: '/graphql',
    // A developer's window on one subgraph (its requests need a principal header too); never in production.
    graphiql: config.nodeEnv !== 'production',
    jit: 0, // keeps graphql.execute in the path so resolver spans exist
    context: (request) =>
      ({
        principal: requestPrincipals.get(request) ?? { kind: 'anonymous' },
        db: database.db,
        loaders: new Loaders(),
        log: request.log,
        events: recorder,
      }) satisfies SubgraphContext<DB>,
    errorFormatter: (execution, ctx) => {
      const errors = execution.errors.map((error) => maskInternalError(error, production, ctx.reply?.log ?? app.log));
      // Always 200: the gateway reads errors from the body, and a 4xx would reach clients as an opaque internal error.
      return { ...mercurius.defaultErrorFormatter({ ...execution, errors }, ctx), statusCode: 200 };
    },
  });
  const unobserveMetrics = instrumentSubgraph(app, name, database as Database<unknown>, config.metricsToken); // after mercurius: it adds hooks

  return {
    name,
    app,
    database,
    events,
    async start(listen) {
      await migrateToLatest(database, { ...options.migrations, ...eventMigrations });
      await events.transport.start();
      await events.consumer.start();
      if (listen.relay !== false) events.relay.start();
      ready = true;
      const address = await app.listen({ port: listen.port, host: listen.host ?? config.host });
      const url = `${address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}/graphql`;
      app.log.info({ url }, `${name} subgraph listening`);
      return url;
    },
    drain() {
      draining ??= drainPeriod(app.log, config.shutdownDrainSeconds);
      return draining;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        unobserveMetrics();
        await app.close();
        await events.stop(); // stops consuming, flushes the outbox
        if (ownsHost) await host.close();
      })();
      return stopping;
    },
  };
}

/** Client errors pass unchanged; anything unexpected is logged in full and shown as INTERNAL_SERVER_ERROR. */
function maskInternalError(error: GraphQLError, production: boolean, log: { error: (obj: object, msg: string) => void }): GraphQLError {
  const original = error.originalError;
  const code = error.extensions?.code;
  if (!original || (typeof code === 'string' && CLIENT_ERROR_CODES.has(code))) return error;
  if (original instanceof GraphQLError && typeof original.extensions?.code === 'string' && CLIENT_ERROR_CODES.has(original.extensions.code)) {
    return error;
  }
  if ('errors' in original && Array.isArray((original as { errors: unknown }).errors)) return error; // mercurius validation
  log.error({ err: original, path: error.path }, 'resolver failed');
  return new GraphQLError(production ? 'Internal server error.' : `Internal server error: ${original.message}`, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
