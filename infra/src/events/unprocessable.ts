/**
 * Why a message ended as a dead letter: its handler kept failing (`handler_failed`, after the retries), or what it
 * carries can never be processed, which no retry would change: the body is not JSON (`not_json`), not an event
 * envelope (`not_envelope`: missing or malformed fields, an orgId that is not a UUID), or an envelope whose payload
 * fails its event type's schema (`invalid_payload`).
 */
export const DEAD_LETTER_REASONS = ['handler_failed', 'not_json', 'not_envelope', 'invalid_payload'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** The reasons that need no retries. */
export type PermanentFailureReason = Exclude<DeadLetterReason, 'handler_failed'>;

/** Thrown for a message no retry can fix; the delivery dead-letters it at once. */
export class UnprocessableMessageError extends Error {
  constructor(
    readonly reason: PermanentFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnprocessableMessageError';
  }
}
