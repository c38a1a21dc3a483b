import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { configSecrets, createCache, createLogger, echoRequestId, exposeMetrics, pingCache, registerHealthRoutes, drainPeriod, releaseBreakers, requestIdOptions, SUBGRAPHS, type SubgraphName } from '@umt/infra';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayConfig } from './config';
import { registerCors } from './cors';
import { ApqStore } from './persisted-queries/apq-store';
import { ManifestStore } from './persisted-queries/manifest';
import { persistedQueryPlugin } from './persisted-queries/plugin';
import { API_KEY_HEADER, createAuthenticator, type GatewayContext } from './principal';
import { authenticateEachRequest, callerContext } from './protection/authenticated-caller';
import { graphQLShapedErrors } from './protection/http-errors';
import { queryLimits } from './protection/query-limits';
import { limitRequestRate } from './protection/rate-limit';
import { MONITOR_SUBGRAPH, monitorDataSource } from './monitor';
import { SANDBOX_DOCUMENT } from './sandbox-document';
import { PrincipalForwardingDataSource } from './subgraph-data-source';
import { operationMetricsPlugin } from './operation-metrics';
import { registerOAuthCallbackPage } from './oauth-callback';
import { registerWebApp } from './web-app';

export interface Gateway {
  app: FastifyInstance;
  /** Listens and resolves to the GraphQL endpoint URL. */
  start(listen?: { port?: number; host?: string }): Promise<string>;
  /**
   * Starts a graceful shutdown: readiness answers 503 from now on while requests are still served; resolves after
   * SHUTDOWN_DRAIN_SECONDS. exitGracefully calls it before stop(). Safe to call twice.
   */
  drain(): Promise<void>;
  /** Stops accepting, lets in-flight operations finish, then closes. Safe to call twice. */
  stop(): Promise<void>;
}


/** The URL the supergraph gives a subgraph (`@join__graph(name: "auth", url: "…")`). */
function subgraphUrlIn(supergraphSdl: string, name: string): string {
  const match = new RegExp(`@join__graph\\(name: "${name}", url: "([^"]+)"\\)`).exec(supergraphSdl);
  if (!match?.[1]) throw new Error(`the supergraph has no subgraph named ${name}`);
  return match[1];
}

/**
 * graphql-js ends a validation message with what the caller may have meant ("Did you mean "name"?"): in production
 * that tells a caller which fields exist, so it is cut, and a near miss reads exactly like a wild guess.
 */
const SUGGESTION = /\s*Did you mean [\s\S]*\?\s*$/;

