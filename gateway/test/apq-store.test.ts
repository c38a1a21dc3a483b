import { describe, expect, it } from '@jest/globals';
import { ApqStore } from '../src/persisted-queries/apq-store';

/** A cache whose writes finish only when the test says so. */
function slowCache() {
  const values = new Map<string, string>();
  const finish: (() => void)[] = [];
  return {
    values,
    finishWrites: () => finish.splice(0).forEach((done) => done()),
    get: async (key: string) => values.get(key),
    delete: async (key: string) => values.delete(key),
    set: (key: string, value: string) =>
      new Promise<void>((resolve) => {
        finish.push(() => {
          values.set(key, value);
          resolve();
        });
      }),
  };
}

const settledWithin = async (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the APQ store', () => {
  it('lets a registering response wait until its query text is stored', async () => {
    const inner = slowCache();
    const store = new ApqStore(inner, 500);
    void store.set('apq:abc', '{ __typename }'); // as Apollo Server does: not awaited
    const stored = store.stored('abc');
    expect(await settledWithin(stored, 50)).toBe(false);
    inner.finishWrites();
    expect(await settledWithin(stored, 50)).toBe(true);
    expect(await store.get('apq:abc')).toBe('{ __typename }');
  });

  it('does not wait for a hash it is not writing', async () => {
    const store = new ApqStore(slowCache(), 500);
    void store.set('apq:abc', '{ __typename }');
    expect(await settledWithin(store.stored('def'), 50)).toBe(true);
  });

  it('gives up waiting on a cache that never answers, so the response still goes out', async () => {
    const store = new ApqStore(slowCache(), 500);
    void store.set('apq:abc', '{ __typename }');
    const started = Date.now();
    await store.stored('abc');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('counts a lookup the cache does not answer in time as a miss, so the client resends the text', async () => {
    const store = new ApqStore({
      get: () => new Promise<string | undefined>(() => undefined), // a Redis client queuing commands while offline
      set: async () => undefined,
      delete: async () => true,
    }, 500);
    const started = Date.now();
    expect(await store.get('apq:abc')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('counts a failing lookup as a miss', async () => {
    const store = new ApqStore({
      get: () => Promise.reject(new Error('connection refused')),
      set: async () => undefined,
      delete: async () => true,
    }, 500);
    expect(await store.get('apq:abc')).toBeUndefined();
  });
});
