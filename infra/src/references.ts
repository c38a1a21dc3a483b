import type { Kysely } from 'kysely';
import { graphError } from './errors';

/** How long a reference to an id the local projection does not know yet is waited for, by default. */
export const DEFAULT_REFERENCE_WAIT_MS = 2_500;

/** First pause between two looks at the projection; it doubles up to MAX_POLL_MS. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

export interface ReferenceCheck {
  /** What the id names, for the message: 'Brand'. */
  what: string;
  /** The input field that holds the id: extensions.field of the NOT_FOUND error. */
  field: string;
  /** The subgraph's local projection of the other domain, fed by its events (camelCase table name): 'brandPlanning'. */
  projection: string;
  /** The projection's column holding the referenced id (camelCase): 'brandId'. */
  column: string;
  /** The caller's organization: another organization's rows never count. */
  orgId: string;
  /** The referenced id. */
  id: string;
}

// The check serves every subgraph's projection, which no single DB type describes; every query filters on org_id.
type AnyTables = Record<string, Record<string, unknown>>;

/**
 * Checks references to other domains' ids before they are stored. A subgraph learns about other domains only from
 * their events, so the thing a client created a moment ago may not have reached the projection yet: on a miss the
 * check looks again, at growing intervals (20 ms doubling to 250 ms; one indexed lookup each, no connection held in
 * between), for up to `waitMs` (REFERENCE_WAIT_MS), and only then refuses with NOT_FOUND. An id that exists
 * therefore succeeds as soon as its event is applied; an unknown id, or another organization's, costs its caller
 * the whole wait.
 */
export class References {
  constructor(private readonly waitMs: number = DEFAULT_REFERENCE_WAIT_MS) {}

  /** Resolves once the reference is known; throws NOT_FOUND with `extensions.field` when it is not within the wait. */
  async require<DB>(db: Kysely<DB>, check: ReferenceCheck): Promise<void> {
    const projection = db as unknown as Kysely<AnyTables>;
    const exists = async () =>
      Boolean(
        await projection
          .selectFrom(check.projection)
          .select(check.column)
          .where('orgId', '=', check.orgId)
          .where(check.column, '=', check.id)
          .executeTakeFirst(),
      );
    const deadline = Date.now() + this.waitMs;
    let pause = FIRST_POLL_MS;
    for (;;) {
      if (await exists()) return;
      const left = deadline - Date.now();
      if (left <= 0) throw graphError('NOT_FOUND', `${check.what} not found.`, { field: check.field });
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }
}
