import type { z } from 'zod';
import type { EventData } from './envelope';
import { UnprocessableMessageError } from './unprocessable';

/**
 * The events a backbone knows: event type (routing key) → schema of its payload (`data`). Given to the backbone,
 * which checks every payload against it when it is recorded (an invalid one is a programming error: it throws) and
 * when it is consumed (an invalid one is dead-lettered at once, as `invalid_payload`). Schemas should not transform:
 * what is recorded is what consumers receive.
 */
export type EventCatalog = Readonly<Record<string, z.ZodType<EventData>>>;

/** The payload type of each event of a catalog. */
export type CatalogEvents<C extends EventCatalog> = { [K in keyof C & string]: z.output<C[K]> };

type Checked = { ok: true; data: EventData } | { ok: false; problem: string };

/** Whether a catalog has a schema for `type` (its own key: never one of Object's). */
export function inCatalog(catalog: EventCatalog, type: string): boolean {
  return Object.hasOwn(catalog, type);
}

function check(catalog: EventCatalog, type: string, data: unknown): Checked {
  const schema = inCatalog(catalog, type) ? catalog[type] : undefined;
  if (!schema) return { ok: false, problem: `${type} is not in the event catalog` };
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, problem: result.error.issues.map((i) => `data.${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ') };
}

/** At publish: the payload as its schema reads it; throws (a programming error) when the schema refuses it. */
export function payloadToPublish(catalog: EventCatalog, type: string, data: unknown): EventData {
  const checked = check(catalog, type, data);
  if (!checked.ok) throw new Error(`event ${type}: invalid payload: ${checked.problem}`);
  return checked.data;
}

/** At consume: the payload as its schema reads it; throws UnprocessableMessageError (`invalid_payload`) otherwise. */
export function payloadToConsume(catalog: EventCatalog, type: string, data: unknown): EventData {
  const checked = check(catalog, type, data);
  if (!checked.ok) throw new UnprocessableMessageError('invalid_payload', `invalid payload for ${type}: ${checked.problem}`);
  return checked.data;
}
