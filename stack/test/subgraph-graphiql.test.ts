import { afterAll, describe, expect, it } from '@jest/globals';
import { readCommonConfig } from '@umt/infra';
import { createStrategySubgraph } from '@umt/subgraph-strategy';

/** GraphiQL on a subgraph is a development tool: served outside production, absent in it. */
describe('subgraph GraphiQL', () => {
  const secrets = { AUTH_TOKEN_SECRET: 'a'.repeat(40), PRINCIPAL_SECRET: 'p'.repeat(40), PGLITE_DIR: 'memory', LOG_LEVEL: 'silent' };
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const subgraph of started) await subgraph.stop();
  });

  it.each([
    ['development', 200],
    ['production', 404],
  ] as const)('in %s answers %i', async (nodeEnv, status) => {
    const subgraph = createStrategySubgraph(readCommonConfig({ ...secrets, NODE_ENV: nodeEnv }));
    started.push(subgraph);
    const url = await subgraph.start({ port: 0 });
    const response = await fetch(url.replace('/graphql', '/graphiql'));
    expect(response.status).toBe(status);
  });
});
