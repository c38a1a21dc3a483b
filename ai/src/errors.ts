/** What went wrong with a model provider, in our terms: the generator acts on the kind (retry, fall back, fail). */
export type AiFailureKind =
  /** 429: wait `retryAfterSeconds`, then retry; or try the next provider. */
  | 'RATE_LIMITED'
  /** 5xx, overloaded, no answer: retry with backoff; or the next provider. */
  | 'OUTAGE'
  /** The key is missing, wrong or revoked: this provider is out until configuration changes; next provider. */
  | 'AUTH'
  /** The provider refused the request itself (bad model name, too long a prompt): not retried as is. */
  | 'INVALID_REQUEST'
  /** The answer did not match the output schema (after the one retry with the validation error). */
  | 'INVALID_OUTPUT';

export class AiProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: AiFailureKind,
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number; providerCode?: string } = {},
  ) {
    super(`${provider}: ${message.slice(0, 500)}`);
    this.name = 'AiProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'RATE_LIMITED' || this.kind === 'OUTAGE';
  }
}

/** Every provider failed or was skipped: the generation fails with this, never hangs. */
export class AiUnavailableError extends Error {
  readonly code = 'AI_UNAVAILABLE';
  constructor(readonly attempts: { provider: string; error: string }[]) {
    super(`No AI provider could do this now: ${attempts.map((a) => `${a.provider} (${a.error})`).join('; ') || 'none configured'}.`);
    this.name = 'AiUnavailableError';
  }
}

/** The output kept failing its schema. */
export class InvalidOutputError extends Error {
  readonly code = 'AI_INVALID_OUTPUT';
  constructor(readonly provider: string, readonly problems: string[]) {
    super(`${provider} answered twice with output that does not match the task's schema: ${problems.slice(0, 5).join('; ')}`);
    this.name = 'InvalidOutputError';
  }
}
