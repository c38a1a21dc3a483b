import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, sql, type Migration, type LogEvent } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Pool } from 'pg';
import { discardingBrokenConnections, isDatabaseUnavailable, type DatabaseTimeouts, DEFAULT_DATABASE_TIMEOUTS } from './database-connections';

export interface DatabaseHostOptions {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite directory ('memory' keeps nothing). */
  pgliteDir?: string;
  /** Called with each executed statement: query counting in tests, slow-query logging. */
  onQuery?: (event: LogEvent) => void;
  poolSize?: number;
  /** Names the pool in pg_stat_activity. */
  applicationName?: string;
  /**
   * Told when a pooled connection is lost, idle or in use (logged by the services). The loss itself never ends the
   * process: the query in flight fails, and the pool opens a new connection for the next one.
   */
  onConnectionError?: (error: Error) => void;
  /** Deadlines of every connection and statement; see DatabaseTimeouts. */
  timeouts?: DatabaseTimeouts;
}

/**
 * One connection pool (or one PGlite instance) that any number of services borrow a schema of.
 * A standalone service owns its host; the one-process stack shares one between the five subgraphs,
 * which is what keeps PGlite start-up to a single instance.
 */
export interface DatabaseHost {
  kind: 'postgres' | 'pglite';
  /** The service's view of the host: its own schema, camelCase in TypeScript, snake_case in SQL. */
  forSchema<DB>(schema: string): Database<DB>;
  ping(): Promise<boolean>;
  /** The pool's connections right now; absent for PGlite, which has one connection and no pool. */
  poolStats?: () => PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
  max: number;
}

export interface Database<DB> {
  db: Kysely<DB>;
  kind: 'postgres' | 'pglite';
  schema: string;
  /** True once the database answers a trivial query. */
  ping(): Promise<boolean>;
  poolStats?: () => PoolStats;
}

export function openDatabaseHost(options: DatabaseHostOptions): DatabaseHost {
  const log = options.onQuery;
  let pglite: PGlite | undefined;
  let dialect;
  let poolStats: (() => PoolStats) | undefined;
  if (options.url) {
    const max = options.poolSize ?? 10;
    const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
    const pool = new Pool({
      connectionString: options.url,
      max,
      application_name: options.applicationName ?? 'umt',
      // Waiting for a pooled connection or for a new one to open: a database that does not accept gives up here.
      connectionTimeoutMillis: timeouts.connectMs,
      // The server cancels a statement that runs too long; the client stops waiting for one that never answers.
      statement_timeout: timeouts.statementMs,
      query_timeout: timeouts.statementMs + timeouts.answerGraceMs,
      keepAlive: true,
    });
    // pg emits 'error' on a client whose connection drops, in use or idle; the pool listens only while it is idle.
    // One listener from birth covers both, so a lost connection never becomes an unhandled 'error' event.
    const lost = (error: Error) => options.onConnectionError?.(error);
    pool.on('connect', (client) => client.on('error', lost));
    pool.on('error', () => undefined); // idle losses are reported once, by the listener above
    dialect = new PostgresDialect({ pool: discardingBrokenConnections(pool) });
    poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max });
  } else {
    const dir = options.pgliteDir ?? '.data';
    if (dir === 'memory') {
      pglite = new PGlite();
    } else {
      mkdirSync(resolve(dir), { recursive: true });
      pglite = new PGlite(resolve(dir));
    }
    // The dialect's driver queues callers on PGlite's single connection, so sharing it is safe.
    dialect = new PGliteDialect(pglite);
  }
  const root = new Kysely<unknown>({
    dialect,
    plugins: [new CamelCasePlugin()],
    ...(log ? { log: (event: LogEvent) => log(event) } : {}),
  });
  const kind = options.url ? 'postgres' : 'pglite';
  const ping = async () => {
    try {
      await sql`select 1`.execute(root);
      return true;
    } catch {
      return false;
    }
  };
  let closing: Promise<void> | undefined;
  return {
    kind,
    ping,
    ...(poolStats ? { poolStats } : {}),
    forSchema: <DB>(schema: string) => ({
      db: (root as unknown as Kysely<DB>).withSchema(schema),
      kind,
      schema,
      ping,
      ...(poolStats ? { poolStats } : {}),
    }),
    close() {
      closing ??= (async () => {
        await root.destroy();
        if (pglite && !pglite.closed) await pglite.close();
      })();
      return closing;
    },
  };
}

/** Creates the service's schema if needed and applies its migrations in name order; throws on the first failure. */
/** How many times a start retries its migrations when the database is away or too slow, and the first pause. */
const MIGRATION_ATTEMPTS = 5;
const MIGRATION_FIRST_PAUSE_MS = 500;

/**
 * Migrates to the latest version. Each migration runs in its own transaction, so one that failed because the
 * database dropped the connection or missed the statement deadline (a busy moment at start) is simply tried again, a
 * few times with doubling pauses, before the start fails.
 */
export async function migrateToLatest<DB>(database: Database<DB>, migrations: Record<string, Migration>): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrateOnce(database, migrations);
    } catch (error) {
      if (attempt >= MIGRATION_ATTEMPTS || !isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_FIRST_PAUSE_MS * 2 ** (attempt - 1)));
    }
  }
}

async function migrateOnce<DB>(database: Database<DB>, migrations: Record<string, Migration>): Promise<string[]> {
  const { db, schema } = database;
  await db.schema.createSchema(schema).ifNotExists().execute();
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : 'unknown error';
    throw new Error(`Migration ${failed?.migrationName ?? ''} of schema "${schema}" failed: ${cause}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** True for PostgreSQL's unique_violation, as raised by pg and by PGlite alike. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
