import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Kysely, Migration } from 'kysely';
import mercurius from 'mercurius';
import type { Logger } from 'pino';
import type { AccessPolicies } from './access';
import { breakerSnapshots, configureBreakers, readBreakerConfig, releaseBreakers } from './breakers';
import type { SubgraphContext } from './context';
import { deadLetterApi } from './dead-letter-api';
import { domainEventCatalog, domainEventRecorder, type DomainEventCatalog, type DomainEventHandlers, type EventRecorder } from './domain-events';
import { createEventBackbone, eventMigrations, transportHealthy, type DeadLetters, type EventBackbone, type TaskHandler, type Transport, type WorkQueue } from './events';
import { migrateToLatest, openDatabaseHost, type Database, type DatabaseHost } from './database';
import { PRINCIPAL_HEADER, principalCodec, type Principal } from './identity';
import { applyPolicies } from './policy-guard';
import { subgraphSdl } from './schema-sdl';
import { checkSharedEnums } from './shared-enums';
import { Loaders } from './loaders';
import { References } from './references';
import { drainPeriod, registerHealthRoutes } from './health';
import { configSecrets, createLogger } from './logger';
import { echoRequestId, requestIdOptions } from './request-id';
import { conformGraphQLRoutes, executionErrorFormatter, graphqlRequestErrors } from './subgraph-http';
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
  /** Handlers of the domain events this subgraph consumes, by type (payloads typed and checked by the domain catalog). */
  eventHandlers?: DomainEventHandlers<DB>;
  /** Serves `<prefix>DeadLetters` and the replay mutations (their SDL must be in the schema); see dead-letter-api.ts. */
  deadLetterFields?: string;
  /** An event transport shared with other services in this process; without one the subgraph creates its own. */
  eventTransport?: Transport;
  /**
   * Work the subgraph does on its own schedule (token refreshes, health checks): started once the service is ready,
   * stopped before its database closes.
   */
  background?: (services: BackgroundServices<DB>) => { stop(): Promise<void> };
  /**
   * Long tasks (AI generations) the subgraph consumes from a work queue of its own, outside any transaction:
   * registered at start, before consuming begins.
   */
  tasks?: (services: BackgroundServices<DB>) => { queue: WorkQueue; handlers: Record<string, TaskHandler> };
}

export interface BackgroundServices<DB> {
  db: Kysely<DB>;
  events: EventRecorder<DB>;
  logger: Logger;
}

/** What a caller (the one-process stack, a test) may add to a subgraph it creates. */
export type SubgraphHooks = Pick<SubgraphOptions<unknown>, 'databaseHost' | 'eventTransport'>;

export interface Subgraph<DB> {
  name: SubgraphName;
  app: FastifyInstance;
  /** The executable schema, access policies applied (for checks that inspect resolvers). */
  schema: GraphQLSchema;
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


/** Reads a subgraph's schema.graphql (with the shared SDL it includes), which sits in its src/ folder beside the compiled dist/. */
export function readSchema(packageDir: string): DocumentNode {
  return parse(subgraphSdl(join(packageDir, 'src', 'schema.graphql')));
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
  configureBreakers(readBreakerConfig(config.env));
  const logger: FastifyBaseLogger = createLogger(name, config.logLevel, { secrets: configSecrets(config) });
  const ownsHost = !options.databaseHost;
  const host =
    options.databaseHost ??
    openDatabaseHost({
      url: config.databaseUrl,
      pgliteDir: config.pgliteDir === 'memory' ? 'memory' : join(config.pgliteDir, name),
      applicationName: `umt-${name}`,
      timeouts: config.databaseTimeouts,
      onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; the pool opens a new one when needed'),
    });
  const database = host.forSchema<DB>(name);
  const events = createEventBackbone<DB, DomainEventCatalog>({
    service: name,
    database,
    ...(options.eventTransport ? { transport: options.eventTransport } : {}),
    catalog: domainEventCatalog,
    handlers: options.eventHandlers ?? {},
    config: config.events,
    logger: logger as unknown as Logger, // the same pino instance, typed by Fastify as its base logger
  });
  const recorder = domainEventRecorder(events);
  const references = new References(config.referenceWaitMs);

  const deadLetterFields = options.deadLetterFields
    ? deadLetterApi(options.deadLetterFields, () => events.deadLetters as DeadLetters<unknown>)
    : undefined;
  checkSharedEnums(name, options.typeDefs);
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
  const principals = principalCodec(config.principalKeys, config.principalTtlSeconds, name);
  const production = config.nodeEnv === 'production';
  let ready = false;
  let backgroundWork: { stop(): Promise<void> } | undefined;
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
  // Every subgraph's circuit breakers (external platforms, AI providers, websites), for the gateway's circuitBreakers
  // query; like every internal route, only the gateway may call it.
  app.post('/internal/circuits', async () => ({ service: name, breakers: breakerSnapshots(name) }));

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
        references,
      }) satisfies SubgraphContext<DB>,
    errorFormatter: executionErrorFormatter(production),
    errorHandler: graphqlRequestErrors(() => schema),
  });
  conformGraphQLRoutes(app, '/graphql');
  const unobserveMetrics = instrumentSubgraph(app, name, database as Database<unknown>, config.metricsToken); // after mercurius: it adds hooks

  return {
    name,
    app,
    schema,
    database,
    events,
    async start(listen) {
      await migrateToLatest(database, { ...options.migrations, ...eventMigrations });
      await events.transport.start();
      const services: BackgroundServices<DB> = { db: database.db, events: recorder, logger: logger as unknown as Logger };
      if (options.tasks && events.consumer.taskTypes.length === 0) {
        const { queue, handlers } = options.tasks(services);
        for (const [type, handler] of Object.entries(handlers)) events.consumer.onTask(type, queue, handler);
      }
      await events.consumer.start();
      if (listen.relay !== false) events.relay.start();
      backgroundWork = options.background?.(services);
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
        await backgroundWork?.stop();
        await app.close();
        await events.stop(); // stops consuming, flushes the outbox
        if (ownsHost) await host.close();
        releaseBreakers(name); // their timers; a subgraph started again in this process starts with fresh breakers
      })();
      return stopping;
    },
  };
}
