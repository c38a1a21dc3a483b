#!/usr/bin/env node
'use strict';
/**
 * End-to-end benchmark of the event backbone (see bench/README.md):
 *
 *   mutation (producer transaction: domain row + recorded event) → outbox → relay → transport → consumer
 *   transaction (processed_events + effect row) → commit
 *
 * with the real components from @umt/infra (built dist): createEventBackbone, OutboxRelay, EventConsumer,
 * AmqpTransport / InProcessTransport, at their default settings. Run `npx tsc -b` first, then:
 *
 *   node bench/events.js [--n 5000] [--writers 8] [--warmup 500] [--paced-rate 200] [--paced-n 1000]
 *                        [--idle-rate 20] [--idle-n 100] [--scenarios in-process,amqp,amqp-2proc,pglite]
 *                        [--no-drain] [--pglite-n 2000]
 *                        [--prefetch P] [--poll-ms MS] [--batch-size B] [--pool-size S] [--no-yield]   (experiments only)
 *
 * Every scenario gets a throwaway PostgreSQL database (dropped at the end) and, for RabbitMQ, a random exchange
 * whose queues and exchange are deleted at the end. Loopback only; every wait is bounded.
 */
const { fork, execFileSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const { performance } = require('node:perf_hooks');

const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'silent';

const PRODUCER = 'bench_producer';
const CONSUMER = 'bench_consumer';
const EVENT_TYPE = 'campaign.launched';
const ORG_ID = '00000000-0000-4000-8000-000000000001';

/** Wall-clock milliseconds with sub-millisecond resolution (comparable across processes of one machine). */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) => process.stderr.write(`[bench] ${args.join(' ')}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Options

const SCENARIOS = {
  'in-process': {
    title: 'In-process transport + PostgreSQL (one process)',
    transport: 'in-process',
    db: 'postgres',
    split: false,
  },
  amqp: {
    title: 'RabbitMQ (AmqpTransport) + PostgreSQL — producer and consumer services in one process',
    transport: 'amqp',
    db: 'postgres',
    split: false,
  },
  'amqp-2proc': {
    title: 'RabbitMQ (AmqpTransport) + PostgreSQL — consumer service in a second process',
    transport: 'amqp',
    db: 'postgres',
    split: true,
  },
  pglite: {
    title: 'In-process transport + PGlite in memory (one process, one shared PGlite)',
    transport: 'in-process',
    db: 'pglite',
    split: false,
  },
};

function parseArgs(argv) {
  const options = {
    n: 5000,
    writers: 8,
    warmup: 500,
    pacedRate: 200,
    pacedN: 1000,
    idleRate: 20,
    idleN: 100,
    scenarios: ['in-process', 'amqp', 'amqp-2proc', 'pglite'],
    pgliteN: 2000,
    drain: true,
    yieldBetween: true,
    phaseTimeoutMs: 60_000,
    // Overrides of the production defaults, for experiments only (undefined: the default).
    prefetch: undefined,
    pollMs: undefined,
    batchSize: undefined,
    poolSize: undefined,
  };
  const numeric = {
    '--n': 'n',
    '--writers': 'writers',
    '--warmup': 'warmup',
    '--paced-rate': 'pacedRate',
    '--paced-n': 'pacedN',
    '--idle-rate': 'idleRate',
    '--idle-n': 'idleN',
    '--pglite-n': 'pgliteN',
    '--phase-timeout-ms': 'phaseTimeoutMs',
    '--prefetch': 'prefetch',
    '--poll-ms': 'pollMs',
    '--batch-size': 'batchSize',
    '--pool-size': 'poolSize',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      const source = fs.readFileSync(__filename, 'utf8').split('\n');
      process.stdout.write(`${source.slice(2, source.indexOf(' */') + 1).join('\n')}\n`);
      process.exit(0);
    }
    const value = argv[i + 1];
    if (numeric[arg]) {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0) throw new Error(`${arg}: expected a whole number, got ${value}`);
      options[numeric[arg]] = number;
      i += 1;
    } else if (arg === '--no-drain') {
      options.drain = false;
    } else if (arg === '--no-yield') {
      options.yieldBetween = false;
    } else if (arg === '--scenarios') {
      const names = String(value).split(',').filter(Boolean);
      for (const name of names) if (!SCENARIOS[name]) throw new Error(`--scenarios: unknown ${name} (known: ${Object.keys(SCENARIOS).join(', ')})`);
      options.scenarios = names;
      i += 1;
    } else {
      throw new Error(`unknown argument ${arg} (try --help)`);
    }
  }
  if (options.writers < 1) throw new Error('--writers must be at least 1');
  return options;
}

/** The event configuration of both services: the defaults, with the experiment's overrides. */
function eventConfig(options, amqpUrl, exchange) {
  return {
    amqpUrl,
    exchange,
    ...(options.prefetch !== undefined ? { prefetch: options.prefetch } : {}),
    ...(options.pollMs !== undefined ? { outboxPollMs: options.pollMs } : {}),
  };
}

const poolOption = (options) => (options.poolSize !== undefined ? { poolSize: options.poolSize } : {});

// ---------------------------------------------------------------------------------------------------------------
// Schemas: the producer's domain table and the consumer's effect table, each beside the backbone's tables.

function migrations(infra, kysely) {
  const { sql } = kysely;
  const producer = {
    '0001_campaigns': {
      async up(db) {
        await db.schema
          .createTable('campaigns')
          .addColumn('id', 'uuid', (c) => c.primaryKey())
          .addColumn('org_id', 'uuid', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .execute();
      },
    },
  };
  const consumer = {
    '0001_effects': {
      async up(db) {
        await db.schema
          .createTable('effects')
          .addColumn('event_id', 'uuid', (c) => c.primaryKey())
          .addColumn('campaign_id', 'uuid', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          // From the event data: the producer's clock just before its COMMIT.
          .addColumn('recorded_at_ms', 'double precision', (c) => c.notNull())
          // The consumer's clock inside the handler, just before its COMMIT.
          .addColumn('handled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
          .execute();
      },
    },
  };
  return {
    producer: { ...producer, ...infra.eventMigrations },
    consumer: { ...consumer, ...infra.eventMigrations },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Throwaway PostgreSQL database (same approach as infra/test/events/support.ts)

async function createDatabase() {
  const { Client } = require('pg');
  const name = `umt_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        for (let attempt = 0; attempt < 50; attempt += 1) {
          try {
            await client.query(`drop database if exists ${name}`);
            return;
          } catch (error) {
            if (error.code !== '55006') throw error; // 55006: still in use (pool sockets closing)
            await sleep(100);
          }
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Deletes the consumer's queues (main, retries, dead) and the exchange. */
async function deleteTopology(exchange, infra) {
  const amqplib = require('amqplib');
  const connection = await amqplib.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    const queue = `${exchange}.${CONSUMER}`;
    const delays = infra.retryDelays({ maxAttempts: infra.DEFAULT_EVENT_CONFIG.maxAttempts, delaysMs: infra.DEFAULT_EVENT_CONFIG.retryDelaysMs });
    for (const name of [queue, `${queue}.dead`, ...delays.map((ms) => `${queue}.retry.${ms}`)]) await channel.deleteQueue(name);
    await channel.deleteExchange(exchange);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Stamps without touching the components: the transport they are given is the real one behind a proxy that notes
// when a publish was confirmed (the relay's publish() resolved) and when a delivery's transaction committed (the
// subscription's handle() resolves after the commit, before the ack). Everything else goes straight through.

function instrumentedTransport(transport, { onPublished, onCommitted }) {
  return new Proxy(transport, {
    get(target, prop) {
      if (prop === 'publish' && onPublished) {
        return async (event) => {
          await target.publish(event);
          onPublished(event.envelope, now());
        };
      }
      if (prop === 'subscribe' && onCommitted) {
        return (subscription) =>
          target.subscribe({
            ...subscription,
            handle: async (event) => {
              await subscription.handle(event);
              onCommitted(event.envelope, now());
            },
          });
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function createConsumerService(infra, { database, transport, logger, config }) {
  return infra.createEventBackbone({
    service: CONSUMER,
    database,
    transport,
    config,
    logger,
    handlers: {
      [EVENT_TYPE]: async (trx, envelope) => {
        await trx
          .insertInto('effects')
          .values({
            eventId: envelope.id,
            campaignId: envelope.data.campaignId,
            phase: envelope.data.phase,
            recordedAtMs: envelope.data.recordedAtMs,
          })
          .execute();
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): this process (and the consumer child), PostgreSQL, RabbitMQ, the machine.

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function processTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

/**
 * CPU ticks per process of PostgreSQL and RabbitMQ. PostgreSQL backends name their database in their title
 * (`postgres: 15/main: postgres umt_bench_… 127.0.0.1(…) idle`): only ours count, with the server's own processes
 * (checkpointer, WAL writer, …), so that other databases' clients on a shared machine land in "other".
 */
function serverTicks(databaseName) {
  const result = { postgres: new Map(), rabbitmq: new Map() };
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'beam.smp') {
        result.rabbitmq.set(entry, processTicks(entry));
      } else if (comm === 'postgres') {
        const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
        const backend = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(title);
        if (!backend || (databaseName && title.includes(` ${databaseName} `))) result.postgres.set(entry, processTicks(entry));
      }
    } catch {
      // the process ended
    }
  }
  return result;
}

/** Ticks spent between two per-process snapshots (a process that appeared counts whole; one that ended is lost). */
function ticksBetween(a, b) {
  let sum = 0;
  for (const [pid, ticks] of b) sum += Math.max(0, ticks - (a.get(pid) ?? 0));
  return sum;
}

function machineTicks() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function cpuSnapshot(benchPids, databaseName) {
  const servers = serverTicks(databaseName);
  return {
    at: now(),
    bench: benchPids.reduce((sum, pid) => sum + processTicks(pid), 0),
    postgres: servers.postgres,
    rabbitmq: servers.rabbitmq,
    machine: machineTicks(),
  };
}

/** Percent of one core over the interval, per component, and the machine's busy share of all its cores. */
function cpuDelta(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks) => (seconds > 0 ? (100 * ticks) / CLK_TCK / seconds : 0);
  const machineTotal = b.machine.total - a.machine.total;
  const bench = pct(b.bench - a.bench);
  const postgres = pct(ticksBetween(a.postgres, b.postgres));
  const rabbitmq = pct(ticksBetween(a.rabbitmq, b.rabbitmq));
  // The machine's busy time in percent of one core (200 = both cores of a 2-core machine), and what is not ours.
  const machine = machineTotal > 0 ? (100 * os.cpus().length * (b.machine.busy - a.machine.busy)) / machineTotal : 0;
  return { bench, postgres, rabbitmq, machine, other: Math.max(0, machine - bench - postgres - rabbitmq) };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

function percentiles(values) {
  if (values.length === 0) return { n: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const rank = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: sorted[sorted.length - 1] };
}

const ms = (v) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '–');
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');

// ---------------------------------------------------------------------------------------------------------------
// The consumer child process (scenario amqp-2proc)

async function consumerChild() {
  const infra = require('@umt/infra');
  let host;
  let transport;
  let service;
  let pending = [];
  const flushStamps = () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    process.send({ kind: 'stamps', stamps: batch });
  };
  const flusher = setInterval(flushStamps, 20);
  flusher.unref();
  // Bounded life: a child whose parent vanished must not linger.
  const watchdog = setTimeout(() => process.exit(3), 10 * 60_000);
  watchdog.unref();
  process.on('disconnect', () => process.exit(4));
  process.on('message', async (message) => {
    try {
      if (message.kind === 'clock') {
        process.send({ kind: 'clock', id: message.id, at: now() });
      } else if (message.kind === 'start') {
        const logger = infra.createLogger('bench-consumer', LOG_LEVEL);
        host = infra.openDatabaseHost({ url: message.dbUrl, applicationName: `umt-${CONSUMER}`, ...poolOption(message.options) });
        const config = eventConfig(message.options, AMQP_URL, message.exchange);
        transport = instrumentedTransport(infra.createTransport(config, { logger, amqp: { connectionName: `umt-${CONSUMER}` } }), {
          onCommitted: (envelope, at) => pending.push([envelope.id, envelope.data.phase, at]),
        });
        service = createConsumerService(infra, { database: host.forSchema(CONSUMER), transport, logger, config });
        await service.start();
        process.send({ kind: 'ready' });
      } else if (message.kind === 'stop') {
        await service?.stop();
        await transport?.close();
        await host?.close();
        flushStamps();
        process.send({ kind: 'stopped' }, () => process.exit(0));
      }
    } catch (error) {
      process.send({ kind: 'error', error: String(error?.stack ?? error) });
    }
  });
  process.send({ kind: 'hello' });
}

/** Starts the consumer in a child process; resolves to a handle once it consumes. */
async function startConsumerChild(dbUrl, exchange, options, onStamps) {
  const child = fork(__filename, ['--consumer-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = new Map();
  let failure;
  const wait = (kind, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumer child: no ${kind} after ${timeoutMs} ms`)), timeoutMs);
      waiters.set(kind, {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  child.on('message', (message) => {
    if (message.kind === 'stamps') onStamps(message.stamps, best.offset);
    if (message.kind === 'error') {
      failure = new Error(`consumer child: ${message.error}`);
      for (const waiter of waiters.values()) waiter.reject(failure);
      waiters.clear();
      return;
    }
    const waiter = waiters.get(message.kind);
    if (waiter) {
      waiters.delete(message.kind);
      waiter.resolve(message);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let best = { rtt: Infinity, offset: 0 };
  await wait('hello');

  // The child's clock against ours, by round trips over IPC (best of 20): its stamps are shifted by the offset.
  for (let i = 0; i < 20; i += 1) {
    const t0 = now();
    const reply = wait('clock');
    child.send({ kind: 'clock', id: i });
    const { at } = await reply;
    const t1 = now();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: at - (t0 + t1) / 2 };
  }

  const ready = wait('ready');
  child.send({ kind: 'start', dbUrl, exchange, options });
  await Promise.race([ready, exited.then(() => Promise.reject(failure ?? new Error('consumer child exited')))]);
  return {
    pid: child.pid,
    clock: best,
    failure: () => failure,
    async stop() {
      const stopped = wait('stopped', 30_000);
      child.send({ kind: 'stop' });
      try {
        await stopped;
      } finally {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One scenario

async function runScenario(name, options, infra, kysely) {
  const scenario = SCENARIOS[name];
  const { sql } = kysely;
  const logger = infra.createLogger('bench', LOG_LEVEL);
  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        log(`cleanup failed: ${error?.message ?? error}`);
      }
    }
  };

  /** id → producer-side stamps; id → consumer commit stamp; committed count per phase. */
  const produced = new Map();
  const published = new Map();
  const consumed = new Map();
  const consumedPerPhase = new Map();
  let redeliveries = 0;
  const onConsumed = (id, phase, at) => {
    // A redelivery (a no-op for the handler, thanks to processed_events) would stamp again: the first one counts.
    if (consumed.has(id)) {
      redeliveries += 1;
      return;
    }
    consumed.set(id, at);
    consumedPerPhase.set(phase, (consumedPerPhase.get(phase) ?? 0) + 1);
  };
  let clockOffset = 0;
  let clockRtt = 0;

  try {
    // Databases: one host per service (pool of 10 each, as a standalone subgraph opens), or one shared PGlite.
    let producerDb;
    let consumerDb;
    let readerDb;
    let dbUrl;
    let databaseName;
    if (scenario.db === 'postgres') {
      const database = await createDatabase();
      cleanups.push(() => database.drop());
      dbUrl = database.url;
      databaseName = database.name;
      const producerHost = infra.openDatabaseHost({ url: dbUrl, applicationName: `umt-${PRODUCER}`, ...poolOption(options) });
      cleanups.push(() => producerHost.close());
      producerDb = producerHost.forSchema(PRODUCER);
      if (!scenario.split) {
        const consumerHost = infra.openDatabaseHost({ url: dbUrl, applicationName: `umt-${CONSUMER}`, ...poolOption(options) });
        cleanups.push(() => consumerHost.close());
        consumerDb = consumerHost.forSchema(CONSUMER);
      } else {
        // Migrations only; the child opens its own pool.
        const migrationHost = infra.openDatabaseHost({ url: dbUrl, poolSize: 1 });
        await infra.migrateToLatest(migrationHost.forSchema(CONSUMER), migrations(infra, kysely).consumer);
        cleanups.push(() => migrationHost.close());
        readerDb = migrationHost.forSchema(CONSUMER);
      }
    } else {
      const host = infra.openDatabaseHost({ pgliteDir: 'memory' });
      cleanups.push(() => host.close());
      producerDb = host.forSchema(PRODUCER);
      consumerDb = host.forSchema(CONSUMER);
    }
    const schemas = migrations(infra, kysely);
    await infra.migrateToLatest(producerDb, schemas.producer);
    if (consumerDb) await infra.migrateToLatest(consumerDb, schemas.consumer);
    const consumerReadDb = consumerDb ?? readerDb;

    // Transports and services, at the default event configuration.
    const exchange = `umt.bench.${process.pid}.${randomBytes(4).toString('hex')}`;
    const config = eventConfig(options, scenario.transport === 'amqp' ? AMQP_URL : undefined, exchange);
    if (scenario.transport === 'amqp') cleanups.push(() => deleteTopology(exchange, infra));
    let producerTransport;
    let consumerService;
    let child;
    const onCommitted = (envelope, at) => onConsumed(envelope.id, envelope.data.phase, at);
    const onPublished = (envelope, at) => published.set(envelope.id, at);
    if (scenario.transport === 'in-process') {
      // One bus shared by both services, as in the one-process stack.
      const shared = infra.createTransport(config, { logger });
      cleanups.push(() => shared.close());
      producerTransport = instrumentedTransport(shared, { onPublished });
      const consumerTransport = instrumentedTransport(shared, { onCommitted });
      consumerService = createConsumerService(infra, { database: consumerDb, transport: consumerTransport, logger, config });
    } else {
      // One connection per service, as each standalone subgraph opens.
      const own = infra.createTransport(config, { logger, amqp: { connectionName: `umt-${PRODUCER}` } });
      cleanups.push(() => own.close());
      producerTransport = instrumentedTransport(own, { onPublished });
      if (!scenario.split) {
        const consumerTransport = infra.createTransport(config, { logger, amqp: { connectionName: `umt-${CONSUMER}` } });
        cleanups.push(() => consumerTransport.close());
        consumerService = createConsumerService(infra, {
          database: consumerDb,
          transport: instrumentedTransport(consumerTransport, { onCommitted }),
          logger,
          config,
        });
      }
    }
    if (consumerService) {
      cleanups.push(() => consumerService.stop());
      await consumerService.start(); // queues first: a broker drops what no queue is bound to
    } else {
      // The child's stamps are on its clock: shifted by the offset measured before it started consuming.
      child = await startConsumerChild(dbUrl, exchange, options, (stamps, offset) => {
        for (const [id, phase, at] of stamps) onConsumed(id, phase, at - offset);
      });
      clockOffset = child.clock.offset;
      clockRtt = child.clock.rtt;
      cleanups.push(() => child.stop());
    }
    const producer = infra.createEventBackbone({
      service: PRODUCER,
      database: producerDb,
      transport: producerTransport,
      config,
      logger,
      ...(options.batchSize !== undefined ? { relay: { batchSize: options.batchSize } } : {}),
    });
    cleanups.push(() => producer.stop());
    await producer.start();
    const benchPids = child ? [process.pid, child.pid] : [process.pid];

    // The mutation: a domain row and its event in one transaction, stamped once the commit returned. Two ways, both
    // in the code base: 'resolver' is what the subgraphs' resolvers do (their own db.transaction(), events.record()
    // inside it, which wakes the relay before the commit); 'backbone' is events.transaction(), which wakes it after.
    let sequence = 0;
    const mutate = async (phase, via) => {
      const seq = sequence++;
      const campaignId = randomUUID();
      const t0 = now();
      let recordedAtMs = 0;
      const work = async (trx) => {
        await trx.insertInto('campaigns').values({ id: campaignId, orgId: ORG_ID, name: `campaign ${seq}` }).execute();
        recordedAtMs = now();
        return producer.record(trx, EVENT_TYPE, ORG_ID, { campaignId, phase, seq, recordedAtMs });
      };
      const envelope = via === 'backbone' ? await producer.transaction(work) : await producerDb.db.transaction().execute(work);
      const committedAt = now();
      produced.set(envelope.id, { phase, startedAt: t0, recordedAtMs, committedAt });
    };

    const waitConsumed = async (phase, count) => {
      const deadline = now() + options.phaseTimeoutMs;
      while ((consumedPerPhase.get(phase) ?? 0) < count) {
        if (child?.failure()) throw child.failure();
        if (now() > deadline) {
          throw new Error(`${name}/${phase}: ${consumedPerPhase.get(phase) ?? 0} of ${count} events consumed after ${options.phaseTimeoutMs} ms`);
        }
        await sleep(2);
      }
    };

    /**
     * K writers, each running mutations back to back until `count` are committed. Each mutation starts from a fresh
     * turn of the event loop, as a request does: with PGlite, whose queries resolve without I/O, writers chained only
     * by promises would otherwise keep the loop in microtasks and starve every timer and setImmediate of the process
     * (the in-process transport delivers with setImmediate) until the burst ends.
     */
    const writers = (phase, count, via) => {
      let next = 0;
      return Promise.all(
        Array.from({ length: options.writers }, async () => {
          while (next < count) {
            next += 1;
            if (options.yieldBetween) await new Promise((resolve) => setImmediate(resolve));
            await mutate(phase, via);
          }
        }),
      );
    };

    const burst = async (phase, count, via = 'resolver') => {
      const startedAt = now();
      await writers(phase, count, via);
      const writtenAt = now();
      await waitConsumed(phase, count);
      return { startedAt, writtenAt };
    };

    /** Open loop: one mutation every 1000/rate ms, at most `writers` in flight. */
    const paced = async (phase, count, rate, via = 'resolver') => {
      const inflight = new Set();
      const startedAt = now();
      let late = 0;
      for (let i = 0; i < count; i += 1) {
        const due = startedAt + (i * 1000) / rate;
        const wait = due - now();
        if (wait > 0.5) await sleep(wait);
        while (inflight.size >= options.writers) await Promise.race(inflight);
        if (now() - due > 5) late += 1;
        const task = mutate(phase, via).finally(() => inflight.delete(task));
        inflight.add(task);
      }
      await Promise.all(inflight);
      const writtenAt = now();
      await waitConsumed(phase, count);
      return { startedAt, writtenAt, late };
    };

    /**
     * Backlog: the relay stopped, `count` mutations by the writers (the producer alone), then the relay started:
     * how fast relay, transport and consumer empty the outbox with no producer competing.
     */
    const drain = async (phase, count) => {
      await producer.relay.stop();
      const writeStartedAt = now();
      await writers(phase, count, 'resolver');
      const writtenAt = now();
      producer.relay.start();
      await waitConsumed(phase, count);
      return { startedAt: writtenAt, writeStartedAt, writtenAt, backlog: true };
    };

    const n = scenario.db === 'pglite' ? Math.min(options.n, options.pgliteN) : options.n;
    log(`${name}: warm-up (${options.warmup} events)`);
    if (options.warmup > 0) {
      await burst('warmup', options.warmup);
      await sleep(300); // let the relay's wake window lapse: every phase starts from the idle poll
    }

    const results = [];
    const phases = [
      { phase: 'burst', label: `burst, ${options.writers} writers`, run: () => burst('burst', n), count: n },
      {
        phase: 'paced',
        label: `paced ${options.pacedRate}/s, ≤${options.writers} in flight`,
        run: () => paced('paced', options.pacedN, options.pacedRate),
        count: options.pacedN,
      },
      { phase: 'idle', label: `sparse ${options.idleRate}/s`, run: () => paced('idle', options.idleN, options.idleRate), count: options.idleN },
      {
        phase: 'idle-backbone',
        label: `sparse ${options.idleRate}/s, events.transaction()`,
        run: () => paced('idle-backbone', options.idleN, options.idleRate, 'backbone'),
        count: options.idleN,
      },
      { phase: 'drain', label: `backlog of ${n}, then relay started`, run: () => drain('drain', n), count: options.drain ? n : 0 },
    ].filter((p) => p.count > 0);
    for (const p of phases) {
      log(`${name}: ${p.phase} (${p.count} events)`);
      const before = cpuSnapshot(benchPids, databaseName);
      const timing = await p.run();
      const after = cpuSnapshot(benchPids, databaseName);
      await sleep(300);
      results.push({ ...p, ...timing, cpu: cpuDelta(before, after) });
    }

    // Everything delivered once, nothing dead, nothing left in the outbox.
    const outboxUnsent = await producer.relay.pending();
    const effectRows = await consumerReadDb.db
      .selectFrom('effects')
      .select(['eventId', 'phase', 'recordedAtMs', sql`(extract(epoch from handled_at) * 1000)::float8`.as('handledMs')])
      .execute();
    const deadLetters = await consumerReadDb.db
      .selectFrom('deadLetters')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    const processedRows = await consumerReadDb.db
      .selectFrom('processedEvents')
      .select(['eventId', sql`(extract(epoch from processed_at) * 1000)::float8`.as('txStartMs')])
      .execute();
    const sentRows = await producerDb.db
      .selectFrom('outbox')
      .select(['id', sql`(extract(epoch from sent_at) * 1000)::float8`.as('sentMs')])
      .execute();
    const total = produced.size;
    const checks = {
      produced: total,
      effects: effectRows.length,
      consumedStamps: consumed.size,
      outboxUnsent,
      deadLetters: Number(deadLetters.count),
      redeliveries,
    };
    if (checks.effects !== total || checks.consumedStamps !== total || outboxUnsent !== 0 || checks.deadLetters !== 0) {
      throw new Error(`${name}: inconsistent end state ${JSON.stringify(checks)}`);
    }

    const handledById = new Map(effectRows.map((r) => [r.eventId, r]));
    const txStartById = new Map(processedRows.map((r) => [r.eventId, Number(r.txStartMs)]));
    const sentById = new Map(sentRows.map((r) => [r.id, Number(r.sentMs)]));
    const phaseResults = results.map((p) => {
      const ids = [...produced.entries()].filter(([, s]) => s.phase === p.phase);
      const commitToCommit = [];
      const handlerClock = [];
      const toClaim = [];
      const claimToConfirm = [];
      const confirmToConsumerTx = [];
      const consumerTx = [];
      const batches = new Map();
      let pollWaits = 0;
      let lastConsumed = 0;
      let lastProduced = 0;
      let lastPublished = 0;
      for (const [id, s] of ids) {
        const consumerCommit = consumed.get(id);
        const confirmed = published.get(id);
        lastConsumed = Math.max(lastConsumed, consumerCommit);
        lastProduced = Math.max(lastProduced, s.committedAt);
        lastPublished = Math.max(lastPublished, confirmed);
        commitToCommit.push(consumerCommit - s.committedAt);
        const row = handledById.get(id);
        handlerClock.push(Number(row.handledMs) - Number(row.recordedAtMs));
        const claimed = sentById.get(id);
        const txStart = txStartById.get(id);
        toClaim.push(claimed - s.committedAt);
        if (claimed - s.committedAt > 5) pollWaits += 1;
        claimToConfirm.push(confirmed - claimed);
        confirmToConsumerTx.push(txStart - confirmed);
        consumerTx.push(consumerCommit - txStart);
        batches.set(claimed, (batches.get(claimed) ?? 0) + 1);
      }
      const wall = (lastConsumed - p.startedAt) / 1000;
      const sizes = [...batches.values()];
      return {
        label: p.label,
        phase: p.phase,
        backlog: p.backlog ?? false,
        events: ids.length,
        wallSeconds: wall,
        endToEndRate: ids.length / wall,
        producerRate: ids.length / ((lastProduced - (p.writeStartedAt ?? p.startedAt)) / 1000),
        relayRate: ids.length / ((lastPublished - p.startedAt) / 1000),
        late: p.late ?? 0,
        commitToCommit: percentiles(commitToCommit),
        handlerClock: percentiles(handlerClock),
        pollWaitShare: ids.length > 0 ? pollWaits / ids.length : 0,
        relayBatches: { count: sizes.length, mean: ids.length / Math.max(1, sizes.length), max: Math.max(0, ...sizes) },
        stages: {
          toClaim: percentiles(toClaim),
          claimToConfirm: percentiles(claimToConfirm),
          confirmToConsumerTx: percentiles(confirmToConsumerTx),
          consumerTx: percentiles(consumerTx),
        },
        cpu: p.cpu,
      };
    });
    return { name, title: scenario.title, scenario, n, phases: phaseResults, checks, clockOffset, clockRtt };
  } finally {
    await cleanup();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/** The broker's version, as it announces itself when a client connects (no broker tool is run). */
async function rabbitVersion() {
  try {
    const connection = await require('amqplib').connect(AMQP_URL);
    const { version } = connection.connection.serverProperties;
    await connection.close();
    return String(version);
  } catch {
    return 'unknown';
  }
}

async function versions() {
  const run = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const free = run('free', ['-h']);
  const memLine = free?.split('\n').find((l) => l.startsWith('Mem:'));
  return {
    cpu: `${os.cpus()[0]?.model ?? 'unknown'}; nproc ${run('nproc', []) ?? os.cpus().length}`,
    memory: memLine ? memLine.split(/\s+/).slice(1, 2).join('') + ' total' : `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: run('psql', ['--version']) ?? 'unknown',
    rabbitmq: await rabbitVersion(),
    os: `${os.type()} ${os.release()}`,
  };
}

/** The server settings that decide commit cost, as the server reports them. */
async function postgresSettings() {
  const { Client } = require('pg');
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
    const { rows } = await client.query(
      `select name, setting, unit from pg_settings where name in ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers') order by name`,
    );
    const value = (name) => rows.find((r) => r.name === name);
    const buffers = value('shared_buffers');
    const buffersMb = buffers && buffers.unit === '8kB' ? `${(Number(buffers.setting) * 8) / 1024} MB` : buffers?.setting;
    return `PostgreSQL server ${value('server_version')?.setting}: fsync ${value('fsync')?.setting}, synchronous_commit ${value('synchronous_commit')?.setting}, shared_buffers ${buffersMb}`;
  } catch (error) {
    return `PostgreSQL settings unknown (${error.message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function render(options, machine, results, settings) {
  const lines = [];
  lines.push(`- Machine: ${machine.cpu}; memory ${machine.memory}; ${machine.os}`);
  lines.push(`- Node ${machine.node}; ${machine.postgres}; RabbitMQ ${machine.rabbitmq}`);
  lines.push(`- Background: ${machine.background}`);
  lines.push(`- Settings: ${settings}`);
  lines.push(`- Command: \`node bench/events.js ${process.argv.slice(2).join(' ')}`.trimEnd() + '`');
  for (const r of results) {
    lines.push('');
    lines.push(`### ${r.title}`);
    const k = r.checks;
    lines.push(
      `Checked: ${int(k.produced)} events recorded, ${int(k.effects)} effect rows (one per event), ${k.redeliveries} redeliveries, ` +
        `${k.deadLetters} dead letters, ${k.outboxUnsent} unsent in the outbox.`,
    );
    if (r.scenario.split) lines.push(`(consumer clock offset ${r.clockOffset.toFixed(3)} ms, measured over IPC with ${r.clockRtt.toFixed(3)} ms round trip; corrected)`);
    lines.push('');
    lines.push('| phase | events | wall s | end-to-end ev/s | producer commits/s | p50 ms | p90 ms | p99 ms | max ms | handler-clock p50 / p99 ms | CPU % of a core: bench / postgres / rabbitmq / other |');
    lines.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--|');
    for (const p of r.phases) {
      const c = p.backlog ? { p50: NaN, p90: NaN, p99: NaN, max: NaN } : p.commitToCommit;
      const h = p.backlog ? { p50: NaN, p99: NaN } : p.handlerClock;
      const cpu = `${p.cpu.bench.toFixed(0)} / ${p.cpu.postgres.toFixed(0)} / ${p.cpu.rabbitmq.toFixed(0)} / ${p.cpu.other.toFixed(0)}`;
      const label = p.late > 0 ? `${p.label} (${p.late} late)` : p.label;
      lines.push(
        `| ${label} | ${int(p.events)} | ${p.wallSeconds.toFixed(2)} | ${int(p.endToEndRate)} | ${int(p.producerRate)} | ${ms(c.p50)} | ${ms(c.p90)} | ${ms(c.p99)} | ${ms(c.max)} | ${ms(h.p50)} / ${ms(h.p99)} | ${cpu} |`,
      );
    }
    lines.push('');
    lines.push('Where the time goes, p50 / p99 ms: (a) producer commit → relay claim (its transaction start, = `sent_at`) · (b) claim → publish confirmed · (c) confirmed → consumer transaction start (`processed_at`) · (d) consumer transaction → commit; relay batches; events that waited > 5 ms for the relay');
    lines.push('');
    for (const p of r.phases) {
      const s = p.stages;
      const pair = (x) => `${ms(x.p50)} / ${ms(x.p99)}`;
      const a = p.backlog ? '(backlog)' : pair(s.toClaim);
      const relay = p.backlog ? `; relay published ${int(p.relayRate)} ev/s` : '';
      lines.push(
        `- ${p.label}: (a) ${a} · (b) ${pair(s.claimToConfirm)} · (c) ${pair(s.confirmToConsumerTx)} · (d) ${pair(s.consumerTx)}; ` +
          `${int(p.relayBatches.count)} batches, mean ${p.relayBatches.mean.toFixed(1)}, max ${p.relayBatches.max}` +
          (p.backlog ? relay : `; ${(100 * p.pollWaitShare).toFixed(0)}% waited`),
      );
    }
  }
  if (results.length > 1) {
    const find = (r, phase) => r.phases.find((p) => p.phase === phase);
    const lat = (p) => (p ? `${ms(p.commitToCommit.p50)} / ${ms(p.commitToCommit.p99)}` : '–');
    lines.push('');
    lines.push('### Summary (latency: producer commit → consumer commit, p50 / p99 ms)');
    lines.push('');
    lines.push('| scenario | burst ev/s | burst | paced | sparse | sparse, events.transaction() | backlog drain ev/s |');
    lines.push('|---|--:|--:|--:|--:|--:|--:|');
    for (const r of results) {
      const burst = find(r, 'burst');
      const drainPhase = find(r, 'drain');
      lines.push(
        `| ${r.name} | ${burst ? int(burst.endToEndRate) : '–'} | ${lat(burst)} | ${lat(find(r, 'paced'))} | ${lat(find(r, 'idle'))} | ${lat(find(r, 'idle-backbone'))} | ${drainPhase ? int(drainPhase.endToEndRate) : '–'} |`,
      );
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = now();
  // The whole run is bounded: no scenario may hang the machine.
  const watchdog = setTimeout(() => {
    log('watchdog: the run took more than 10 minutes; exiting');
    process.exit(2);
  }, 10 * 60_000);
  watchdog.unref();

  const infra = require('@umt/infra');
  const kysely = require('kysely');
  const d = infra.DEFAULT_EVENT_CONFIG;
  const mark = (value, fallback) => (value === undefined ? `${fallback}` : `${value} (default ${fallback})`);
  const settings =
    `event config (prefetch ${mark(options.prefetch, d.prefetch)}, outbox poll ${mark(options.pollMs, d.outboxPollMs)} ms, maxAttempts ${d.maxAttempts}); ` +
    `relay (batch ${mark(options.batchSize, 100)}, wake poll 15 ms for 250 ms after a wake); pg pool ${mark(options.poolSize, 10)} per service; ` +
    `N=${options.n} (PGlite ${Math.min(options.n, options.pgliteN)}), K=${options.writers} writers${options.yieldBetween ? '' : ' (no event-loop turn between mutations)'}, warm-up ${options.warmup}, ` +
    `paced ${options.pacedN} at ${options.pacedRate}/s, sparse ${options.idleN} at ${options.idleRate}/s; ${await postgresSettings()}`;
  const machine = await versions();
  const before = cpuSnapshot([], '-');
  await sleep(1000);
  const idle = cpuDelta(before, cpuSnapshot([], '-'));
  machine.background = `${idle.machine.toFixed(0)}% of a core busy in the second before the run; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  const results = [];
  let failed = false;
  for (const name of options.scenarios) {
    try {
      results.push(await runScenario(name, options, infra, kysely));
    } catch (error) {
      failed = true;
      log(`${name} failed: ${error?.stack ?? error}`);
    }
  }
  process.stdout.write(`${render(options, machine, results, settings)}\n`);
  log(`done in ${((now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[2] === '--consumer-child') {
  consumerChild().catch((error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
