import { join } from 'node:path';
import { createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { eventHandlers } from './events';
import { resolvers } from './resolvers';

/** The Content Creation & Testing agent: content for every channel. */
export function createCreationSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  return createSubgraph<DB>({
    name: 'creation',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers,
    policies,
    eventHandlers,
    deadLetterFields: 'creation',
    migrations,
    config,
    ...hooks,
  });
}
