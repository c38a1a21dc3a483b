import { valueWithin } from '@umt/infra';

/**
 * Apollo's KeyValueCache, spelled out: the packages of the tree depend on different majors of
 * @apollo/utils.keyvaluecache, and this shape is what every one of them accepts.
 */
interface StringCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/** Apollo Server keeps registered APQ texts under this prefix of its persisted-query cache. */
const APQ_PREFIX = 'apq:';
/** How long a response waits for its registration to be stored before it goes out anyway. */
const WRITE_WAIT_MS = 2_000;

/**
 * The APQ cache, bounded in time. A Redis client that cannot reach its server queues commands rather than failing
 * them, so an unbounded lookup would hang the request: a lookup that takes longer than `readWaitMs`
 * (REDIS_COMMAND_TIMEOUT_MS) or fails is a miss, which APQ clients answer by sending the query text again. With Redis down, persisted queries still work,
 * one round trip slower.
 *
 * Its writes are awaitable too. Apollo Server stores a newly registered query without waiting for the
 * write, so a client that sends the hash alone right after registering it (to this instance or another one sharing
 * Redis) could get PersistedQueryNotFound. The persisted-query plugin waits for `stored(hash)` before the
 * registering response leaves, bounded so that a slow cache only delays it.
 */
export class ApqStore implements StringCache {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly inner: StringCache,
    private readonly readWaitMs: number,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return valueWithin(this.inner.get(key), this.readWaitMs).catch(() => undefined);
  }

  delete(key: string): Promise<boolean | void> {
    return this.inner.delete(key);
  }

  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const write: Promise<void> = Promise.resolve(this.inner.set(key, value, options)).finally(() => {
      if (this.pending.get(key) === write) this.pending.delete(key);
    });
    this.pending.set(key, write);
    return write;
  }

  /** Resolves once the registration of `hash` in flight, if any, is stored or has failed (Apollo logs a failure). */
  async stored(hash: string): Promise<void> {
    const write = this.pending.get(APQ_PREFIX + hash);
    if (write) await valueWithin(write, WRITE_WAIT_MS).catch(() => undefined);
  }
}
