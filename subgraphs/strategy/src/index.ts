import { join } from 'node:path';
import { createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { eventHandlers } from './events';
import { resolvers } from './resolvers';

/** The Content Strategy & Research agent: the content calendar. */
export function createStrategySubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  return createSubgraph<DB>({
    name: 'strategy',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers,
    policies,
    eventHandlers,
    deadLetterFields: 'strategy',
    migrations,
    config,
    ...hooks,
  });
}
