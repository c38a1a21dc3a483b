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
