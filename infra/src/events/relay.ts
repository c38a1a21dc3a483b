import { SpanKind } from '@opentelemetry/api';
/**
 * The outbox relay: delivers unsent outbox rows to the transport, oldest first, and marks a row sent only after the
 * transport confirmed it.
 *
 * Claiming: each batch is one transaction that selects unsent rows `FOR UPDATE SKIP LOCKED`, publishes them, and
 * marks the confirmed ones sent before committing. Another relay (another process or instance) skips the rows this
 * one holds, so any number can run on one outbox and a row is never being sent by two at once. A row whose publish
 * failed stays unsent (with its attempt count and last error) and the relay backs off — 2×, capped — before trying
 * again: nothing is lost while the broker is down. A crash between the broker's confirm and the commit sends that row
 * again later, which the consumers' processed_events table absorbs (at-least-once delivery, exactly-once effects).
 *
 * Waking: `wake()` — called by the publishing service after it commits a transaction that recorded events — starts a
 * batch at once. As the caller may wake the relay before its commit is visible, a wake also shortens the poll to
 * `wakePollMs` for `wakeWindowMs`. Otherwise the relay polls every `pollMs` (default 250 ms) for rows written by other
 * processes. The poll is an index-only probe of a partial index holding only the backlog, a few queries a second.
 *
 * Why not PostgreSQL LISTEN/NOTIFY: it would need a connection held outside the pool for LISTEN, with its own
 * reconnection, that the Database abstraction (Kysely over a pool, or PGlite) does not give; PGlite has a different
 * API for it; and NOTIFY inside recordEvent adds work to every writing transaction, while being lossy across
 * reconnects, so the poll would still be needed as the safety net. The in-process wake covers the common case
 * (the service that recorded the event relays it); the poll bounds the latency of the others to `pollMs`.
 */
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../database';
import type { EventEnvelope } from './envelope';
import { eventsPublished, relayLag } from '../metrics';
import { forService, silentLogger } from './silent-logger';
import { eventTables } from './tables';
import { extractTraceContext, injectTraceContext, inSpan, messagingAttributes } from './tracing';
import { errorText, type Transport } from './transport';

export interface OutboxRelayOptions {
  /** Any view of the service's database (the outbox is in its schema). */
  database: Database<unknown>;
  transport: Transport;
  /** Names the relay in logs. */
  service?: string;
  /** Rows per claiming transaction. Default 100. */
  batchSize?: number;
  /** Idle poll. Default 250 ms. */
  pollMs?: number;
  /** Poll interval right after a wake, and how long it lasts. Defaults 15 ms and 250 ms. */
  wakePollMs?: number;
  wakeWindowMs?: number;
  /** Back-off after a failed batch: starts at initialMs, doubles, capped at maxMs. Defaults 200 ms and 10 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  logger?: Logger;
  /**
   * Published rows older than this are deleted, every `pruneEveryMs` (default 10 min, first soon after start), so
   * the outbox does not grow forever; they stay a while for inspection. Unset or 0: kept forever.
   */
  retentionSeconds?: number;
  pruneEveryMs?: number;
}

export interface BatchResult {
  claimed: number;
  sent: number;
  failed: number;
}

interface ClaimedRow {
  id: string;
  type: string;
  payloadJson: string;
  traceContextJson: string;
}

