import type { Kysely, Transaction } from 'kysely';
import { payloadToPublish, type EventCatalog } from './catalog';
import { createEnvelope, type EventData, type EventEnvelope } from './envelope';
import { eventTables } from './tables';
import { injectTraceContext } from './tracing';

export interface RecordEventInput<D extends EventData = EventData> {
  type: string;
  /** The publishing subgraph. */
  source: string;
  orgId: string;
  data: D;
}

/**
 * Transactional outbox: writes the event in the caller's transaction, beside the change that causes it, with the
 * active OpenTelemetry context as a W3C carrier so the relay's publish span continues the caller's trace.
 * Nothing is published unless the transaction commits. With a catalog, the payload (as JSON, which is what consumers
 * get) must pass its type's schema: otherwise it throws before writing anything. Returns the envelope.
 */
export async function recordEvent<DB, D extends EventData>(
  trx: Transaction<DB> | Kysely<DB>,
  input: RecordEventInput<D>,
  catalog?: EventCatalog,
): Promise<EventEnvelope<D>> {
  if (!trx.isTransaction) {
    throw new Error(`recordEvent(${input.type}): call it with the transaction that makes the change, not with the database`);
  }
  const created = createEnvelope(input);
  // The schema's reading of the payload is what goes out (keys it does not know are left behind).
  const envelope = catalog ? { ...created, data: payloadToPublish(catalog, created.type, created.data) as D } : created;
  await eventTables(trx)
    .insertInto('outbox')
    .values({
      id: envelope.id,
      type: envelope.type,
      orgId: envelope.orgId,
      source: envelope.source,
      payload: JSON.stringify(envelope),
      traceContext: JSON.stringify(injectTraceContext()),
    })
    .execute();
  return envelope;
}
