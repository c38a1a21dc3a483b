import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { Migration } from 'kysely';
import mercurius from 'mercurius';
import type { SubgraphContext } from './context';
import { migrateToLatest, openDatabaseHost, type Database, type DatabaseHost } from './database';
import { CLIENT_ERROR_CODES, unauthenticated } from './errors';
import { PRINCIPAL_HEADER, principalCodec, type Principal } from './identity';
import { Loaders } from './loaders';
import { createLogger } from './logger';
import { DateTime } from './scalars';
import type { CommonConfig } from './service-config';
import type { SubgraphName } from './services';

export interface SubgraphOptions {
  name: SubgraphName;
  typeDefs: DocumentNode;
  /**
   * Resolvers as generated types describe them. Typed loosely here because each subgraph's generated
   * `Resolvers` type differs; the subgraph checks them against its own generated types.
   */
  resolvers: object;
  migrations: Record<string, Migration>;
  config: CommonConfig;
  /** Root fields an anonymous caller may use, e.g. ['Mutation.register']. Everything else needs a user. */
  publicFields?: string[];
  /** A database host shared with other services in this process; without one the subgraph opens and owns its own. */
  databaseHost?: DatabaseHost;
}

/** What a caller (the one-process stack, a test) may add to a subgraph it creates. */
export type SubgraphHooks = Pick<SubgraphOptions, 'databaseHost'>;

export interface Subgraph<DB> {
  name: SubgraphName;
  app: FastifyInstance;
  database: Database<DB>;
  /** Opens the database, migrates, listens; resolves to the GraphQL endpoint URL. */
  start(listen: { port: number; host?: string }): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** Reads a subgraph's schema.graphql, which sits in its src/ folder beside the compiled dist/. */
export function readSchema(packageDir: string): DocumentNode {
  return parse(readFileSync(`${packageDir}/src/schema.graphql`, 'utf8'));
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Default deny: every root field and every entity lookup requires an authenticated principal unless
 * it is listed as public. Nested fields are only reachable through one of those, so they need no guard.
 */
function guardResolvers(resolvers: object, publicFields: Set<string>): GraphQLResolverMap<SubgraphContext<unknown>> {
  const guarded: Record<string, Record<string, unknown>> = {};
  for (const [typeName, fields] of Object.entries(resolvers as Record<string, unknown>)) {
    if (typeof fields !== 'object' || fields === null || fields.constructor !== Object) {
      guarded[typeName] = fields as Record<string, unknown>; // scalars and enums pass through
      continue;
    }
    const out: Record<string, unknown> = {};
    for (const [fieldName, resolver] of Object.entries(fields as Record<string, unknown>)) {
      const needsGuard =
        typeof resolver === 'function' &&
        (fieldName === '__resolveReference' || ROOT_TYPES.has(typeName)) &&
        !publicFields.has(`${typeName}.${fieldName}`);
      out[fieldName] = needsGuard ? requireUser(resolver as GuardedResolver, fieldName === '__resolveReference') : resolver;
    }
    guarded[typeName] = out;
  }
  return guarded as GraphQLResolverMap<SubgraphContext<unknown>>;
}

type GuardedResolver = (...args: unknown[]) => unknown;

function requireUser(resolver: GuardedResolver, isReference: boolean): GuardedResolver {
  // __resolveReference receives (reference, context, info); field resolvers (parent, args, context, info).
  const contextIndex = isReference ? 1 : 2;
  return function guarded(this: unknown, ...args: unknown[]) {
    const ctx = args[contextIndex] as SubgraphContext<unknown> | undefined;
    if (ctx?.principal.kind !== 'user') throw unauthenticated();
    return resolver.apply(this, args);
  };
}

/** Builds a subgraph service: Fastify + mercurius over a Federation 2 schema, with health and shutdown. */
export function createSubgraph<DB>(options: SubgraphOptions): Subgraph<DB> {
  const { name, config } = options;
  const logger: FastifyBaseLogger = createLogger(name, config.logLevel);
  const ownsHost = !options.databaseHost;
  const host =
    options.databaseHost ??
    openDatabaseHost({
      url: config.databaseUrl,
      pgliteDir: config.pgliteDir === 'memory' ? 'memory' : join(config.pgliteDir, name),
      applicationName: `umt-${name}`,
    });
  const database = host.forSchema<DB>(name);
  const principals = principalCodec(config.principalSecret, config.principalTtlSeconds);
  const production = config.nodeEnv === 'production';
  let ready = false;
  let stopping: Promise<void> | undefined;

  const schema = buildSubgraphSchema([
    {
      typeDefs: options.typeDefs,
      resolvers: {
        DateTime,
        ...guardResolvers(options.resolvers, new Set(options.publicFields ?? [])),
      } as GraphQLResolverMap<unknown>,
    },
  ]);

  const app = Fastify({ loggerInstance: logger, bodyLimit: 1024 * 1024, return503OnClosing: true });
  const requestPrincipals = new WeakMap<FastifyRequest, Principal>();

  app.get('/health/live', async () => ({ status: 'ok', service: name }));
  app.get('/health/ready', async (_request, reply) => {
    const databaseUp = ready && !stopping && (await database.ping());
    return reply.code(databaseUp ? 200 : 503).send({
      status: databaseUp ? 'ready' : 'unavailable',
      service: name,
      database: databaseUp ? 'up' : 'down',
      migrated: ready,
    });
  });

  // Subgraphs trust only the gateway: every GraphQL request must carry a principal it signed.
  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/graphql')) return;
    const token = request.headers[PRINCIPAL_HEADER];
    let principal: Principal | undefined;
    if (typeof token === 'string') {
      try {
        principal = principals.verify(token);
      } catch {
        principal = undefined;
      }
    }
    if (!principal) {
      return reply.code(401).send({
        data: null,
        errors: [{ message: 'Missing or invalid gateway principal.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    requestPrincipals.set(request, principal);
  });

  app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    jit: 0, // keeps graphql.execute in the path so resolver spans exist
    context: (request) =>
      ({
        principal: requestPrincipals.get(request) ?? { kind: 'anonymous' },
        db: database.db,
        loaders: new Loaders(),
        log: request.log,
      }) satisfies SubgraphContext<DB>,
    errorFormatter: (execution, ctx) => {
      const errors = execution.errors.map((error) => maskInternalError(error, production, ctx.reply?.log ?? app.log));
      return mercurius.defaultErrorFormatter({ ...execution, errors }, ctx);
    },
  });

  return {
    name,
    app,
    database,
    async start(listen) {
      await migrateToLatest(database, options.migrations);
      ready = true;
      const address = await app.listen({ port: listen.port, host: listen.host ?? config.host });
      const url = `${address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}/graphql`;
      app.log.info({ url }, `${name} subgraph listening`);
      return url;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        await app.close();
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
