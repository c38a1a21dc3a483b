import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterCursor, fetchPage, keysetOrder, type Connection, type PageArgs } from '../pagination';
import type { EventConsumer } from './consumer';
import type { EventEnvelope } from './envelope';
import { errorText } from './transport';
import { eventTables, type EventTables } from './tables';

/** An event a service gave up on, as its `dead_letters` table keeps it. */
export interface DeadLetter {
  id: string;
  eventId: string;
  type: string;
  orgId: string;
  envelope: EventEnvelope;
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
  /** Only this organization's events (what an organization's ADMIN may see). */
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

/**
 * Records an event's final failure: one row per event, so a later failure of the same event (it came again, or a
 * replay failed) updates that row instead of adding one. Times are stored with millisecond precision, as JavaScript
 * reads them back, so keyset cursors over them are exact.
 */
export async function recordDeadLetter(
  db: Kysely<EventTables>,
  record: { envelope: EventEnvelope; error: string; attempts: number; firstFailedAt: string | Date; lastFailedAt: string | Date },
): Promise<void> {
  const { envelope } = record;
  await db
    .insertInto('deadLetters')
    .values({
      id: randomUUID(),
      eventId: envelope.id,
      type: envelope.type,
      orgId: envelope.orgId,
      envelope: JSON.stringify(envelope),
      error: record.error,
      attempts: record.attempts,
      firstFailedAt: new Date(record.firstFailedAt),
      lastFailedAt: new Date(record.lastFailedAt),
    })
    .onConflict((oc) =>
      oc.column('eventId').doUpdateSet((eb) => ({
        error: eb.ref('excluded.error'),
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
    .select(['id', 'eventId', 'type', 'orgId', 'error', 'attempts', 'firstFailedAt', 'lastFailedAt', 'replayedAt'])
    // As text: the CamelCasePlugin would rename snake_case keys inside the event's data.
    .select(sql<string>`envelope::text`.as('envelopeJson'));
}

function toDeadLetter(row: Omit<DeadLetter, 'envelope'> & { envelopeJson: string }): DeadLetter {
  const { envelopeJson, ...rest } = row;
  return { ...rest, envelope: JSON.parse(envelopeJson) as EventEnvelope };
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
      let query = selectDeadLetters(this.db);
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
