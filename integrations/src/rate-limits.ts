/**
 * Respecting a provider's rate limits: once a provider said "wait" (429 with Retry-After, or remaining calls at zero
 * until a reset time), calls for the same account are refused here, before reaching the provider, until then.
 */

export interface RateLimitState {
  /** Calls left in the current window, when the provider says. */
  remaining?: number;
  /** When the window resets (or when calls may resume after a 429). */
  resetAt?: Date;
}

/** `Retry-After` in seconds or as an HTTP date, as seconds from now. */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The common `X-RateLimit-Remaining` / `X-RateLimit-Reset` (epoch seconds) headers; providers add their own. */
export function standardRateLimit(headers: Headers): RateLimitState | undefined {
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('x-rate-limit-remaining');
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset');
  if (remaining === null && reset === null) return undefined;
  const resetSeconds = reset === null ? undefined : Number(reset);
  return {
    remaining: remaining === null ? undefined : Number(remaining),
    resetAt: resetSeconds === undefined || !Number.isFinite(resetSeconds) ? undefined : new Date(resetSeconds * 1000),
  };
}

/** Per key (provider and account), the time before which no call should be made. Process-wide, bounded in size. */
export class RateLimitGate {
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly maxKeys = 10_000) {}

  /** Seconds to wait before calling for `key`, or 0. */
  waitSeconds(key: string, now = Date.now()): number {
    const until = this.blockedUntil.get(key);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blockedUntil.delete(key);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  block(key: string, until: number): void {
    if (this.blockedUntil.size >= this.maxKeys) {
      const oldest = this.blockedUntil.keys().next().value;
      if (oldest !== undefined) this.blockedUntil.delete(oldest);
    }
    this.blockedUntil.set(key, Math.max(until, this.blockedUntil.get(key) ?? 0));
  }

  /** Records what an answer said about the limit. */
  observe(key: string, state: RateLimitState | undefined, retryAfter: number | undefined, now = Date.now()): void {
    if (retryAfter !== undefined) this.block(key, now + retryAfter * 1000);
    // Both apply: a 429 without Retry-After gets a default wait, while X's x-rate-limit-reset says the real one.
    if (state?.remaining === 0 && state.resetAt && state.resetAt.getTime() > now) this.block(key, state.resetAt.getTime());
  }
}

export const rateLimits = new RateLimitGate();
