import { afterAll, describe, expect, it } from '@jest/globals';
import { readCommonConfig } from '@umt/infra';
import { createStrategySubgraph } from '@umt/subgraph-strategy';

/** GraphiQL on a subgraph is a development tool: served outside production, absent in it. */
describe('subgraph GraphiQL', () => {
  // The routes are asked in memory (inject), so nothing starts: no migration, no connection to the database.
  const env = { AUTH_TOKEN_SECRET: 'a'.repeat(40), PRINCIPAL_SECRET: 'p'.repeat(40), DATABASE_URL: 'postgres://unused@127.0.0.1:9/unused', LOG_LEVEL: 'silent' };
  const built: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const subgraph of built) await subgraph.stop();
  });

  it.each([
    ['development', 200],
    ['production', 404],
  ] as const)('in %s answers %i', async (nodeEnv, status) => {
    const subgraph = createStrategySubgraph(readCommonConfig({ ...env, NODE_ENV: nodeEnv }));
    built.push(subgraph);
    const response = await subgraph.app.inject({ method: 'GET', url: '/graphiql' });
    expect(response.statusCode).toBe(status);
  });
});
