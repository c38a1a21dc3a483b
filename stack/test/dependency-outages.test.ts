/**
 * Dependencies that fail, as the six services see them when they run as their own processes: PostgreSQL, Redis and
 * RabbitMQ are reached through TCP proxies this test owns (the machine's services are never touched), under a steady
 * mix of reads and writes through the gateway. The proxies refuse, reset or hang connections, during queries and
 * during transactions.
 *
 * - Every service stays alive: a lost database connection, idle or in use, never becomes an unhandled error.
 * - While the database is away, requests get SERVICE_UNAVAILABLE, not a hang nor an internal error; readiness says 503;
 *   once it is back, the services serve again within a second, and readiness follows.
 * - A database, Redis or broker that accepts connections but stops answering costs a request at most its configured
 *   deadline: a coded error for the database, a fail-open for Redis (rate limit let through, APQ lookup missed), and
 *   nothing for the broker (events wait in the outbox).
 * - The logs of all this hold no connection internals (pg-pool hangs the whole client on a lost connection's error).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AMQP_URL,
  gql,
  gqlOk,
  isolatedServices,
  registerTenant,
  startServices,
  startTcpProxy,
  throughProxy,
  waitFor,
  type RunningServices,
  type ServiceProcess,
  type TcpProxy,
  type Tenant,
} from '@umt/test-support';

/** Retries long enough that an event caught in a short outage is applied afterwards rather than dead-lettered. */
const RETRY = { maxAttempts: 8, delaysMs: [200, 500, 1000] };
const STATEMENT_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 1_000;
const REDIS_COMMAND_TIMEOUT_MS = 300;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES = { host: '127.0.0.1', port: 5432 };

interface Tally {
  ok: number;
  /** Error codes seen, with how often. */
  codes: Record<string, number>;
  /** Answers that were not GraphQL responses at all. */
  broken: string[];
}

const newTally = (): Tally => ({ ok: 0, codes: {}, broken: [] });

const CREATE_BRAND = 'mutation ($n: String!) { createBrand(input: { name: $n }) { id } }';
const CREATE_PROJECT = 'mutation ($b: ID!, $n: String!) { createProject(input: { brandId: $b, name: $n, type: BLOG }) { id } }';
const READ = '{ brands(first: 5) { nodes { id name planning { brandName } projects(first: 3) { nodes { id contents { nodes { id } } } } } } }';

