import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, readCommonConfig, readPort } from '../src/index';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');

describe('configuration', () => {
  it('names every bad variable and what it expects', () => {
    let error: unknown;
    try {
      readCommonConfig({ DATABASE_URL: 'mysql://localhost/x', LOG_LEVEL: 'loud', PRINCIPAL_SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(message).toMatch(/LOG_LEVEL: .*"loud"/);
    expect(message).toMatch(/PRINCIPAL_SECRET: expected a secret of at least 32 characters \(got "<redacted>"\)/);
    expect(message).not.toContain('short');
  });

  it('requires real secrets in production and uses development defaults elsewhere', () => {
    expect(() => readCommonConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_TOKEN_SECRET: required in production/);
    expect(readCommonConfig({}).authTokenKeys.secret.length).toBeGreaterThanOrEqual(32);
    expect(() => readPort(4000, { PORT: '70000' })).toThrow(/PORT: expected a port between 0 and 65535/);
  });

  it.each([
    ['subgraphs/brand/dist/main.js', { PORT: 'eighty' }, 'PORT'],
    ['subgraphs/auth/dist/main.js', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['gateway/dist/main.js', { SUBGRAPH_BRAND_URL: 'ftp://brand' }, 'SUBGRAPH_BRAND_URL'],
    ['gateway/dist/main.js', { NODE_ENV: 'production' }, 'AUTH_TOKEN_SECRET'],
    ['stack/dist/main.js', { REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
  ])('%s with %j stops at start naming %s', async (entry, env, variable) => {
    const failure = await run('node', [resolve(ROOT, entry)], {
      env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'true', PGLITE_DIR: 'memory', ...env },
      timeout: 30_000,
    }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(78);
    expect(failure?.stderr).toContain('Invalid configuration');
    expect(failure?.stderr).toContain(variable);
  });
});
