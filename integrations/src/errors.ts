/**
 * What went wrong at a provider, in our terms. Every adapter maps its provider's error answers to one of these kinds,
 * so callers (publishing, ads, the connection health check) act on the kind, never on a provider's raw answer.
 */
export type ProviderFailureKind =
  /** The token or key is no longer accepted: refresh it, or the account must be connected again. */
  | 'AUTH_EXPIRED'
  /** Too many requests: wait `retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** The provider refused what we sent (too long, bad media, duplicate): fix the content, do not retry as is. */
  | 'INVALID_CONTENT'
  /** Refused for good (no permission, deleted resource, unsupported): retrying will not help. */
  | 'PERMANENT'
  /** The provider failed or did not answer (5xx, network): retry later; this is what opens its circuit breaker. */
  | 'OUTAGE';

/** The GraphQL code each kind is reported under. */
export const PROVIDER_ERROR_CODES: Record<ProviderFailureKind, string> = {
  AUTH_EXPIRED: 'PROVIDER_AUTH_EXPIRED',
  RATE_LIMITED: 'PROVIDER_RATE_LIMITED',
  INVALID_CONTENT: 'PROVIDER_INVALID_CONTENT',
  PERMANENT: 'PROVIDER_REJECTED',
  OUTAGE: 'PROVIDER_UNAVAILABLE',
};

export interface ProviderErrorDetails {
  /** The HTTP status the provider answered, when it answered. */
  status?: number;
  /** Seconds to wait before trying again (RATE_LIMITED, sometimes OUTAGE). */
  retryAfterSeconds?: number;
  /** The provider's own error code (e.g. 'invalid_grant', '190', 'CAMPAIGN_NAME_EXISTS'), safe to show. */
  providerCode?: string;
}

/**
 * A provider's refusal or failure. The message is the provider's own explanation (never a token, a key or our
 * request), prefixed with the provider's name.
 */
export class ProviderError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly providerCode: string | undefined;

  constructor(
    readonly provider: string,
    readonly kind: ProviderFailureKind,
    message: string,
    details: ProviderErrorDetails = {},
  ) {
    super(`${provider}: ${message.slice(0, 500)}`);
    this.name = 'ProviderError';
    this.code = PROVIDER_ERROR_CODES[kind];
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.providerCode = details.providerCode;
  }
}

/**
 * The kind a bare HTTP status suggests, for providers whose error body does not say more: 401 → AUTH_EXPIRED, 429 →
 * RATE_LIMITED, other 4xx → INVALID_CONTENT (400, 422) or PERMANENT (403, 404, 409, ...), 5xx → OUTAGE.
 */
export function kindOfStatus(status: number): ProviderFailureKind {
  if (status === 401) return 'AUTH_EXPIRED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400 || status === 422 || status === 413) return 'INVALID_CONTENT';
  if (status >= 500) return 'OUTAGE';
  return 'PERMANENT';
}

/** Only an outage says anything about the provider's health: the other kinds do not count against its breaker. */
export function isOutage(error: unknown): boolean {
  return !(error instanceof ProviderError) || error.kind === 'OUTAGE';
}
