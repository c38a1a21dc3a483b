/**
 * What monitoring reads of a circuit breaker: snapshot() (totals since start, the rolling window brakes sums about
 * once a second), the Prometheus series, and the registry that shares breakers per service and name.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  breakerFor,
  breakerSnapshots,
  CircuitBreaker,
  releaseBreakers,
  type BreakerOptions,
  type BreakerSnapshot,
  type BreakerSettings,
} from '../../src/breakers';
import { metricsRegistry } from '../../src/metrics';
import { DependencyServer, get, HttpError, NO_ENV_CONFIG, serverErrorsOnly, seriesValue, sleep, waitUntil } from './support';

const SERVICE = 'breaker-stats-test';
const DEPENDENCY = 'the Stats API';

let server: DependencyServer;
const created: CircuitBreaker[] = [];
let sequence = 0;

beforeAll(async () => {
  server = await DependencyServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());
afterEach(() => {
  for (const breaker of created.splice(0)) breaker.destroy();
  for (const service of [`${SERVICE}-a`, `${SERVICE}-b`]) releaseBreakers(service);
});

const SETTINGS: BreakerSettings = { timeoutMs: 300, windowMs: 10_000, minimumCalls: 3, failureRate: 0.5, openMs: 5000, halfOpenProbes: 1 };

function options(settings: Partial<BreakerSettings> = {}, service = SERVICE): BreakerOptions {
  sequence += 1;
  return {
    service,
    name: `ai:stats-${sequence}`,
    kind: 'AI',
    dependency: DEPENDENCY,
    settings: { ...SETTINGS, ...settings },
    config: NO_ENV_CONFIG,
    isFailure: serverErrorsOnly,
  };
}

function newBreaker(settings: Partial<BreakerSettings> = {}): CircuitBreaker {
  const breaker = new CircuitBreaker(options(settings));
  created.push(breaker);
  return breaker;
}

/** Waits for a snapshot of brakes' window taken after `after` (brakes takes one about every second). */
async function windowAfter(breaker: CircuitBreaker, after: Date): Promise<BreakerSnapshot> {
  await waitUntil(() => (breaker.snapshot().window.at?.getTime() ?? 0) > after.getTime(), 2500, 'a window snapshot');
  return breaker.snapshot();
}

describe('snapshot() and the metrics', () => {
  it('report exactly what happened: totals, the window with its latencies, and the Prometheus series', async () => {
    // A generous timeout: under load a 200 ms call must not reach it, or the counts below would change.
    const timeoutMs = 1000;
    const breaker = newBreaker({ timeoutMs });
    const url = (query: string) => `${server.url}/?${query}`;
    await expect(breaker.call(get(url('delay=40')))).resolves.toBe('ok /');
    await expect(breaker.call(get(url('delay=40')))).resolves.toBe('ok /');
    await expect(breaker.call(get(url('status=400')))).rejects.toBeInstanceOf(HttpError); // ignored
    await expect(breaker.call(get(url('hang=1')))).rejects.toMatchObject({ reason: 'timeout' }); // ~1 s
    await expect(breaker.call(get(url('status=500&delay=40')))).rejects.toBeInstanceOf(HttpError); // 2 bad of 4
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.call(get(url('status=500&delay=200')))).rejects.toBeInstanceOf(HttpError); // 3 bad of 5
    expect(breaker.state).toBe('OPEN');
    const openedAt = Date.now();
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ reason: 'open' });
    await expect(breaker.call(get(server.url), { fallback: () => 'fallback' })).resolves.toBe('fallback');
    expect(server.requests).toBe(6);

    const snapshot = breaker.snapshot();
    expect(snapshot).toMatchObject({
      service: SERVICE,
      name: breaker.name,
      kind: 'AI',
      dependency: DEPENDENCY,
      state: 'OPEN',
      settings: { ...SETTINGS, timeoutMs },
      totals: { successes: 2, failures: 2, timeouts: 1, shortCircuits: 2, ignored: 1, probes: 0 },
    });
    expect(Math.abs(snapshot.stateChangedAt.getTime() - openedAt)).toBeLessThan(100);
    expect(Math.abs((snapshot.halfOpenAt?.getTime() ?? 0) - (openedAt + SETTINGS.openMs))).toBeLessThan(100);

    // brakes sums its window about every second: the calls it counted (ignored errors are not among them) and their
    // latencies, sorted 40, 40, 40, 200, 1000 ms.
    const { window } = await windowAfter(breaker, new Date());
    expect(window).toMatchObject({ calls: 5, successes: 2, failures: 2, timeouts: 1, shortCircuits: 2 });
    // Relations rather than ceilings: a busy machine stretches every call, not their order.
    expect(window.latencyP50Ms).toBeGreaterThanOrEqual(38); // the third of five: a 40 ms call
    expect(window.latencyP95Ms).toBeGreaterThanOrEqual(timeoutMs - 10); // the largest: the timeout
    expect(window.latencyP95Ms).toBeLessThan(timeoutMs + 1500);
    expect(window.latencyP50Ms).toBeLessThanOrEqual(window.latencyP95Ms);
    expect(window.latencyP99Ms).toBe(window.latencyP95Ms);
    expect(window.latencyMeanMs).toBeGreaterThanOrEqual((4 * 38 + timeoutMs - 10) / 5); // four of at least 38 ms, one timeout
    expect(window.latencyMeanMs).toBeLessThanOrEqual(window.latencyP95Ms);

    const text = await metricsRegistry.metrics();
    const labels = { service: SERVICE, breaker: breaker.name };
    expect(seriesValue(text, 'umt_circuit_breaker_state', labels)).toBe(2);
    const outcomes = { success: 2, failure: 2, timeout: 1, ignored: 1, short_circuit: 2 };
    for (const [outcome, count] of Object.entries(outcomes)) {
      expect([outcome, seriesValue(text, 'umt_circuit_breaker_calls_total', { ...labels, outcome })]).toEqual([outcome, count]);
    }
    expect(seriesValue(text, 'umt_circuit_breaker_transitions_total', { ...labels, to: 'OPEN' })).toBe(1);
    expect(seriesValue(text, 'umt_circuit_breaker_transitions_total', { ...labels, to: 'CLOSED' })).toBeUndefined();
    const duration = 'umt_circuit_breaker_call_duration_seconds';
    expect(seriesValue(text, `${duration}_count`, { ...labels, outcome: 'success' })).toBe(2);
    expect(seriesValue(text, `${duration}_count`, { ...labels, outcome: 'timeout' })).toBe(1);
    expect(seriesValue(text, `${duration}_sum`, { ...labels, outcome: 'timeout' })).toBeGreaterThanOrEqual((timeoutMs - 10) / 1000);
    expect(seriesValue(text, `${duration}_count`, { ...labels, outcome: 'short_circuit' })).toBeUndefined(); // not timed
  });

  it('start afresh in the window after recovering, while the totals keep counting', async () => {
    const breaker = newBreaker({ openMs: 300 });
    server.mode = 'fail';
    for (let i = 0; i < 3; i += 1) await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    await waitUntil(() => breaker.state === 'HALF_OPEN', 2000, 'HALF_OPEN');
    server.mode = 'ok';
    await breaker.call(get(server.url));
    expect(breaker.state).toBe('CLOSED');
    await sleep(150); // brakes has closed and emptied its window
    await breaker.call(get(server.url));
    await breaker.call(get(server.url));
    const { window, totals, state } = await windowAfter(breaker, new Date());
    expect(state).toBe('CLOSED');
    expect(window).toMatchObject({ calls: 2, successes: 2, failures: 0, shortCircuits: 0 });
    expect(totals).toMatchObject({ successes: 3, failures: 3, probes: 1 });
    const text = await metricsRegistry.metrics();
    const labels = { service: SERVICE, breaker: breaker.name };
    expect(seriesValue(text, 'umt_circuit_breaker_state', labels)).toBe(0);
    for (const to of ['OPEN', 'HALF_OPEN', 'CLOSED']) {
      expect([to, seriesValue(text, 'umt_circuit_breaker_transitions_total', { ...labels, to })]).toEqual([to, 1]);
    }
  });
});

