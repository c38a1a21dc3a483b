import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { Pool } from 'pg';

/** Deadlines of the database calls (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS). */
export interface DatabaseTimeouts {
  /** Longest wait for a connection: a free one from the pool, or a new one to open. */
  connectMs: number;
  /** Longest a statement may run; the server cancels it after that. */
  statementMs: number;
  /**
   * How much longer than statementMs the client waits for any answer before it gives the connection up: the server
   * normally cancels first, so this only fires when the server (or the network to it) stopped answering.
   */
  answerGraceMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 3_000, statementMs: 5_000, answerGraceMs: 1_000 };

/** Errors of Node's sockets that mean the server could not be reached or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** pg's and Kysely's own words for a connection that is gone or never came. */
const LOST_CONNECTION = [
  /^Connection terminated/,
  /^Query read timeout$/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
  /^Postgres connection has been discarded$/,
  /^The database connection was lost/,
];

/**
 * SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (class 08), the server shutting down or
 * starting (57P01–57P03), a statement cancelled by its timeout (57014), and no room for a connection (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|57014|53300)$/;

/**
 * True when `error` (or one of its causes) says the database is unreachable, gone or too slow, as opposed to a
 * query it refused: the caller may retry shortly, and the service answers SERVICE_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    if (typeof current !== 'object') return false;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && LOST_CONNECTION.some((pattern) => pattern.test(message))) return true;
    current = cause;
  }
  return false;
}

/**
 * The pool as Kysely sees it, with one difference: a connection on which a statement failed for want of the
 * database (lost, reset, or no answer within the deadline) is destroyed when released instead of going back to the
 * pool, where the next request would wait behind a statement that will never be answered. Later statements on it
 * fail at once, so a transaction's ROLLBACK does not wait out a second deadline.
 */
export function discardingBrokenConnections(pool: Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken = false;
      const query = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
        if (broken) throw new Error('The database connection was lost; the statement was not sent.');
        try {
          return (await client.query(sql, [...parameters])) as unknown as PostgresQueryResult<unknown>;
        } catch (error) {
          if (isDatabaseUnavailable(error)) broken = true;
          throw error;
        }
      };
      return {
        // Kysely's client type also has a cursor overload, which the services never use.
        query: query as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy === true || broken ? true : undefined),
      };
    },
    end: () => pool.end(),
  };
}
