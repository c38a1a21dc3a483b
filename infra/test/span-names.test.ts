import { describe, expect, it } from '@jest/globals';
import { codeName, redactedUrl } from '../src/telemetry';

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

describe('outgoing URLs in spans keep no query values', () => {
  it('replaces every value and keeps the names', () => {
    const attributes = redactedUrl('https://graph.facebook.com', '/v19.0/oauth/access_token?client_id=1&client_secret=s3cr3t&code=abc&redirect_uri=x');
    expect(attributes['url.full']).toBe('https://graph.facebook.com/v19.0/oauth/access_token?client_id=REDACTED&client_secret=REDACTED&code=REDACTED&redirect_uri=REDACTED');
    expect(attributes['url.query']).not.toContain('s3cr3t');
  });

  it('leaves a URL without a query string alone', () => {
    expect(redactedUrl('https://api.x.com', '/2/users/me')).toEqual({});
  });
});
