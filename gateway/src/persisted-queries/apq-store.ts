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
 * The APQ cache, with its writes awaitable. Apollo Server stores a newly registered query without waiting for the
 * write, so a client that sends the hash alone right after registering it (to this instance or another one sharing
 * Redis) could get PersistedQueryNotFound. The persisted-query plugin waits for `stored(hash)` before the
 * registering response leaves, bounded so that a slow cache only delays it.
 */
export class ApqStore implements StringCache {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly inner: StringCache) {}

  get(key: string): Promise<string | undefined> {
    return this.inner.get(key);
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
    if (!write) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WRITE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([write.catch(() => undefined), timeout]);
    clearTimeout(timer);
  }
}
