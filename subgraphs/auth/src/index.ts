import { join } from 'node:path';
import { accessTokenCodec, createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { createResolvers } from './resolvers';
import { authenticateApiKey } from './resolvers/api-keys';
import { scheduleConnectionChecks } from './agent/connection-checks';
import { Connections } from './agent/connections';
import { readConnectionSettings } from './agent/integration-settings';
import { eventHandlers } from './events';

const REFRESH_TOKEN_TTL_SECONDS = 30 * 86_400;

/**
 * The Auth & Integration agent: organizations, users, memberships, sessions, partner API keys, security events, and
 * the brands' platform connections.
 */
export function createAuthSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  const connectionSettings = readConnectionSettings(config);
  const connections = new Connections(connectionSettings);
  return createSubgraph<DB>({
    name: 'auth',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers: createResolvers({
      accessTokens: accessTokenCodec(config.authTokenKeys, config.authTokenTtlSeconds),
      accessTokenTtlSeconds: config.authTokenTtlSeconds,
      refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS,
      // Without a mail server, development hands verification and invitation tokens back in the response.
      exposeTokens: config.nodeEnv !== 'production',
    }, connections),
    eventHandlers,
    deadLetterFields: 'auth',
    background: scheduleConnectionChecks(connections, connectionSettings.scanSeconds),
    policies,
    migrations,
    internalRoutes: [{ path: 'authenticate-api-key', handler: authenticateApiKey }],
    config,
    ...hooks,
  });
}
export { connectionConfigShape } from './agent/integration-settings';
