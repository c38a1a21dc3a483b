import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { UnprocessableMessageError } from './unprocessable';

/** The JSON object an event carries. */
export type EventData = Record<string, unknown>;

/**
 * What travels as the message body. The W3C trace context (`traceparent`, `tracestate`) is not part of it:
 * it travels in the message headers, so that it describes the publish span rather than the resolver.
 */
export interface EventEnvelope<D extends EventData = EventData> {
  /** Unique; consumers use it for idempotency. */
  id: string;
  /** Also the routing key, e.g. `brand.created`. */
  type: string;
  /** The subgraph that published it. */
  source: string;
  /** ISO 8601 instant. */
  occurredAt: string;
  /** The organization the event belongs to: a UUID. */
  orgId: string;
  data: D;
}

/** `domain.something_happened`: lower case words separated by dots, at least two of them. */
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function isEventType(type: string): boolean {
  return EVENT_TYPE.test(type);
}

export function assertEventType(type: string): void {
  if (!isEventType(type)) {
    throw new Error(`"${type}" is not an event type: expected lower-case words separated by dots, e.g. "brand.created"`);
  }
}

/** True when a string anywhere in a JSON value (keys included) holds U+0000, which PostgreSQL's text and jsonb refuse. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));
  return false;
}

// Ids are UUIDs in PostgreSQL's sense (any version), as the uuid columns they end up in require.
const envelopeSchema = z
  .object({
    id: z.guid(),
    type: z.string().regex(EVENT_TYPE),
    source: z.string().min(1),
    occurredAt: z.iso.datetime({ offset: true }),
    orgId: z.guid(),
    data: z.record(z.string(), z.unknown()),
  })
  .refine((envelope) => !containsNul(envelope), 'strings must not contain U+0000');

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

/** Builds a new envelope (fresh id, occurred now). */
export function createEnvelope<D extends EventData>(input: {
  type: string;
  source: string;
  orgId: string;
  data: D;
  id?: string;
  occurredAt?: Date;
}): EventEnvelope<D> {
  assertEventType(input.type);
  if (typeof input.data !== 'object' || input.data === null || Array.isArray(input.data)) {
    throw new Error(`event ${input.type}: data must be a JSON object`);
  }
  const envelope: EventEnvelope<D> = {
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    orgId: input.orgId,
    // A JSON round trip: what consumers receive is exactly what was recorded (no Dates, no undefined, no prototypes).
    data: JSON.parse(JSON.stringify(input.data)) as D,
  };
  // What consumers would refuse is a programming error of the publisher: refused here, before it is recorded.
  const checked = envelopeSchema.safeParse(envelope);
  if (!checked.success) throw new Error(`event ${input.type}: not a valid envelope: ${problems(checked.error)}`);
  return envelope;
}

/** Validates a received envelope; throws UnprocessableMessageError (`not_envelope`) with the reason when it is not one. */
export function parseEnvelope(value: unknown): EventEnvelope {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) throw new UnprocessableMessageError('not_envelope', `not an event envelope: ${problems(result.error)}`);
  return result.data;
}

/** Parses a message body (UTF-8 JSON) into an envelope; throws UnprocessableMessageError when it is not one. */
export function decodeEnvelope(body: Buffer | string): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    throw new UnprocessableMessageError('not_json', `not an event envelope: body is not JSON (${(error as Error).message})`, { cause: error });
  }
  return parseEnvelope(json);
}

export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}
