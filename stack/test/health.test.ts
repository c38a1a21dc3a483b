/**
 * Readiness tells the truth about a service's dependencies and its shutdown, against real processes: a subgraph is
 * not ready while its database refuses connections; a subgraph whose broker, or a gateway whose Redis, is
 * unreachable is degraded but keeps serving (not ready with READINESS_STRICT=true); each comes back by itself; and on
 * SIGTERM readiness turns false while the service keeps serving for SHUTDOWN_DRAIN_SECONDS before it exits 0.
 *
 * Outages are made for the process under test only: the database refuses connections (ALTER DATABASE … ALLOW_CONNECTIONS
 * false on its own test database), and RabbitMQ and Redis are reached through a TCP proxy the test cuts. The machine's
 * services keep running for every other test.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { principalCodec, PRINCIPAL_HEADER } from '@umt/infra';
import { Client } from 'pg';
import { AMQP_URL, deleteTopology, randomName, POSTGRES_ADMIN_URL, createTestDatabase, type TestDatabase, freePort, startProcess, waitReady, type ServiceProcess, startTcpProxy, throughProxy, type TcpProxy } from '@umt/test-support';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const DRAIN_SECONDS = 4; // room, on a busy 2-core machine, for the checks made during the drain

interface Readiness {
  status: number;
  body: { status?: string; service?: string; checks?: Record<string, string>; database?: string; migrated?: boolean; shuttingDown?: boolean };
}

async function readiness(base: string): Promise<Readiness> {
  const response = await fetch(`${base}/health/ready`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Polls readiness until `predicate` holds; fails with the last answer. */
