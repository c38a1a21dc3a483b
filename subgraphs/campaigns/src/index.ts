import { join } from 'node:path';
import { createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { eventHandlers } from './events';
import { resolvers } from './resolvers';

/** The Content & Ad Management agent: publications on every channel. */
export function createCampaignsSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  return createSubgraph<DB>({
    name: 'campaigns',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers,
    policies,
    eventHandlers,
    deadLetterFields: 'campaigns',
    migrations,
    config,
    ...hooks,
  });
}
