import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createCache } from '../src/index';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('cache', () => {
  const namespace = `umt-test-${randomBytes(4).toString('hex')}`;
  const first = createCache<string>({ redisUrl: REDIS_URL, namespace });
  const second = createCache<string>({ redisUrl: REDIS_URL, namespace });
  const other = createCache<string>({ redisUrl: REDIS_URL, namespace: `${namespace}-other` });

  afterAll(async () => {
    await first.clear();
    await Promise.all([first.disconnect(), second.disconnect(), other.disconnect()]);
  });

  it('shares entries between instances through Redis, within a namespace only', async () => {
    await first.set('greeting', 'hello', 60_000);
    expect(await second.get('greeting')).toBe('hello');
    expect(await other.get('greeting')).toBeUndefined();
  });

  it('expires entries', async () => {
    await first.set('short', 'lived', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await second.get('short')).toBeUndefined();
  });

  it('falls back to process memory without REDIS_URL', async () => {
    const memory = createCache<number>({ namespace });
    await memory.set('n', 1);
    expect(await memory.get('n')).toBe(1);
    expect(await second.get('n')).toBeUndefined();
  });
});