/** Every error leaves the gateway with an extensions.code a client can act on, and nothing of the internals. */
export function formatErrors(production: boolean): (formatted: GraphQLFormattedError) => GraphQLFormattedError {
  return (formatted) => {
    // A failed subgraph fetch carries the subgraph's URL and raw response: internals, never shown to callers.
    const { response: _response, exception: _exception, ...extensions } = formatted.extensions ?? {};
    const message = production ? formatted.message.replace(SUGGESTION, '') : formatted.message;
    return { ...formatted, message, extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' } };
  };
}

export function createGateway(config: GatewayConfig): Gateway {
  const logger: FastifyBaseLogger = createLogger('gateway', config.logLevel, { secrets: configSecrets(config) });
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.protection.maxBodyBytes,
    return503OnClosing: true,
    trustProxy: config.trustProxy,
    ...requestIdOptions,
  });
  echoRequestId(app);
  app.setErrorHandler(graphQLShapedErrors);
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const authUrl = config.subgraphUrls.auth ?? subgraphUrlIn(supergraphSdl, 'auth');
  const authenticator = createAuthenticator(config, {
    endpoint: authUrl.replace(/\/graphql$/, '/internal/authenticate-api-key'),
    cacheSeconds: config.apiKeyCacheSeconds,
  });
  const cache = createCache<string>({ redisUrl: config.redisUrl, namespace: config.cacheNamespace });
  const sharedCache = new KeyvAdapter(cache);
  const apqStore = new ApqStore(sharedCache, config.protection.redisCommandTimeoutMs);
  const manifest = new ManifestStore(config.persistedQueries.manifestPath, {
    required: config.persistedQueries.manifestRequired,
    pollSeconds: config.persistedQueries.manifestPollSeconds,
    logger,
  });
  let ready = false;
  let draining: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const subgraphUrl = (name: string, url?: string) => config.subgraphUrls[name as SubgraphName] ?? url ?? subgraphUrlIn(supergraphSdl, name);
  // The monitor subgraph runs here, in the gateway: the circuit breakers stay readable while any subgraph is down.
  const monitor = monitorDataSource({
    subgraphs: SUBGRAPHS.map(({ name }) => ({ name, url: subgraphUrl(name) })),
    config,
    logger,
  });
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      name === MONITOR_SUBGRAPH
        ? monitor
        : new PrincipalForwardingDataSource({ url: subgraphUrl(name, url), subgraph: name, logger, breakers: config.breakers }),
    logger,
  });

  const limits = queryLimits(config.protection, { logger });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true, // the default; a request must be JSON or carry a preflight header, so no simple cross-site request runs
    validationRules: limits.validationRules,
    cache: sharedCache,
    persistedQueries: { cache: apqStore, ttl: config.persistedQueries.apqTtlSeconds }, // APQ, in the shared cache
    introspection: config.sandbox,
    stopOnTerminationSignals: false, // shutdown is ours: exitGracefully stops the whole service in order
    includeStacktraceInErrorResponses: false, // stack traces go to the log, never to the caller
    formatError: formatErrors(config.nodeEnv === 'production'),
    logger,
    plugins: [
      operationMetricsPlugin(),
      ...limits.plugins,
      persistedQueryPlugin(config.persistedQueries, manifest, logger, apqStore),
      fastifyApolloDrainPlugin(app),
      config.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: { initialState: { pollForSchemaUpdates: false } },
            document: SANDBOX_DOCUMENT,
            // The slot for the token Register or Login returns; empty counts as no header.
            headers: { Authorization: '' },
            includeCookies: false,
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });

  exposeMetrics(app, 'gateway', config.metricsToken);
  // The subgraphs are not asked: each has its own readiness, and one down subgraph leaves the rest of the graph usable.
  registerHealthRoutes(app, {
    service: 'gateway',
    started: () => ready,
    shuttingDown: () => Boolean(draining ?? stopping),
    required: {},
    // Redis holds the APQ cache and the rate-limit counts; without it reads miss and limits fail open.
    degradable: { cache: config.redisUrl ? () => pingCache(cache) : undefined },
    strict: config.readinessStrict,
  });

  return {
    app,
    async start(listen = {}) {
      const webApp = await registerWebApp(app, config.web, app.log);
      if (!webApp && config.sandbox) app.get('/', async (_request, reply) => reply.redirect('/graphql'));
      registerOAuthCallbackPage(app, { webApp });
      await manifest.load(); // a bad manifest stops the gateway before it serves anything
      manifest.watch();
      await apollo.start();
      await registerCors(app, config.corsOrigins); // before /graphql: preflights are answered ahead of authentication and the rate limit
      await app.register(async function graphqlRoute(graphql) {
        authenticateEachRequest(graphql, async (request) => {
          const apiKey = request.headers[API_KEY_HEADER];
          return authenticator.authenticate({
            authorization: request.headers.authorization,
            apiKey: Array.isArray(apiKey) ? apiKey.join(',') : apiKey,
            address: request.ip,
          });
        });
        await limitRequestRate(graphql, config.protection, config.redisUrl);
        await graphql.register(fastifyApollo(apollo), { path: '/graphql', context: callerContext });
      });
      const address = await app.listen({ port: listen.port ?? config.port, host: listen.host ?? config.host });
      ready = true;
      const url = `${address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}/graphql`;
      app.log.info({ url, supergraph: config.supergraphPath }, config.sandbox ? `gateway ready; Apollo Sandbox at ${url}` : 'gateway ready');
      return url;
    },
    drain() {
      draining ??= drainPeriod(app.log, config.shutdownDrainSeconds);
      return draining;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        manifest.stop();
        await app.close(); // the drain plugin stops Apollo after in-flight operations finish
        await apollo.stop().catch(() => undefined);
        await cache.disconnect().catch(() => undefined);
        // The subgraph breakers are the process's (shared by every gateway in it): a gateway started again starts afresh.
        releaseBreakers('gateway');
      })();
      return stopping;
    },
  };
}
