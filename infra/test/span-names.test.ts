import { describe, expect, it } from '@jest/globals';
import { codeName } from '../src/telemetry';

describe('span names keep code and paths out', () => {
  it.each([
    ['an identifier', 'graphqlRoute', 'graphqlRoute'],
    ['a package-like plugin name', '@fastify/cors', '@fastify/cors'],
    ['a hook part', 'route -> preHandler', 'route -> preHandler'],
    ['an anonymous plugin, named after its source', 'async (graphql) => {\n  authenticateEachRequest(graphql, …', 'anonymous'],
    ['a function expression', 'function (instance, opts, done) { done() }', 'anonymous'],
    ['a plugin file in node_modules', '/srv/app/node_modules/@fastify/rate-limit/index.js', '@fastify/rate-limit'],
    ['a plugin file of the project', '/srv/app/gateway/dist/protection/rate-limit.js', 'rate-limit'],
  ])('%s', (_what, name, expected) => {
    expect(codeName(name)).toBe(expected);
  });
});
