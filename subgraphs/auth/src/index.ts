import { join } from 'node:path';
import { accessTokenCodec, createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { createResolvers } from './resolvers';

/** The Auth & Integration agent: organizations, users, memberships, login. */
export function createAuthSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  return createSubgraph<DB>({
    name: 'auth',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers: createResolvers(accessTokenCodec(config.authTokenSecret, config.authTokenTtlSeconds), config.authTokenTtlSeconds),
    migrations,
    config,
    publicFields: ['Mutation.register', 'Mutation.login'],
    ...hooks,
  });
}
