/**
 * The gateway's circuit breakers, one per subgraph, as a caller and an operator see them.
 *
 * The subgraphs run in this process (startTestStack); a gateway runs as its own process in front of them, with small
 * breaker settings, and reaches the strategy subgraph through a TCP proxy this test owns (the other four directly).
 * - A hung strategy costs each fetch the breaker's deadline (SERVICE_UNAVAILABLE, the rest of the query answered);
 *   after `minimumCalls` of them the breaker opens.
 * - While it is open, fetches to strategy fail at once with DEPENDENCY_UNAVAILABLE on exactly the fields strategy
 *   resolves, each with its path, and the other subgraphs' data of the same query is there.
 * - Queries that need only other subgraphs stay as fast as before, hung or open.
 * - `openMs` later the breaker is HALF_OPEN: one probe that succeeds closes it, one that fails re-opens it.
 * - The circuitBreakers query (OWNER and ADMIN only) and the gateway's /metrics show what all this did.
 * Every wait is bounded; timing assertions are generous bounds well below the breaker's deadline, not benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrincipalForwardingDataSource } from '@umt/gateway/dist/subgraph-data-source';
import { breakerFor, DEFAULT_BREAKER_SETTINGS } from '@umt/infra';
import {
  gqlOk,
  metricValue,
  parseMetrics,
  sleep,
  startGateway,
  startTcpProxy,
  teamWithEveryRole,
  waitFor,
  type Sample,
  type ServiceProcess,
  type TcpProxy,
  type Team,
} from '@umt/test-support';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

const SECRETS = {
  AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
  PRINCIPAL_SECRET: randomBytes(32).toString('hex'),
};
const TIMEOUT_MS = 1_000;
const MINIMUM_CALLS = 3;
const OPEN_MS = 3_000;
const BREAKER_OVERRIDES = JSON.stringify({ 'subgraph:strategy': { timeoutMs: TIMEOUT_MS, minimumCalls: MINIMUM_CALLS, openMs: OPEN_MS, failureRate: 0.5, windowMs: 60_000 } });

/** Brand's data, and strategy's planning of each brand (an entity fetch to strategy). */
const MIXED = '{ brands { nodes { id name planning { preparedAt } } } }';
/** Auth's and brand's data only. */
const OTHERS = '{ me { id } brands { nodes { id name } } }';

const CIRCUITS = `{ circuitBreakers { service reachable breakers {
  service name kind dependency state stateChangedAt halfOpenAt
  settings { timeoutMs windowMs minimumCalls failureRate openMs halfOpenProbes }
  window { calls successes failures timeouts shortCircuits latencyMeanMs latencyP50Ms latencyP95Ms latencyP99Ms at }
  totals { successes failures timeouts shortCircuits ignored probes }
} } }`;

interface Breaker {
  service: string;
  name: string;
  kind: string;
  dependency: string;
  state: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  stateChangedAt: string;
  halfOpenAt: string | null;
  settings: { timeoutMs: number; windowMs: number; minimumCalls: number; failureRate: number; openMs: number; halfOpenProbes: number };
  window: Record<string, number | string | null>;
  totals: { successes: number; failures: number; timeouts: number; shortCircuits: number; ignored: number; probes: number };
}

interface ServiceCircuits {
  service: string;
  reachable: boolean;
  breakers: Breaker[];
}

interface Reply {
  status: number;
  ms: number;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
  };
}



const valueOf = (samples: Sample[], name: string, labels: Record<string, string>): number => metricValue(samples, name, labels) ?? 0;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