describe('dependency outages', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-outage', RETRY);
  let database: TcpProxy;
  let redis: TcpProxy;
  let broker: TcpProxy;
  let services: RunningServices;
  let tenant: Tenant;
  let brandId: string;

  beforeAll(async () => {
    const { url: databaseUrl } = await isolated.database();
    database = await startTcpProxy(POSTGRES);
    const redisTarget = new URL(REDIS_URL);
    redis = await startTcpProxy({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
    const amqpTarget = new URL(AMQP_URL);
    broker = await startTcpProxy({ host: amqpTarget.hostname, port: Number(amqpTarget.port || 5672) });
    const env = {
      ...isolated.env({ databaseUrl: throughProxy(databaseUrl, database) }),
      REDIS_URL: throughProxy(REDIS_URL, redis),
      AMQP_URL: throughProxy(AMQP_URL, broker),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      REDIS_COMMAND_TIMEOUT_MS: String(REDIS_COMMAND_TIMEOUT_MS),
      OTEL_SDK_DISABLED: 'true',
      RATE_LIMIT_MAX: '100000',
    };
    services = await startServices(env, running);
    tenant = await registerTenant(services.url, 'Outage Inc');
    brandId = (await gqlOk<{ createBrand: { id: string } }>(services.url, CREATE_BRAND, { n: 'Outage Coffee' }, tenant.token)).createBrand.id;
  }, 120_000);

  afterAll(async () => {
    for (const proxy of [database, redis, broker]) proxy?.restore();
    try {
      await isolated.stop(running);
    } finally {
      await Promise.all([database, redis, broker].map((proxy) => proxy?.close()));
    }
  }, 90_000);

  /** One request of the mix: a write in a transaction with its outbox row, a write that reads first, a read across subgraphs. */
  async function oneRequest(kind: number, tally: Tally): Promise<void> {
    const name = `Load ${randomBytes(6).toString('hex')}`;
    try {
      const reply =
        kind % 3 === 0
          ? await gql(services.url, CREATE_BRAND, { n: name }, tenant.token)
          : kind % 3 === 1
            ? await gql(services.url, CREATE_PROJECT, { b: brandId, n: name }, tenant.token)
            : await gql(services.url, READ, {}, tenant.token);
      if (!reply.errors?.length) tally.ok += 1;
      for (const error of reply.errors ?? []) {
        const code = String(error.extensions?.code);
        tally.codes[code] = (tally.codes[code] ?? 0) + 1;
      }
    } catch (error) {
      tally.broken.push(String(error));
    }
  }

  /** Runs `workers` request loops until `stop()` (bounded), while `during` makes its outage. */
  async function underLoad(during: () => Promise<void>, workers = 4): Promise<Tally> {
    const tally = newTally();
    let stopped = false;
    const loops = Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; !stopped && i < 2_000; i += 1) await oneRequest(worker + i, tally);
    });
    try {
      await during();
    } finally {
      stopped = true;
      await Promise.all(loops);
    }
    return tally;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Every process is still running, and none has printed an unhandled error. */
  function expectAllAlive(): void {
    for (const service of running) {
      expect({ service: service.name, exitCode: service.child.exitCode, signal: service.child.signalCode }).toEqual({
        service: service.name,
        exitCode: null,
        signal: null,
      });
      expect(service.output()).not.toMatch(/Unhandled 'error' event|uncaughtException|unhandledRejection/);
    }
  }

  /**
   * Milliseconds from now until the database serves again: the start of the first probe (a write, then a read across
   * subgraphs) that succeeds, so the probe's own round trips on a busy machine do not count.
   */
  /**
   * How long after the database's return a write and a read first succeed: attempts start every 50 ms without waiting
   * for the previous one (a slow failing attempt on a busy machine must not delay the next), and the answer is the
   * start of the earliest attempt that succeeded.
   */
  async function timeToServe(): Promise<number> {
    const restoredAt = Date.now();
    const successes: number[] = [];
    const attempts: Promise<void>[] = [];
    for (let i = 0; i < 400 && successes.length === 0; i += 1) {
      const started = Date.now();
      attempts.push(
        (async () => {
          const write = await gql(services.url, CREATE_BRAND, { n: `Back ${randomBytes(6).toString('hex')}` }, tenant.token);
          const read = await gql(services.url, READ, {}, tenant.token);
          if (!write.errors?.length && !read.errors?.length) successes.push(started);
        })(),
      );
      await sleep(50);
    }
    await Promise.all(attempts);
    if (successes.length === 0) throw new Error('no write and read succeeded within 20 s of the database returning');
    return Math.min(...successes) - restoredAt;
  }

  async function readiness(name: string): Promise<number> {
    return (await fetch(`http://127.0.0.1:${services.ports[name]}/health/ready`)).status;
  }

  it('connections reset in the middle of statements and transactions: nobody dies, callers get SERVICE_UNAVAILABLE, service resumes within a second', async () => {
    let recoveryMs = Number.NaN;
    const tally = await underLoad(async () => {
      await sleep(500);
      // Hold every byte first, so statements and open transactions are in flight on checked-out connections, then reset.
      database.hang();
      await sleep(300);
      database.reset();
      await sleep(1_500);
      expect(await readiness('brand')).toBe(503);
      database.restore();
      recoveryMs = await timeToServe();
      await sleep(300);
    });
    expectAllAlive();
    expect(tally.broken).toEqual([]);
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.codes.SERVICE_UNAVAILABLE ?? 0).toBeGreaterThan(0);
    expect(Object.keys(tally.codes).filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    expect(recoveryMs).toBeLessThan(1_000);
    await waitFor('brand to be ready again', async () => (await readiness('brand')) === 200, 5_000, 50);
  }, 60_000);

  it('repeated cuts, refused and reset, leave every service alive and serving', async () => {
    const recoveries: number[] = [];
    const tally = await underLoad(async () => {
      for (let cut = 0; cut < 4; cut += 1) {
        await sleep(400);
        if (cut % 2 === 0) database.cut(); // connections dropped, new ones refused
        else database.refuse(); // new connections refused; the ones in use go on until they are reset
        await sleep(300);
        if (cut % 2 === 1) database.reset();
        await sleep(700);
        database.restore();
        recoveries.push(await timeToServe());
      }
    });
    expectAllAlive();
    expect(tally.broken).toEqual([]);
    expect(Object.keys(tally.codes).filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    for (const ms of recoveries) expect(ms).toBeLessThan(1_000);
    for (const { name } of services.subgraphs) await waitFor(`${name} ready`, async () => (await readiness(name)) === 200, 5_000, 50);
  }, 90_000);

  it('a database that accepts but never answers gives SERVICE_UNAVAILABLE within the statement deadline, not the outage', async () => {
    database.hang();
    try {
      const started = Date.now();
      const [write, read] = await Promise.all([
        gql(services.url, CREATE_BRAND, { n: `Hung ${randomBytes(6).toString('hex')}` }, tenant.token),
        gql(services.url, READ, {}, tenant.token),
      ]);
      const elapsed = Date.now() - started;
      expect(write.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(read.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
      // Deadline: waiting for a connection, then the statement and its grace; the outage itself lasts much longer.
      expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1_000 + 1_500);
      await waitFor('brand to turn unready', async () => (await readiness('brand')) === 503, 5_000, 100);
    } finally {
      database.restore();
    }
    expect(await timeToServe()).toBeLessThan(3_000);
    expectAllAlive();
  }, 60_000);

  it('a Redis that never answers costs a request at most REDIS_COMMAND_TIMEOUT_MS: the rate limit and APQ fail open', async () => {
    redis.hang();
    try {
      for (let i = 0; i < 3; i += 1) {
        const started = Date.now();
        const reply = await gql(services.url, '{ me { id } }', {}, tenant.token);
        expect(reply.data).toEqual({ me: { id: tenant.userId } });
        // One bounded wait for the rate-limit count (and the gateway's own work); nowhere near the outage.
        expect(Date.now() - started).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 1_500);
      }
    } finally {
      redis.restore();
    }
    expectAllAlive();
  }, 30_000);

  it('a broker that never answers does not slow writes; their events are delivered once it answers again', async () => {
    broker.hang();
    let created: string;
    try {
      const started = Date.now();
      created = (await gqlOk<{ createBrand: { id: string } }>(services.url, CREATE_BRAND, { n: `Queued ${randomBytes(4).toString('hex')}` }, tenant.token))
        .createBrand.id;
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      broker.restore();
    }
    await waitFor(
      'the brand.created event to reach strategy',
      async () => {
        const reply = await gql<{ brand: { planning: unknown } | null }>(services.url, 'query ($id: ID!) { brand(id: $id) { planning { brandName } } }', { id: created }, tenant.token);
        return Boolean(reply.data?.brand?.planning);
      },
      60_000,
      200,
    );
    expectAllAlive();
  }, 90_000);

  it('logs no connection internals: no client parameters, no backend keys, no oversized lines', () => {
    for (const service of running) {
      const output = service.output();
      expect(output).not.toMatch(/secretKey|processID|connectionParameters/);
      const longest = Math.max(...output.split('\n').map((line) => line.length));
      expect({ service: service.name, longest: longest < 6_000 }).toEqual({ service: service.name, longest: true });
    }
  });
});
