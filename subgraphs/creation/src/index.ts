import { join } from 'node:path';
import { createSubgraph, readSchema, type CommonConfig, type Subgraph, type SubgraphHooks } from '@umt/infra';
import type { DB } from './db/schema';
import { migrations } from './db/migrations';
import { policies } from './policies';
import { eventHandlers } from './events';
import { creationResolvers } from './resolvers';
import { CreationAi } from './agent/generation';

/** The Content Creation & Testing agent: content for every channel, and the agents' AI generations. */
export function createCreationSubgraph(config: CommonConfig, hooks: SubgraphHooks = {}): Subgraph<DB> {
  const ai = new CreationAi(config);
  return createSubgraph<DB>({
    name: 'creation',
    typeDefs: readSchema(join(__dirname, '..')),
    resolvers: creationResolvers(ai),
    tasks: (services) => ai.tasks(services),
    background: () => ai.background(),
    policies,
    eventHandlers,
    deadLetterFields: 'creation',
    migrations,
    config,
    ...hooks,
  });
}