describe('the rolling window', () => {
  it('forgets failures older than windowMs', async () => {
    const breaker = newBreaker({ windowMs: 1000 });
    server.mode = 'fail';
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    await sleep(1300);
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    expect(breaker.state).toBe('CLOSED'); // the window holds one call
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    expect(breaker.state).toBe('OPEN');
  });
});

describe('breakerFor', () => {
  it('shares one breaker per service and name: opened by one caller, it refuses the other', async () => {
    const first = options({}, `${SERVICE}-a`);
    const a1 = breakerFor(first);
    const a2 = breakerFor({ ...first });
    const b = breakerFor({ ...first, service: `${SERVICE}-b` });
    expect(a2).toBe(a1);
    expect(b).not.toBe(a1);

    server.mode = 'fail';
    for (let i = 0; i < 3; i += 1) await expect(a1.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    server.mode = 'ok';
    await expect(a2.call(get(server.url))).rejects.toMatchObject({ reason: 'open' });
    await expect(b.call(get(server.url))).resolves.toBe('ok /');
    expect(server.requests).toBe(4);

    const other = breakerFor({ ...options({}, `${SERVICE}-a`), name: 'aaa:first-by-name' });
    expect(breakerSnapshots(`${SERVICE}-a`).map((s) => [s.name, s.state])).toEqual([
      ['aaa:first-by-name', 'CLOSED'],
      [first.name, 'OPEN'],
    ]);
    expect(breakerSnapshots(`${SERVICE}-b`).map((s) => s.state)).toEqual(['CLOSED']);

    // Released at shutdown: a service started again gets new, closed breakers; the other service keeps its own.
    releaseBreakers(`${SERVICE}-a`);
    expect(breakerSnapshots(`${SERVICE}-a`)).toEqual([]);
    const again = breakerFor(first);
    expect(again).not.toBe(a1);
    expect(again).not.toBe(other);
    expect(again.state).toBe('CLOSED');
    await expect(again.call(get(server.url))).resolves.toBe('ok /');
    expect(breakerFor({ ...first, service: `${SERVICE}-b` })).toBe(b);
    const text = await metricsRegistry.metrics();
    expect(seriesValue(text, 'umt_circuit_breaker_state', { service: `${SERVICE}-a`, breaker: first.name })).toBe(0);
  });
});