export class OutboxRelay {
  private readonly database: Database<unknown>;
  private readonly transport: Transport;
  private readonly service: string;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly wakePollMs: number;
  private readonly wakeWindowMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly retentionSeconds: number;
  private readonly pruneEveryMs: number;
  private pruneTimer: NodeJS.Timeout | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private sleeper: { timer: NodeJS.Timeout; resolve: () => void; wakeable: boolean } | undefined;
  private wokenUntil = 0;
  private woken = false;
  /** One batch at a time per relay: the loop and flush() take turns. */
  private batchChain: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxRelayOptions) {
    this.database = options.database;
    this.transport = options.transport;
    this.service = options.service ?? 'unknown';
    const parent = options.logger ?? silentLogger;
    this.log = options.service ? forService(parent, options.service, { component: 'outbox-relay' }) : parent.child({ component: 'outbox-relay' });
    this.batchSize = options.batchSize ?? 100;
    this.pollMs = options.pollMs ?? 250;
    this.wakePollMs = options.wakePollMs ?? 15;
    this.wakeWindowMs = options.wakeWindowMs ?? 250;
    this.backoffInitialMs = options.backoff?.initialMs ?? 200;
    this.backoffMaxMs = options.backoff?.maxMs ?? 10_000;
    this.retentionSeconds = options.retentionSeconds ?? 0;
    this.pruneEveryMs = options.pruneEveryMs ?? 10 * 60_000;
  }

  /** Starts the background loop; idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    if (this.retentionSeconds > 0) this.schedulePrune(Math.min(this.pruneEveryMs, 60_000));
  }

  private schedulePrune(delayMs: number): void {
    this.pruneTimer = setTimeout(() => {
      void this.prune(new Date(Date.now() - this.retentionSeconds * 1000))
        .then((deleted) => {
          if (deleted > 0) this.log.info({ deleted, retentionSeconds: this.retentionSeconds }, 'published outbox rows past their retention deleted');
        })
        .catch((error: unknown) => this.log.warn({ err: error }, 'outbox pruning failed; trying again later'))
        .finally(() => {
          if (this.running) this.schedulePrune(this.pruneEveryMs);
        });
    }, delayMs);
    this.pruneTimer.unref();
  }

  /** Rows were (or are about to be) committed: look now, and keep looking closely for a moment. */
  wake(): void {
    this.wokenUntil = Date.now() + this.wakeWindowMs;
    this.woken = true;
    if (this.sleeper?.wakeable) this.interruptSleep();
  }

  /** Stops the loop after the batch in flight; rows not yet sent stay in the outbox. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.pruneTimer);
    this.interruptSleep();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Delivers everything pending now (for graceful shutdown and tests): batches until none is left, backing off on
   * failures, at most `timeoutMs` (default 10 s). Resolves to the number of rows sent; throws if rows it could claim
   * are still unsent at the deadline.
   */
  async flush(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let sent = 0;
    let failures = 0;
    for (;;) {
      const result = await this.deliverBatch();
      sent += result.sent;
      if (result.failed === 0 && result.claimed < this.batchSize) return sent;
      if (result.failed > 0) {
        failures += 1;
        const pause = Math.min(this.backoffDelay(failures), deadline - Date.now());
        if (pause <= 0) throw new Error(`outbox flush: ${result.failed} event(s) still unsent after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      } else {
        failures = 0;
        if (Date.now() > deadline) throw new Error(`outbox flush: still delivering after ${timeoutMs} ms`);
      }
    }
  }

  /** Unsent rows in the outbox (rows being sent by any relay included). */
  async pending(): Promise<number> {
    const row = await eventTables(this.database.db)
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('sentAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Age in seconds of the oldest unsent row, 0 when there is none (the database's clock on both ends). */
  async oldestPendingAgeSeconds(): Promise<number> {
    const row = await eventTables(this.database.db)
      .selectFrom('outbox')
      .select(sql<string | number | null>`extract(epoch from (clock_timestamp() - min(created_at)))`.as('age'))
      .where('sentAt', 'is', null)
      .executeTakeFirstOrThrow();
    return row.age === null ? 0 : Math.max(0, Number(row.age));
  }

  /** Deletes rows sent before `before` (housekeeping; unsent rows are never deleted). Resolves to how many. */
  async prune(before: Date): Promise<number> {
    const result = await eventTables(this.database.db)
      .deleteFrom('outbox')
      .where('sentAt', 'is not', null)
      .where('sentAt', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** One claiming transaction: claim up to batchSize unsent rows, publish them, mark the confirmed ones sent. */
  deliverBatch(): Promise<BatchResult> {
    const next = this.batchChain.then(() => this.claimAndPublish());
    this.batchChain = next.catch(() => undefined);
    return next;
  }

  private async claimAndPublish(): Promise<BatchResult> {
    // Counted once the marking transaction commits: a failed commit republishes the rows, which must not count twice.
    const confirmed: { type: string; lagSeconds: number }[] = [];
    const result = await this.database.db.transaction().execute(async (trx) => {
      const outbox = eventTables(trx);
      const rows: ClaimedRow[] = await outbox
        .selectFrom('outbox')
        .select(['id', 'type'])
        // As text: the CamelCasePlugin would rename snake_case keys inside the event's data.
        .select(sql<string>`payload::text`.as('payloadJson'))
        .select(sql<string>`trace_context::text`.as('traceContextJson'))
        .where('sentAt', 'is', null)
        .orderBy('createdAt')
        .orderBy('id')
        .limit(this.batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return { claimed: 0, sent: 0, failed: 0 };

      // Published together: a confirm channel keeps their order and confirms them as a stream.
      const results = await Promise.allSettled(rows.map((row) => this.publishRow(row)));
      const sentIds: string[] = [];
      const failures = new Map<string, string[]>();
      results.forEach((result, index) => {
        const row = rows[index] as ClaimedRow;
        if (result.status === 'fulfilled') {
          sentIds.push(row.id);
        } else {
          const text = errorText(result.reason).split('\n')[0] ?? 'unknown error';
          failures.set(text, [...(failures.get(text) ?? []), row.id]);
        }
      });
      if (sentIds.length > 0) {
        // sent_at is now(): the claim, which began this transaction (bench/events.js groups batches by it); the lag
        // is measured to clock_timestamp(), after the confirms.
        const sent = await outbox
          .updateTable('outbox')
          .set({ sentAt: sql`now()`, publishAttempts: sql`publish_attempts + 1`, lastError: null })
          .where('id', 'in', sentIds)
          .returning(['type', sql<string | number>`extract(epoch from (clock_timestamp() - created_at))`.as('lagSeconds')])
          .execute();
        for (const row of sent) confirmed.push({ type: row.type, lagSeconds: Number(row.lagSeconds) });
      }
      for (const [error, ids] of failures) {
        await outbox.updateTable('outbox').set({ publishAttempts: sql`publish_attempts + 1`, lastError: error }).where('id', 'in', ids).execute();
      }
      const failed = rows.length - sentIds.length;
      if (failed > 0) this.log.warn({ failed, sent: sentIds.length, error: [...failures.keys()][0] }, 'events could not be published; they stay in the outbox');
      return { claimed: rows.length, sent: sentIds.length, failed };
    });
    for (const { type, lagSeconds } of confirmed) this.observeConfirmed(type, lagSeconds);
    return result;
  }

  /** Publishes one row in the trace context it was recorded in, as a PRODUCER span whose context the headers carry. */
  private async publishRow(row: ClaimedRow): Promise<void> {
    // A row that does not parse fails alone (and stays, with its error) instead of failing the batch.
    const envelope = JSON.parse(row.payloadJson) as EventEnvelope;
    const carrier = JSON.parse(row.traceContextJson) as Record<string, string>;
    return inSpan(
      `${row.type} publish`,
      {
        kind: SpanKind.PRODUCER,
        parent: extractTraceContext(carrier),
        attributes: messagingAttributes(this.transport.messagingSystem, this.transport.exchange, envelope, 'send'),
      },
      async () => {
        await this.transport.publish({ envelope, headers: injectTraceContext() });
      },
    );
  }

  /** One confirmed event; its lag measured on the database's clock at both ends, so no host's clock skew enters. */
  private observeConfirmed(type: string, lagSeconds: number): void {
    const labels = { service: this.service, event_type: type };
    eventsPublished.inc(labels);
    relayLag.observe(labels, Math.max(0, lagSeconds));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.woken = false;
      let result: BatchResult;
      try {
        result = await this.deliverBatch();
      } catch (error) {
        this.log.error({ err: error }, 'outbox relay batch failed');
        result = { claimed: 0, sent: 0, failed: 1 };
      }
      if (!this.running) break;
      if (result.failed > 0) {
        failures += 1;
        await this.sleep(this.backoffDelay(failures), false);
        continue;
      }
      failures = 0;
      if (result.claimed >= this.batchSize || this.woken) continue;
      await this.sleep(Date.now() < this.wokenUntil ? this.wakePollMs : this.pollMs, true);
    }
  }

  private backoffDelay(failures: number): number {
    return Math.min(this.backoffInitialMs * 2 ** Math.min(failures - 1, 20), this.backoffMaxMs);
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = undefined;
        resolve();
      }, ms);
      this.sleeper = { timer, resolve, wakeable };
    });
  }

  private interruptSleep(): void {
    const sleeper = this.sleeper;
    if (!sleeper) return;
    this.sleeper = undefined;
    clearTimeout(sleeper.timer);
    sleeper.resolve();
  }
}
