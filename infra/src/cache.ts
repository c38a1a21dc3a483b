import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';

export interface CacheOptions {
  /** Redis URL; when absent the cache lives in process memory. */
  redisUrl?: string | undefined;
  /** Key prefix, so services and test runs never read each other's entries. */
  namespace: string;
}

/** A key-value cache shared by every instance of a service when Redis is configured. */
export function createCache<T = unknown>(options: CacheOptions): Keyv<T> {
  if (!options.redisUrl) return new Keyv<T>({ namespace: options.namespace });
  return new Keyv<T>({
    store: new KeyvRedis(options.redisUrl, { throwOnConnectError: true }),
    namespace: options.namespace,
    useKeyPrefix: false,
  });
}

/** Health checks in flight, per store: a check that is still waiting is shared rather than piled up. */
const pending = new WeakMap<object, Promise<boolean>>();

/**
 * Whether the cache answers, within `timeoutMs`: a Redis PING (connecting first if it never has); always true in
 * process memory. Bounded because a Redis client waits, rather than fails, while it cannot reach the server.
 */
export async function pingCache(cache: Keyv<unknown>, timeoutMs = 1_000): Promise<boolean> {
  const store: unknown = cache.store;
  if (!(store instanceof KeyvRedis)) return true;
  let check = pending.get(store);
  if (!check) {
    check = (async () => {
      try {
        const client = await store.getClient();
        // While reconnecting a command would wait in the offline queue: not ready is the answer already.
        if (!('isReady' in client) || !client.isReady || !('ping' in client)) return false;
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    })();
    pending.set(store, check);
    const done = check;
    void done.finally(() => {
      if (pending.get(store) === done) pending.delete(store);
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