async function readinessUntil(base: string, what: string, predicate: (r: Readiness) => boolean, timeoutMs = 15_000): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let last: Readiness | string;
  for (;;) {
    try {
      const answer = await readiness(base);
      if (predicate(answer)) return answer;
      last = answer;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last answer: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The database refuses new connections and loses the ones it had, as when it goes down; or takes them again. */
async function setDatabaseReachable(name: string, reachable: boolean): Promise<void> {
  await admin(async (client) => {
    await client.query(`alter database ${name} allow_connections ${reachable}`);
    if (!reachable) await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  });
}

/** Sends SIGTERM and, during the drain, checks that readiness is false while liveness and `serve` still answer. */
async function expectDrainThenExit(service: ServiceProcess, base: string, serve: () => Promise<number>): Promise<void> {
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => service.child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const signalledAt = Date.now();
  service.child.kill('SIGTERM');
  const draining = await readinessUntil(base, 'readiness false after SIGTERM', (r) => r.status === 503, 1_500);
  expect(draining.body).toMatchObject({ status: 'unavailable', shuttingDown: true });
  expect((await fetch(`${base}/health/live`)).status).toBe(200);
  expect(await serve()).toBe(200);
  const { code, at } = await exited;
  expect(code).toBe(0);
  // It served for the drain period, then closed promptly.
  expect(at - signalledAt).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 100);
  expect(at - signalledAt).toBeLessThan(DRAIN_SECONDS * 1000 + 8_000);
}

describe('readiness', () => {
  const running: ServiceProcess[] = [];
  const secrets = { AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'), PRINCIPAL_SECRET: randomBytes(32).toString('hex') };
  const principal = (subgraph: string) => principalCodec({ secret: secrets.PRINCIPAL_SECRET, acceptedSecrets: [] }, 60, subgraph).sign({ kind: 'gateway' });
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await database?.drop();
  }, 60_000);

  /** A subgraph as its own process; resolves once it is ready. */
  async function startSubgraph(name: string, env: Record<string, string>): Promise<{ service: ServiceProcess; base: string }> {
    const port = await freePort();
    const service = startProcess(name, `subgraphs/${name}/dist/main.js`, {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.url,
      OTEL_SDK_DISABLED: 'true',
      ...secrets,
      ...env,
    });
    running.push(service);
    const base = `http://127.0.0.1:${port}`;
    await waitReady(`${base}/health/ready`, service);
    return { service, base };
  }

  describe('a subgraph and its database', () => {
    let service: ServiceProcess;
    let base: string;

    beforeAll(async () => {
      ({ service, base } = await startSubgraph('brand', { SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) }));
    });

    it('is ready with every check up, and lists them', async () => {
      expect(await readiness(base)).toEqual({
        status: 200,
        body: { status: 'ready', service: 'brand', checks: { database: 'up', broker: 'n/a' }, database: 'up', migrated: true, shuttingDown: false },
      });
    });

    it('is not ready while the database refuses connections, alive all the same, and ready again once it is back', async () => {
      const name = new URL(database.url).pathname.slice(1);
      try {
        await setDatabaseReachable(name, false);
        const down = await readinessUntil(base, 'not ready with the database down', (r) => r.status === 503);
        expect(down.body).toMatchObject({ status: 'unavailable', checks: { database: 'down', broker: 'n/a' }, database: 'down', shuttingDown: false });
        expect((await fetch(`${base}/health/live`)).status).toBe(200);
      } finally {
        await setDatabaseReachable(name, true);
      }
      const back = await readinessUntil(base, 'ready with the database back', (r) => r.status === 200);
      expect(back.body.checks).toEqual({ database: 'up', broker: 'n/a' });
    });

    it('on SIGTERM turns unready, keeps serving GraphQL for the drain period, then exits 0', async () => {
      await expectDrainThenExit(service, base, async () => {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal('brand') },
          body: JSON.stringify({ query: '{ _service { sdl } }' }),
        });
        return response.status;
      });
    });
  });

  describe('a subgraph and its broker', () => {
    const exchange = randomName('umt-test-health');
    let proxy: TcpProxy;
    let lenient: string;
    let strict: string;

    beforeAll(async () => {
      const target = new URL(AMQP_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
      // strategy and creation consume events: each holds a queue of its own, removed in afterAll.
      const broker = {
        AMQP_URL: throughProxy(AMQP_URL, proxy),
        EVENTS_EXCHANGE: exchange,
        EVENT_MAX_ATTEMPTS: String(RETRY.maxAttempts),
        EVENT_RETRY_DELAYS_MS: RETRY.delaysMs.join(','),
      };
      ({ base: lenient } = await startSubgraph('strategy', broker));
      ({ base: strict } = await startSubgraph('creation', { ...broker, READINESS_STRICT: 'true' }));
    });
    afterAll(async () => {
      await Promise.all(running.filter((p) => p.name === 'strategy' || p.name === 'creation').map((p) => p.stop()));
      await proxy?.close();
      await deleteTopology(exchange, `${exchange}.`, ['strategy', 'creation'], RETRY);
    }, 60_000);

    it('is degraded but ready while RabbitMQ is unreachable (unready when strict), and ready again once it is back', async () => {
      expect((await readiness(lenient)).body.checks).toEqual({ database: 'up', broker: 'up' });
      expect((await readiness(strict)).body.checks).toEqual({ database: 'up', broker: 'up' });
      proxy.cut();
      // Events wait in the outbox meanwhile, so the subgraph still serves: it stays in rotation.
      const degraded = await readinessUntil(lenient, 'degraded with the broker cut off', (r) => r.body.status === 'degraded');
      expect(degraded).toMatchObject({ status: 200, body: { checks: { database: 'up', broker: 'down' } } });
      const down = await readinessUntil(strict, 'not ready (strict) with the broker cut off', (r) => r.status === 503);
      expect(down.body).toMatchObject({ status: 'unavailable', checks: { database: 'up', broker: 'down' } });
      expect((await fetch(`${strict}/health/live`)).status).toBe(200);
      proxy.restore();
      for (const base of [lenient, strict]) {
        const back = await readinessUntil(base, 'ready with the broker back', (r) => r.body.status === 'ready', 30_000);
        expect(back).toMatchObject({ status: 200, body: { checks: { database: 'up', broker: 'up' } } });
      }
    });
  });

  describe('the gateway and Redis', () => {
    let proxy: TcpProxy;
    let service: ServiceProcess;
    let base: string;
    let strict: string;

    /** A gateway on Redis through the proxy. No subgraph is needed: `{ __typename }` resolves in the gateway. */
    async function startGateway(env: Record<string, string>): Promise<{ service: ServiceProcess; base: string }> {
      const port = await freePort();
      const gateway = startProcess('gateway', 'gateway/dist/main.js', {
        HOST: '127.0.0.1',
        PORT: String(port),
        REDIS_URL: throughProxy(REDIS_URL, proxy),
        CACHE_NAMESPACE: randomName('umt-test-health-cache'),
        RATE_LIMIT_KEY_PREFIX: `${randomName('umt-test-health-rl')}:`,
        OTEL_SDK_DISABLED: 'true',
        ...secrets,
        ...env,
      });
      running.push(gateway);
      const url = `http://127.0.0.1:${port}`;
      await waitReady(`${url}/health/ready`, gateway);
      return { service: gateway, base: url };
    }

    beforeAll(async () => {
      const target = new URL(REDIS_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      ({ service, base } = await startGateway({ SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) }));
      ({ base: strict } = await startGateway({ READINESS_STRICT: 'true' }));
    });
    afterAll(async () => {
      await Promise.all(running.filter((p) => p.name === 'gateway').map((p) => p.stop()));
      await proxy?.close();
    });

    const typename = async () => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return response.status;
    };

    /** A persisted query by hash, with its text or without; resolves to the reply's codes and how long it took. */
    const persisted = async (withText: boolean) => {
      const query = `query HealthApq { __typename } # ${randomBytes(4).toString('hex')}`;
      const hash = createHash('sha256').update(query).digest('hex');
      const started = Date.now();
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(withText ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, codes: (body.errors ?? []).map((e) => e.extensions?.code), ms: Date.now() - started };
    };

    it('is degraded but ready and still serving while Redis is unreachable (unready when strict), and ready again once it is back', async () => {
      expect(await readiness(base)).toEqual({ status: 200, body: { status: 'ready', service: 'gateway', checks: { cache: 'up' }, shuttingDown: false } });
      proxy.cut();
      const degraded = await readinessUntil(base, 'degraded with Redis cut off', (r) => r.body.status === 'degraded');
      expect(degraded).toEqual({ status: 200, body: { status: 'degraded', service: 'gateway', checks: { cache: 'down' }, shuttingDown: false } });
      const down = await readinessUntil(strict, 'not ready (strict) with Redis cut off', (r) => r.status === 503);
      expect(down.body).toMatchObject({ status: 'unavailable', checks: { cache: 'down' } });
      // Serving without Redis: plain operations (the rate limit fails open), and persisted queries as cache misses,
      // answered in bounded time, which APQ clients follow by sending the text.
      expect(await typename()).toBe(200);
      const miss = await persisted(false);
      expect({ status: miss.status, codes: miss.codes }).toEqual({ status: 200, codes: ['PERSISTED_QUERY_NOT_FOUND'] });
      expect(miss.ms).toBeLessThan(3_000);
      const registered = await persisted(true);
      expect({ status: registered.status, codes: registered.codes }).toEqual({ status: 200, codes: [] });
      expect(registered.ms).toBeLessThan(5_000);
      proxy.restore();
      for (const url of [base, strict]) {
        const back = await readinessUntil(url, 'ready with Redis back', (r) => r.body.status === 'ready', 30_000);
        expect(back).toMatchObject({ status: 200, body: { checks: { cache: 'up' } } });
      }
    });

    it('on SIGTERM turns unready, keeps serving GraphQL for the drain period, then exits 0', async () => {
      await expectDrainThenExit(service, base, typename);
    });
  });
});
