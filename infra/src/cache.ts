import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { valueWithin } from './timeout';

export interface CacheOptions {
  /** Redis URL; when absent the cache lives in process memory. */
  redisUrl?: string | undefined;
  /** Key prefix, so services and test runs never read each other's entries. */
  namespace: string;
}

/** Reconnection attempts back off to every 2 s, with jitter so that instances do not reconnect in step. */
function reconnectDelay(attempts: number): number {
  return Math.min(2 ** attempts * 100, 2_000) + Math.random() * 100;
}

/** A key-value cache shared by every instance of a service when Redis is configured. */
export function createCache<T = unknown>(options: CacheOptions): Keyv<T> {
  if (!options.redisUrl) return new Keyv<T>({ namespace: options.namespace });
  // Without an offline queue, a command sent while Redis is unreachable fails at once (callers treat that as a
  // miss) instead of waiting, with its value, in a queue that grows for as long as the outage lasts.
  const client = { url: options.redisUrl, disableOfflineQueue: true, socket: { reconnectStrategy: reconnectDelay } };
  return new Keyv<T>({
    store: new KeyvRedis(client, { throwOnConnectError: true }),
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
  return (await valueWithin(check, timeoutMs)) ?? false;
}
