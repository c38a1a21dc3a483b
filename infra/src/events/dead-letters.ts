import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterCursor, cursorValue, fetchPage, keysetOrder, type Connection, type PageArgs } from '../pagination';
import type { EventConsumer } from './consumer';
import type { EventEnvelope } from './envelope';
import { errorText, type DeadLetterRecord } from './transport';
import { eventTables, type EventTables } from './tables';
import type { DeadLetterReason } from './unprocessable';

/** A message a service gave up on, as its `dead_letters` table keeps it. */
export interface DeadLetter {
  id: string;
  /** The envelope's id, or for a body that was no envelope a UUID derived from the body (deadLetterKey). */
  eventId: string;
  /** The envelope's type, or the routing key (or 'unknown') of a body that was no envelope. */
  type: string;
  /** Null when the message had no valid envelope: only operators see it. */
  orgId: string | null;
  /** Null when the body was not an envelope. */
  envelope: EventEnvelope | null;
  /** The body as received, as UTF-8 text (the envelope's JSON for rows recorded before bodies were kept). */
  body: string;
  reason: DeadLetterReason;
  /** The last failure's error (stack included). */
  error: string;
  /** Failed attempts in all, failed replays included. */
  attempts: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
  replayedAt: Date | null;
}

export interface DeadLetterListArgs extends PageArgs {
  /** 'pending' (not replayed; default), 'replayed' or 'all'. */
  status?: 'pending' | 'replayed' | 'all';
  /** Only this organization's events (what an organization's ADMIN may see); without it, every row, those of no organization included. */
  orgId?: string;
}

export type ReplayOutcome = 'applied' | 'already_processed' | 'failed' | 'not_found';

export interface ReplayResult {
  id: string;
  eventId: string | null;
  outcome: ReplayOutcome;
  error?: string;
}

export interface ReplayAllResult {
  applied: number;
  alreadyProcessed: number;
  failed: number;
  results: ReplayResult[];
}

/** Bodies are kept up to this size; a larger one (no event is near it) is stored cut. */
export const MAX_STORED_BODY_BYTES = 1024 * 1024;

/**
 * The event id under which a body that is no envelope is kept: a UUID made of the body's SHA-256, so the same body
 * delivered again finds its row. Version 8 (RFC 9562, custom), so it never equals an envelope's random (v4) id.
 */
export function deadLetterKey(body: Buffer | string): string {
  const hash = createHash('sha256').update(body).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Records a message's final failure: one row per event (or per body, for a body that is no envelope), so a later
 * failure of the same event (it came again, or a replay failed) updates that row instead of adding one. Only a valid
 * envelope gives the row an organization. Times are stored with millisecond precision, as JavaScript reads them
 * back, so keyset cursors over them are exact.
 */
export async function recordDeadLetter(
  db: Kysely<EventTables>,
  record: Omit<DeadLetterRecord, 'firstFailedAt' | 'lastFailedAt'> & { firstFailedAt: string | Date; lastFailedAt: string | Date },
): Promise<void> {
  const { envelope } = record;
  const body = Buffer.isBuffer(record.body) ? record.body : Buffer.from(record.body, 'utf8');
  await db
    .insertInto('deadLetters')
    .values({
      id: randomUUID(),
      eventId: envelope?.id ?? deadLetterKey(body),
      type: envelope?.type ?? record.routingKey ?? 'unknown',
      orgId: envelope?.orgId ?? null,
      envelope: envelope ? JSON.stringify(envelope) : null,
      body: body.subarray(0, MAX_STORED_BODY_BYTES),
      reason: record.reason,
      error: record.error,
      attempts: record.attempts,
      firstFailedAt: new Date(record.firstFailedAt),
      lastFailedAt: new Date(record.lastFailedAt),
    })
    .onConflict((oc) =>
      oc.column('eventId').doUpdateSet((eb) => ({
        error: eb.ref('excluded.error'),
        reason: eb.ref('excluded.reason'),
        attempts: sql<number>`dead_letters.attempts + excluded.attempts`,
        firstFailedAt: sql<Date>`least(dead_letters.first_failed_at, excluded.first_failed_at)`,
        lastFailedAt: eb.ref('excluded.lastFailedAt'),
        replayedAt: null,
      })),
    )
    .execute();
}

function selectDeadLetters(db: Kysely<EventTables>) {
  return db
    .selectFrom('deadLetters')
    .select(['id', 'eventId', 'type', 'orgId', 'body', 'reason', 'error', 'attempts', 'firstFailedAt', 'lastFailedAt', 'replayedAt'])
    // As text: the CamelCasePlugin would rename snake_case keys inside the event's data.
    .select(sql<string | null>`envelope::text`.as('envelopeJson'));
}

type DeadLetterRow = Omit<DeadLetter, 'envelope' | 'body' | 'reason'> & { envelopeJson: string | null; body: Uint8Array | null; reason: string };

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const { envelopeJson, body, reason, ...rest } = row;
  return {
    ...rest,
    envelope: envelopeJson === null ? null : (JSON.parse(envelopeJson) as EventEnvelope),
    // pg reads bytea as a Buffer, PGlite as a Uint8Array.
    body: body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : (envelopeJson ?? ''),
    reason: reason as DeadLetterReason,
  };
}

