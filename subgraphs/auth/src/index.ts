import { join } from 'node:path';
import { accessTokenCodec, createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { createResolvers } from './resolvers';
import { authenticateApiKey } from './resolvers/api-keys';

const REFRESH_TOKEN_TTL_SECONDS = 30 * 86_400;

/** The Auth & Integration agent: organizations, users, memberships, sessions, partner API keys, security events. */
export function createAuthSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  return createSubgraph<DB>({
    name: 'auth',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers: createResolvers({
      accessTokens: accessTokenCodec(config.authTokenKeys, config.authTokenTtlSeconds),
      accessTokenTtlSeconds: config.authTokenTtlSeconds,
      refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS,
      // Without a mail server, development hands verification and invitation tokens back in the response.
      exposeTokens: config.nodeEnv !== 'production',
    }),
    policies,
    migrations,
    internalRoutes: [{ path: 'authenticate-api-key', handler: authenticateApiKey }],
    config,
    ...hooks,
  });
}
