import { join } from 'node:path';
import { createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { resolvers } from './resolvers';

/** The Brand & Project Management agent: brands, their voice, and projects. */
export function createBrandSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  return createSubgraph<DB>({
    name: 'brand',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers,
    policies,
    migrations,
    config,
    ...hooks,
  });
}