/** Listing and replaying one service's dead letters. Replays run through the consumer's idempotent path. */
export class DeadLetters<DB> {
  private readonly db: Kysely<EventTables>;

  constructor(private readonly consumer: EventConsumer<DB>) {
    this.db = eventTables(consumer.database.db);
  }

  /** A page of dead letters, the latest failure first. */
  async list(args: DeadLetterListArgs = {}): Promise<Connection<DeadLetter>> {
    const status = args.status ?? 'pending';
    return fetchPage<DeadLetter>(args, 'lastFailedAt', async (limit, after) => {
      let query = selectDeadLetters(this.db).select(cursorValue('lastFailedAt'));
      if (status === 'pending') query = query.where('replayedAt', 'is', null);
      if (status === 'replayed') query = query.where('replayedAt', 'is not', null);
      if (args.orgId) query = query.where('orgId', '=', args.orgId);
      if (after) query = query.where(afterCursor(after, 'lastFailedAt', 'desc'));
      const rows = await query.orderBy(keysetOrder('lastFailedAt', 'desc')).limit(limit).execute();
      return rows.map(toDeadLetter);
    });
  }

  /** Dead letters not replayed yet, every organization's. */
  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('deadLetters')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('replayedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async get(id: string, orgId?: string): Promise<DeadLetter | null> {
    let query = selectDeadLetters(this.db).where('id', '=', id);
    if (orgId) query = query.where('orgId', '=', orgId);
    const row = await query.executeTakeFirst();
    return row ? toDeadLetter(row) : null;
  }

  /**
   * Runs a dead letter's event through the consumer again. Applied (or found already processed) in the same
   * transaction that marks the row replayed; a new failure updates the row (attempts, last failure, error).
   */
  async replay(id: string, orgId?: string): Promise<ReplayResult> {
    const letter = await this.get(id, orgId);
    if (!letter) return { id, eventId: null, outcome: 'not_found' };
    try {
      if (!letter.envelope) throw new Error(`not replayable: the message was not an event envelope (${letter.reason})`);
      const outcome = await this.consumer.process(letter.envelope, {
        replay: true,
        attempt: letter.attempts + 1,
        within: async (trx) => {
          await trx.updateTable('deadLetters').set({ replayedAt: new Date() }).where('id', '=', id).execute();
        },
      });
      return { id, eventId: letter.eventId, outcome: outcome === 'processed' ? 'applied' : 'already_processed' };
    } catch (error) {
      const text = errorText(error);
      await this.db
        .updateTable('deadLetters')
        .set({ attempts: sql<number>`attempts + 1`, lastFailedAt: new Date(), error: text })
        .where('id', '=', id)
        .execute();
      return { id, eventId: letter.eventId, outcome: 'failed', error: text };
    }
  }

  /** Replays every dead letter not yet replayed, oldest failure first, one at a time; at most `limit` (default 1000). */
  async replayAll(options: { limit?: number; orgId?: string } = {}): Promise<ReplayAllResult> {
    let pending = this.db.selectFrom('deadLetters').select('id').where('replayedAt', 'is', null);
    if (options.orgId) pending = pending.where('orgId', '=', options.orgId);
    const ids = await pending
      .orderBy('firstFailedAt')
      .orderBy('id')
      .limit(options.limit ?? 1000)
      .execute();
    const result: ReplayAllResult = { applied: 0, alreadyProcessed: 0, failed: 0, results: [] };
    for (const { id } of ids) {
      const replayed = await this.replay(id);
      result.results.push(replayed);
      if (replayed.outcome === 'applied') result.applied += 1;
      else if (replayed.outcome === 'already_processed') result.alreadyProcessed += 1;
      else if (replayed.outcome === 'failed') result.failed += 1;
    }
    return result;
  }
}