describe('circuit breakers at the gateway, one per subgraph', () => {
  const running: ServiceProcess[] = [];
  let stack: Stack;
  let proxy: TcpProxy;
  let url: string;
  let team: Team;
  let apiKey: string;
  let brandIds: string[];
  /** What the steps below did to strategy's breaker, to compare with what monitoring shows. */
  const expected = { timeouts: 0, failures: 0, shortCircuits: 0, probes: 0, opened: 0, halfOpened: 0, closed: 0 };

  async function post(query: string, headers: Record<string, string> = {}): Promise<Reply> {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, text, body: JSON.parse(text) as Reply['body'] };
  }
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const owner = () => as(team.tokens.OWNER);

  async function circuits(headers = owner()): Promise<ServiceCircuits[]> {
    const reply = await post(CIRCUITS, headers);
    expect(reply.body.errors ?? []).toEqual([]);
    return (reply.body.data as { circuitBreakers: ServiceCircuits[] }).circuitBreakers;
  }
  async function strategyBreaker(): Promise<Breaker> {
    const gateway = (await circuits()).find((s) => s.service === 'gateway');
    const breaker = gateway?.breakers.find((b) => b.name === 'subgraph:strategy');
    if (!breaker) throw new Error(`no subgraph:strategy breaker at the gateway: ${JSON.stringify(gateway)}`);
    return breaker;
  }
  async function gatewayMetrics(): Promise<Sample[]> {
    return parseMetrics(await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text());
  }
  /** Strategy's breaker's state as the gateway's gauge has it: read without asking strategy anything (it may hang). */
  async function stateOf(): Promise<Breaker['state']> {
    const value = valueOf(await gatewayMetrics(), 'umt_circuit_breaker_state', { service: 'gateway', breaker: 'subgraph:strategy' });
    return (['CLOSED', 'HALF_OPEN', 'OPEN'] as const)[value] ?? 'CLOSED';
  }
  async function waitForState(state: Breaker['state']): Promise<void> {
    await waitFor(`strategy's breaker to be ${state}`, async () => (await stateOf()) === state, OPEN_MS + 5_000, 50);
  }
  /** halfOpenAt is openMs after the breaker opened. */
  const openFor = (breaker: Breaker) => Date.parse(breaker.halfOpenAt ?? '') - Date.parse(breaker.stateChangedAt);

  /** A MIXED query while strategy is away: its fields are null, each with an error coded `code` at its path; brand's are there. */
  function expectStrategyFailed(reply: Reply, code: string): void {
    expect(reply.status).toBe(200);
    const nodes = (reply.body.data as { brands: { nodes: { id: string; name: string; planning: unknown }[] } }).brands.nodes;
    expect(nodes.map((n) => n.id).sort()).toEqual([...brandIds].sort());
    expect(nodes.every((n) => n.name.startsWith('Breaker ') && n.planning === null)).toBe(true);
    expect(reply.body.errors?.map((e) => e.extensions?.code)).toEqual(nodes.map(() => code));
    expect(reply.body.errors?.map((e) => e.path)).toEqual(nodes.map((_n, i) => ['brands', 'nodes', i, 'planning']));
    expect(reply.text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|localhost|:${proxy.port}|ECONN|socket|abort|stack`, 'i'));
  }

  /** Latencies of `count` OTHERS queries, each of which must answer in full. */
  async function othersLatencies(count: number): Promise<number[]> {
    const latencies: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const reply = await post(OTHERS, owner());
      expect(reply.body.errors ?? []).toEqual([]);
      expect((reply.body.data as { me: { id: string } }).me.id).toBe(team.userIds.OWNER);
      latencies.push(reply.ms);
    }
    return latencies;
  }

  beforeAll(async () => {
    stack = await startTestStack({ env: { ...SECRETS, RATE_LIMIT_MAX: '100000' } });
    const ports = Object.fromEntries(Object.entries(stack.subgraphUrls).map(([name, subgraphUrl]) => [name, Number(new URL(subgraphUrl).port)]));
    proxy = await startTcpProxy({ host: '127.0.0.1', port: ports.strategy! });
    ({ url } = await startGateway(
      {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        ...SECRETS,
        RATE_LIMIT_MAX: '100000',
        PERSISTED_QUERIES_PARTNERS: 'any', // so that an API key's query reaches the field and its policy
        OTEL_SDK_DISABLED: 'true',
        BREAKER_OVERRIDES,
      },
      { ...ports, strategy: proxy.port },
      running,
      'gateway-breakers',
    ));
    team = await teamWithEveryRole(url, 'Breaker Inc');
    brandIds = [];
    for (const name of ['Breaker One', 'Breaker Two']) {
      brandIds.push((await gqlOk<{ createBrand: { id: string } }>(url, `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: name }, team.tokens.OWNER)).createBrand.id);
    }
    apiKey = (await gqlOk<{ createApiKey: { key: string } }>(url, `mutation { createApiKey(input: { name: "monitor", scopes: ["brands:read", "organization:read"] }) { key } }`, {}, team.tokens.OWNER)).createApiKey.key;
  }, 120_000);

  afterAll(async () => {
    proxy?.restore();
    for (const service of running) await service.stop();
    await stack?.stop();
    await proxy?.close();
  }, 60_000);

  it('aborts a fetch at the deadline: the connection to a subgraph that never answers is closed, not left waiting', async () => {
    const sockets: Socket[] = [];
    const closed: number[] = [];
    const blackHole: Server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => undefined); // reads the request, never answers
      socket.on('close', () => closed.push(Date.now()));
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blackHole.address() as { port: number };
      const source = new PrincipalForwardingDataSource({
        url: `http://127.0.0.1:${port}/graphql`,
        subgraph: 'black-hole',
        breakers: { defaults: DEFAULT_BREAKER_SETTINGS, overrides: { 'subgraph:black-hole': { timeoutMs: 300 } } },
      });
      const started = Date.now();
      const response = await source.process({ kind: 'health check', request: { query: '{ ping other: pong }' }, context: {} } as unknown as GraphQLDataSourceProcessOptions<never>);
      expect(Date.now() - started).toBeLessThan(300 + 700);
      expect(response.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
        ['SERVICE_UNAVAILABLE', ['ping']],
        ['SERVICE_UNAVAILABLE', ['other']],
      ]);
      expect(sockets.length).toBe(1);
      await waitFor('the aborted fetch to close its connection', () => closed.length === 1, 2_000, 10);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });

  it('strategy hung: each fetch costs the deadline until the breaker opens; then it fails fast, the rest of the graph at full speed', async () => {
    const baseline = await othersLatencies(10);
    // Generous: the point is that they do not wait for the hung fetch (TIMEOUT_MS), on a machine that may be busy.
    const fast = Math.max(4 * median(baseline), median(baseline) + 300);
    proxy.hang();

    // (a) MINIMUM_CALLS fetches that time out; the breaker opens on the last one, not before.
    for (let call = 1; call <= MINIMUM_CALLS; call += 1) {
      // Queries for other subgraphs, sent while the strategy fetch hangs, answer at full speed.
      const hung = post(MIXED, owner());
      const during = await othersLatencies(3);
      const reply = await hung;
      expected.timeouts += 1;
      expectStrategyFailed(reply, 'SERVICE_UNAVAILABLE');
      expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(reply.ms).toBeLessThan(TIMEOUT_MS + 1_500);
      expect(median(during)).toBeLessThan(fast);
      expect({ call, state: await stateOf() }).toEqual({ call, state: call < MINIMUM_CALLS ? 'CLOSED' : 'OPEN' });
    }
    expected.opened += 1;

    // (b) Open: strategy's fields fail at once with DEPENDENCY_UNAVAILABLE; brand's data is there.
    for (let i = 0; i < 5; i += 1) {
      const reply = await post(MIXED, owner());
      expected.shortCircuits += 1;
      expectStrategyFailed(reply, 'DEPENDENCY_UNAVAILABLE');
      expect(reply.ms).toBeLessThan(TIMEOUT_MS / 2);
      const retryAfter = Number(reply.body.errors?.[0]?.extensions?.retryAfterSeconds);
      expect(retryAfter >= 1 && retryAfter <= Math.ceil(OPEN_MS / 1000)).toBe(true);
      expect(reply.body.errors?.[0]?.message).toMatch(/the strategy service is unavailable/);
    }
    // A root field of strategy beside one of auth: the same, at the root.
    const root = await post(`{ me { id } calendarEntry(id: "${brandIds[0]}") { id } }`, owner());
    expected.shortCircuits += 1;
    expect(root.body.data).toEqual({ me: { id: team.userIds.OWNER }, calendarEntry: null });
    expect(root.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['DEPENDENCY_UNAVAILABLE', ['calendarEntry']]]);
    expect(root.ms).toBeLessThan(TIMEOUT_MS / 2);

    // The monitoring query answers while strategy hangs: strategy's own breakers unknown, the gateway's OPEN.
    const started = performance.now();
    const during = await circuits();
    expect(performance.now() - started).toBeLessThan(1_000 + 1_500); // one bounded read of each subgraph, all at once
    expect(during.map((s) => [s.service, s.reachable])).toEqual([
      ['gateway', true],
      ['auth', true],
      ['brand', true],
      ['strategy', false],
      ['creation', true],
      ['campaigns', true],
    ]);
    expect(during.find((s) => s.service === 'strategy')?.breakers).toEqual([]);
    const open = during[0]?.breakers.find((b) => b.name === 'subgraph:strategy');
    expect(open).toMatchObject({
      service: 'gateway',
      kind: 'SUBGRAPH',
      dependency: 'the strategy service',
      state: 'OPEN',
      settings: { timeoutMs: TIMEOUT_MS, minimumCalls: MINIMUM_CALLS, openMs: OPEN_MS, failureRate: 0.5, halfOpenProbes: 1 },
      totals: { successes: 0, failures: 0, timeouts: MINIMUM_CALLS, shortCircuits: expected.shortCircuits, probes: 0 },
    });
    expect(Math.abs(openFor(open!) - OPEN_MS)).toBeLessThanOrEqual(5);

    // (c) The rest of the graph, with the breaker open.
    expect(median(await othersLatencies(10))).toBeLessThan(fast);
  }, 60_000);

  it('restored: openMs later one probe goes through and closes it; a failing probe re-opens it', async () => {
    proxy.restore();
    await waitForState('HALF_OPEN');
    expected.halfOpened += 1;
    const probed = await post(MIXED, owner());
    expected.probes += 1;
    expect(probed.body.errors ?? []).toEqual([]);
    expect(await stateOf()).toBe('CLOSED');
    expected.closed += 1;
    await sleep(500); // brakes follows the wrapper's verdict within 50 ms (a poll)

    // Cut: connections refused and reset, failures without waiting for a deadline; the breaker opens again.
    proxy.cut();
    for (let call = 1; call <= MINIMUM_CALLS; call += 1) {
      const reply = await post(MIXED, owner());
      expected.failures += 1;
      expectStrategyFailed(reply, 'SERVICE_UNAVAILABLE');
      expect(reply.ms).toBeLessThan(TIMEOUT_MS / 2);
    }
    expect(await stateOf()).toBe('OPEN');
    expected.opened += 1;
    await waitForState('HALF_OPEN');
    expected.halfOpened += 1;
    // The probe fails (still cut): OPEN for another openMs.
    const failedProbe = await post(MIXED, owner());
    expected.probes += 1;
    expected.failures += 1;
    expectStrategyFailed(failedProbe, 'SERVICE_UNAVAILABLE');
    const reopened = await strategyBreaker();
    expected.opened += 1;
    expect(reopened.state).toBe('OPEN');
    expect(Math.abs(openFor(reopened) - OPEN_MS)).toBeLessThanOrEqual(5);
    const refused = await post(MIXED, owner());
    expected.shortCircuits += 1;
    expectStrategyFailed(refused, 'DEPENDENCY_UNAVAILABLE');

    proxy.restore();
    await waitForState('HALF_OPEN');
    expected.halfOpened += 1;
    const closing = await post(MIXED, owner());
    expected.probes += 1;
    expect(closing.body.errors ?? []).toEqual([]);
    expected.closed += 1;
    await sleep(500);
    for (let i = 0; i < 3; i += 1) {
      const reply = await post(MIXED, owner());
      expect(reply.body.errors ?? []).toEqual([]);
      expect((reply.body.data as { brands: { nodes: unknown[] } }).brands.nodes).toHaveLength(brandIds.length);
    }
    expect((await strategyBreaker()).state).toBe('CLOSED');
  }, 60_000);

  it('circuitBreakers shows every service\'s breakers to OWNER and ADMIN, with what happened; /metrics agrees', async () => {
    // A breaker of a subgraph (this process runs the subgraphs): the subgraph's internal route reports it.
    const website = breakerFor({ service: 'brand', name: 'website:test', kind: 'WEBSITE', dependency: 'a test website' });
    await website.call(async () => 'ok');
    await expect(website.call(async () => Promise.reject(new Error('404')))).rejects.toThrow('404');

    const [asOwner, asAdmin] = [await circuits(), await circuits(as(team.tokens.ADMIN))];
    for (const services of [asOwner, asAdmin]) {
      expect(services.map((s) => s.service)).toEqual(['gateway', 'auth', 'brand', 'strategy', 'creation', 'campaigns']);
      expect(services.every((s) => s.reachable)).toBe(true);
    }
    const gateway = asOwner[0]!.breakers;
    // One breaker per subgraph the gateway has fetched from, each named after it.
    expect(gateway.map((b) => b.name)).toEqual(expect.arrayContaining(['subgraph:auth', 'subgraph:brand', 'subgraph:strategy']));
    for (const breaker of gateway) {
      expect(breaker).toMatchObject({ service: 'gateway', kind: 'SUBGRAPH', dependency: `the ${breaker.name.slice('subgraph:'.length)} service` });
      if (breaker.name === 'subgraph:strategy') continue;
      // Not overridden: the gateway's own settings for subgraphs.
      expect(breaker).toMatchObject({
        state: 'CLOSED',
        settings: { timeoutMs: 10_000, windowMs: 30_000, minimumCalls: 10, failureRate: 0.5, openMs: 15_000, halfOpenProbes: 1 },
        totals: { failures: 0, timeouts: 0, shortCircuits: 0, probes: 0 },
      });
    }
    const strategy = gateway.find((b) => b.name === 'subgraph:strategy')!;
    expect(strategy.state).toBe('CLOSED');
    expect(strategy.halfOpenAt).toBeNull();
    expect(strategy.totals).toMatchObject({
      timeouts: expected.timeouts,
      failures: expected.failures,
      shortCircuits: expected.shortCircuits,
      probes: expected.probes,
      ignored: 0,
    });
    expect(strategy.totals.successes).toBeGreaterThanOrEqual(2 + 3); // the two closing probes, the queries after
    expect(strategy.window.calls).toEqual(expect.any(Number));
    expect(asOwner.find((s) => s.service === 'brand')?.breakers).toEqual([
      expect.objectContaining({ service: 'brand', name: 'website:test', kind: 'WEBSITE', state: 'CLOSED', totals: expect.objectContaining({ successes: 1, failures: 1 }) }),
    ]);

    // Nobody else: the other roles, a partner's API key (even with every read scope it holds), an anonymous caller.
    for (const role of ['BRAND_MANAGER', 'CONTENT_CREATOR', 'VIEWER'] as const) {
      const reply = await post(CIRCUITS, as(team.tokens[role]));
      expect({ role, data: reply.body.data, codes: reply.body.errors?.map((e) => e.extensions?.code) }).toEqual({ role, data: null, codes: ['FORBIDDEN'] });
    }
    const byKey = await post(CIRCUITS, { 'x-api-key': apiKey });
    expect({ data: byKey.body.data, codes: byKey.body.errors?.map((e) => e.extensions?.code) }).toEqual({ data: null, codes: ['FORBIDDEN'] });
    expect((await post(CIRCUITS)).body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    // The gateway's /metrics: the same counts, by outcome, and the transitions the steps made.
    const samples = await gatewayMetrics();
    const labels = { service: 'gateway', breaker: 'subgraph:strategy' };
    expect(valueOf(samples, 'umt_circuit_breaker_state', labels)).toBe(0);
    expect({
      timeout: valueOf(samples, 'umt_circuit_breaker_calls_total', { ...labels, outcome: 'timeout' }),
      failure: valueOf(samples, 'umt_circuit_breaker_calls_total', { ...labels, outcome: 'failure' }),
      short_circuit: valueOf(samples, 'umt_circuit_breaker_calls_total', { ...labels, outcome: 'short_circuit' }),
      success: valueOf(samples, 'umt_circuit_breaker_calls_total', { ...labels, outcome: 'success' }),
    }).toEqual({ timeout: expected.timeouts, failure: expected.failures, short_circuit: expected.shortCircuits, success: strategy.totals.successes });
    expect({
      OPEN: valueOf(samples, 'umt_circuit_breaker_transitions_total', { ...labels, to: 'OPEN' }),
      HALF_OPEN: valueOf(samples, 'umt_circuit_breaker_transitions_total', { ...labels, to: 'HALF_OPEN' }),
      CLOSED: valueOf(samples, 'umt_circuit_breaker_transitions_total', { ...labels, to: 'CLOSED' }),
    }).toEqual({ OPEN: expected.opened, HALF_OPEN: expected.halfOpened, CLOSED: expected.closed });
    expect(valueOf(samples, 'umt_circuit_breaker_call_duration_seconds_count', { ...labels, outcome: 'timeout' })).toBe(expected.timeouts);
    expect(valueOf(samples, 'umt_circuit_breaker_state', { service: 'gateway', breaker: 'subgraph:brand' })).toBe(0);
  }, 30_000);
});
