/**
 * The one way an adapter reaches its provider: fetch behind the provider's circuit breaker (aborted at the
 * breaker's timeout), rate limits respected before calling, and every non-2xx answer turned into a ProviderError by
 * the provider's own `classify`. Tokens and keys go in headers set by the provider's `authorize`; none of it is ever
 * put in an error message.
 */
import { breakerFor, DependencyUnavailableError, type BreakerSettings } from '@umt/infra';
import { isOutage, kindOfStatus, ProviderError } from './errors';
import { rateLimits, retryAfterSeconds, standardRateLimit, type RateLimitState } from './rate-limits';

export interface ProviderRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path under the base URL (e.g. '/rest/posts'), or an absolute URL the provider handed out (upload URLs). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>;
  /** Sent as is (media), with `headers['content-type']`. */
  body?: Uint8Array | string;
}

export interface ProviderResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, text otherwise, undefined when empty. */
  body: T;
}

/** What a provider's adapter tells the client about itself. */
export interface ProviderProfile {
  /** e.g. 'linkedin': names the breaker ('platform:linkedin') and the rate-limit keys. */
  id: string;
  /** e.g. 'LinkedIn': names the provider in errors and on the dashboard. */
  displayName: string;
  /** Maps a non-2xx answer to a ProviderError (default: by status). */
  classify?: (response: ProviderResponse) => ProviderError;
  /** Reads the provider's rate-limit headers (default: X-RateLimit-*). */
  rateLimit?: (headers: Headers) => RateLimitState | undefined;
  /** Breaker settings this provider needs (a media upload takes longer than a post). */
  breaker?: Partial<BreakerSettings>;
}

export interface ProviderHttpOptions {
  profile: ProviderProfile;
  /** The service making the calls: the breaker belongs to it. */
  service: string;
  baseUrl: string;
  /** Sets the credentials on a request (Authorization, API key headers). */
  authorize?: (headers: Headers) => void;
  /** The account the calls act for: rate limits are kept per provider and account. */
  accountKey?: string;
}

export class ProviderHttp {
  readonly profile: ProviderProfile;
  private readonly options: ProviderHttpOptions;

  constructor(options: ProviderHttpOptions) {
    this.options = options;
    this.profile = options.profile;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** The same client acting with other credentials (after a refresh) or for another account. */
  with(overrides: Partial<Pick<ProviderHttpOptions, 'authorize' | 'accountKey' | 'baseUrl'>>): ProviderHttp {
    return new ProviderHttp({ ...this.options, ...overrides });
  }

  async request<T = unknown>(request: ProviderRequest): Promise<ProviderResponse<T>> {
    const { profile } = this.options;
    const limitKey = `${profile.id}:${this.options.accountKey ?? '-'}`;
    const wait = rateLimits.waitSeconds(limitKey);
    if (wait > 0) {
      throw new ProviderError(profile.displayName, 'RATE_LIMITED', `rate limit reached; calls resume in ${wait} s`, { retryAfterSeconds: wait });
    }
    const breaker = breakerFor({
      service: this.options.service,
      name: `platform:${profile.id}`,
      kind: 'PLATFORM',
      dependency: `the ${profile.displayName} API`,
      settings: profile.breaker,
      isFailure: isOutage,
    });
    const response = await breaker.call(async (signal) => {
      let answer: Response;
      try {
        answer = await fetch(this.url(request), { method: request.method ?? 'GET', headers: this.headers(request), body: this.body(request), signal, redirect: 'manual' });
      } catch (error) {
        if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : error;
        throw new ProviderError(profile.displayName, 'OUTAGE', 'the API could not be reached');
      }
      const parsed: ProviderResponse = { status: answer.status, headers: answer.headers, body: await readBody(answer) };
      rateLimits.observe(limitKey, (profile.rateLimit ?? standardRateLimit)(answer.headers), answer.status === 429 ? (retryAfterSeconds(answer.headers) ?? 1) : undefined);
      if (answer.status >= 200 && answer.status < 300) return parsed;
      const error = (profile.classify ?? defaultClassify(profile.displayName))(parsed);
      // Some providers throttle without a 429 (Facebook's codes 4/17/32/613 on a 400) or say the wait in the body:
      // the wait their classify found is kept too.
      if (error.kind === 'RATE_LIMITED' && error.retryAfterSeconds !== undefined) rateLimits.block(limitKey, Date.now() + error.retryAfterSeconds * 1000);
      throw error;
    });
    return response as ProviderResponse<T>;
  }

  private url(request: ProviderRequest): string {
    const url = /^https?:\/\//.test(request.path) ? new URL(request.path) : new URL(this.options.baseUrl.replace(/\/$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private headers(request: ProviderRequest): Headers {
    const headers = new Headers({ accept: 'application/json', 'user-agent': 'ultimate-marketing-team/0.1' });
    if (request.json !== undefined) headers.set('content-type', 'application/json');
    if (request.form !== undefined) headers.set('content-type', 'application/x-www-form-urlencoded');
    this.options.authorize?.(headers);
    for (const [key, value] of Object.entries(request.headers ?? {})) headers.set(key, value);
    return headers;
  }

  private body(request: ProviderRequest): string | Uint8Array | undefined {
    if (request.json !== undefined) return JSON.stringify(request.json);
    if (request.form !== undefined) {
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(request.form)) if (value !== undefined) form.set(key, value);
      return form.toString();
    }
    return request.body;
  }
}

async function readBody(answer: Response): Promise<unknown> {
  const text = await answer.text();
  if (!text) return undefined;
  if ((answer.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function defaultClassify(displayName: string): (response: ProviderResponse) => ProviderError {
  return (response) =>
    new ProviderError(displayName, kindOfStatus(response.status), `answered HTTP ${response.status}`, {
      status: response.status,
      retryAfterSeconds: retryAfterSeconds(response.headers),
    });
}

/** Whether an error means the provider is away (outage, open breaker, timeout): worth trying again later. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof DependencyUnavailableError || (error instanceof ProviderError && error.kind === 'OUTAGE');
}
