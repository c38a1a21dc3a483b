/**
 * The circuit breaker's states as a caller meets them, against a real HTTP dependency on 127.0.0.1 called with
 * fetch and the breaker's AbortSignal: what reaches the dependency, how fast refusals come, what the errors say,
 * when it opens, half-opens and closes, and what the metrics say about it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CircuitBreaker, type BreakerOptions, type BreakerSettings, type DependencyUnavailableError } from '../../src/breakers';
import { metricsRegistry } from '../../src/metrics';
import {
  DependencyServer,
  expectUnavailable,
  get,
  HttpError,
  NO_ENV_CONFIG,
  serverErrorsOnly,
  seriesValue,
  sleep,
  timed,
  waitUntil,
} from './support';

const SERVICE = 'breaker-states-test';
const DEPENDENCY = 'the Test API';
/** A refusal takes well under a millisecond; this bound (a tenth of the 1 s timeout) only allows for a busy machine. */
const FAST_MS = 100;

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
});

interface LogLine {
  level: 'info' | 'warn';
  fields: unknown;
  message: string | undefined;
}

function newBreaker(settings: Partial<BreakerSettings> = {}, options: Partial<BreakerOptions> = {}): CircuitBreaker {
  sequence += 1;
  const breaker = new CircuitBreaker({
    service: SERVICE,
    name: `platform:test-${sequence}`,
    kind: 'PLATFORM',
    dependency: DEPENDENCY,
    settings: { timeoutMs: 1000, windowMs: 10_000, minimumCalls: 3, failureRate: 0.5, openMs: 400, halfOpenProbes: 1, ...settings },
    config: NO_ENV_CONFIG,
    isFailure: serverErrorsOnly,
    ...options,
  });
  created.push(breaker);
  return breaker;
}

/** Opens `breaker` with `minimumCalls` failing calls; returns when it opened (performance.now()). */
async function openIt(breaker: CircuitBreaker): Promise<number> {
  const mode = server.mode;
  server.mode = 'fail';
  for (let i = 0; i < breaker.settings.minimumCalls; i += 1) {
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
  }
  expect(breaker.state).toBe('OPEN');
  server.mode = mode;
  return performance.now();
}

async function untilHalfOpen(breaker: CircuitBreaker): Promise<void> {
  await waitUntil(() => breaker.state === 'HALF_OPEN', breaker.settings.openMs + 1500, 'HALF_OPEN');
}

async function metric(name: string, breaker: CircuitBreaker, labels: Record<string, string> = {}): Promise<number | undefined> {
  return seriesValue(await metricsRegistry.metrics(), name, { service: SERVICE, breaker: breaker.name, ...labels });
}
const calls = (breaker: CircuitBreaker, outcome: string) => metric('umt_circuit_breaker_calls_total', breaker, { outcome });
const transitions = (breaker: CircuitBreaker, to: string) => metric('umt_circuit_breaker_transitions_total', breaker, { to });
const stateGauge = (breaker: CircuitBreaker) => metric('umt_circuit_breaker_state', breaker);

describe('CLOSED', () => {
  it('passes calls through to the dependency and returns its answers', async () => {
    const breaker = newBreaker();
    for (let i = 0; i < 5; i += 1) await expect(breaker.call(get(`${server.url}/item/${i}`))).resolves.toBe(`ok /item/${i}`);
    expect(server.received).toEqual(['/item/0', '/item/1', '/item/2', '/item/3', '/item/4']);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.totals).toMatchObject({ successes: 5, failures: 0, shortCircuits: 0 });
    expect(await stateGauge(breaker)).toBe(0);
    expect(await calls(breaker, 'success')).toBe(5);
  });

  it('lets through errors that are not failures (4xx) without opening, and they do not count toward minimumCalls', async () => {
    const breaker = newBreaker();
    server.mode = 'bad-request';
    for (let i = 0; i < 6; i += 1) {
      const error = await breaker.call(get(server.url)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError); // the caller's own error, untouched
      expect(error).toMatchObject({ status: 400 });
    }
    expect(breaker.state).toBe('CLOSED');
    expect(server.requests).toBe(6);
    expect(breaker.totals).toMatchObject({ ignored: 6, failures: 0 });
    expect(await calls(breaker, 'ignored')).toBe(6);

    // Two real failures after six ignored errors: the window holds 2 calls, fewer than minimumCalls (3).
    server.mode = 'fail';
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('OPEN');
  });

  it('counts successes in the rate: a failure share of exactly failureRate keeps it closed, more opens it', async () => {
    const breaker = newBreaker({ minimumCalls: 3, failureRate: 0.5 });
    await breaker.call(get(server.url));
    await breaker.call(get(server.url));
    server.mode = 'fail';
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError); // 1 of 3 failed
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError); // 2 of 4: not more than 0.5
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError); // 3 of 5
    expect(breaker.state).toBe('OPEN');
  });

  it('holds to "more than failureRate" for rates that are not exact in floating point (0.7)', async () => {
    const breaker = newBreaker({ minimumCalls: 10, failureRate: 0.7 });
    for (let i = 0; i < 3; i += 1) await breaker.call(get(server.url));
    server.mode = 'fail';
    for (let i = 0; i < 7; i += 1) await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    expect(breaker.state).toBe('CLOSED'); // 7 of 10 is exactly 0.7, not more
    await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
    expect(breaker.state).toBe('OPEN'); // 8 of 11
  });
});

describe('opening', () => {
  it('opens exactly on the third failure with minimumCalls 3 and failureRate 0.5, and says so', async () => {
    const logs: LogLine[] = [];
    const logger = {
      info: (fields: unknown, message?: string) => void logs.push({ level: 'info', fields, message }),
      warn: (fields: unknown, message?: string) => void logs.push({ level: 'warn', fields, message }),
    };
    const breaker = newBreaker({}, { logger });
    server.mode = 'fail';
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('CLOSED');
    expect(await transitions(breaker, 'OPEN')).toBeUndefined();
    // The third call reached the dependency and fails with its own error; the breaker is open right after it.
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('OPEN');
    expect(server.requests).toBe(3);
    expect(breaker.totals.failures).toBe(3);
    expect(await transitions(breaker, 'OPEN')).toBe(1);
    expect(await stateGauge(breaker)).toBe(2);
    expect(await calls(breaker, 'failure')).toBe(3);
    expect(logs).toEqual([
      { level: 'warn', message: 'circuit breaker opened', fields: expect.objectContaining({ breaker: breaker.name, from: 'CLOSED', to: 'OPEN' }) },
    ]);
  });
});

describe('OPEN', () => {
  it('refuses calls at once, without reaching the dependency, with an error that names it and when to retry', async () => {
    const breaker = newBreaker({ openMs: 1500, timeoutMs: 1000 });
    const openedAt = await openIt(breaker);
    server.mode = 'ok'; // the dependency is back, but the breaker cannot know before openMs
    for (let i = 0; i < 5; i += 1) {
      const { ms, error } = await timed(() => breaker.call(get(server.url)));
      expect(ms).toBeLessThan(FAST_MS);
      expectUnavailable(error, 'open', DEPENDENCY);
      const { retryAfterSeconds, breaker: name } = error as DependencyUnavailableError;
      expect(name).toBe(breaker.name);
      // ceil of what is left of the 1.5 s: 2 right after opening (1 on a very slow machine).
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds).toBeLessThanOrEqual(2);
      expect((error as Error).message).toMatch(/the Test API is unavailable: its circuit breaker is open .* try again in \d s/);
      const graphql = (error as DependencyUnavailableError).toGraphQLError(['post']);
      expect(graphql.extensions).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: DEPENDENCY, reason: 'open' });
    }
    expect(server.requests).toBe(3); // only the three that opened it
    expect(breaker.state).toBe('OPEN');
    expect(breaker.totals.shortCircuits).toBe(5);
    expect(await calls(breaker, 'short_circuit')).toBe(5);
    const halfOpenAt = breaker.snapshot().halfOpenAt;
    expect(halfOpenAt).toBeInstanceOf(Date);
    expect(Math.abs((halfOpenAt?.getTime() ?? 0) - (Date.now() - (performance.now() - openedAt) + 1500))).toBeLessThan(100);
  });

  it('answers with the fallback instead, still without reaching the dependency', async () => {
    const breaker = newBreaker({ openMs: 1500 });
    await openIt(breaker);
    const seen: DependencyUnavailableError[] = [];
    const { ms, value } = await timed(() =>
      breaker.call(get(server.url), {
        fallback: (error) => {
          seen.push(error);
          return 'cached answer';
        },
      }),
    );
    expect(value).toBe('cached answer');
    expect(ms).toBeLessThan(FAST_MS);
    await expect(breaker.call(get(server.url), { fallback: async () => 'async cached answer' })).resolves.toBe('async cached answer');
    expect(seen).toHaveLength(1);
    expectUnavailable(seen[0], 'open', DEPENDENCY);
    expect(server.requests).toBe(3);
    expect(breaker.totals.shortCircuits).toBe(2);
    expect(await calls(breaker, 'short_circuit')).toBe(2);
  });

  it('does not use the fallback while closed: the dependency answers, or its error comes through', async () => {
    const breaker = newBreaker();
    const fallback = () => 'cached answer';
    await expect(breaker.call(get(server.url), { fallback })).resolves.toBe('ok /');
    server.mode = 'fail';
    await expect(breaker.call(get(server.url), { fallback })).rejects.toBeInstanceOf(HttpError);
  });
});

describe('timeouts', () => {
  it('rejects a call to a hung dependency near timeoutMs, and the request itself is aborted', async () => {
    const breaker = newBreaker({ timeoutMs: 300, minimumCalls: 5 });
    server.mode = 'hang';
    const { ms, error } = await timed(() => breaker.call(get(server.url)));
    expectUnavailable(error, 'timeout', DEPENDENCY);
    expect((error as Error).message).toBe('the Test API did not answer in time; try again in a moment.');
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(800);
    // The signal reached fetch: the dependency sees the connection closed before it answered.
    await waitUntil(() => server.aborted === 1, 1000, 'the server to see the request aborted');
    expect(server.requests).toBe(1);
    expect(server.answered).toBe(0);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.totals.timeouts).toBe(1);
    expect(await calls(breaker, 'timeout')).toBe(1);
  });

  it('counts timeouts toward opening, like failures', async () => {
    const breaker = newBreaker({ timeoutMs: 300, minimumCalls: 2 });
    server.mode = 'hang';
    const results = await Promise.allSettled([breaker.call(get(server.url)), breaker.call(get(server.url))]);
    for (const result of results) expectUnavailable(result.status === 'rejected' ? result.reason : undefined, 'timeout', DEPENDENCY);
    expect(breaker.state).toBe('OPEN');
    await waitUntil(() => server.aborted === 2, 1000, 'both requests aborted');
  });

  it('lets a slow answer within the deadline succeed', async () => {
    const breaker = newBreaker({ timeoutMs: 1000 });
    server.mode = 'slow';
    server.slowMs = 150;
    const { ms, value } = await timed(() => breaker.call(get(server.url)));
    expect(value).toBe('ok /');
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(server.aborted).toBe(0);
    expect(breaker.totals.successes).toBe(1);
  });
});

describe('HALF_OPEN', () => {
  it('comes openMs after opening, without any call', async () => {
    const breaker = newBreaker({ openMs: 400 });
    const openedAt = await openIt(breaker);
    await sleep(200);
    expect(breaker.state).toBe('OPEN');
    await untilHalfOpen(breaker);
    expect(performance.now() - openedAt).toBeGreaterThanOrEqual(380);
    expect(server.requests).toBe(3); // nothing was called to get there
    expect(breaker.snapshot().halfOpenAt).toBeNull();
    expect(await stateGauge(breaker)).toBe(1);
    expect(await transitions(breaker, 'HALF_OPEN')).toBe(1);
  });

  it('closes on a successful probe at once, and calls pass normally right after and later', async () => {
    const breaker = newBreaker({ openMs: 300 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    await expect(breaker.call(get(`${server.url}/probe`))).resolves.toBe('ok /probe');
    expect(breaker.state).toBe('CLOSED');
    expect(server.received.slice(3)).toEqual(['/probe']);
    expect(breaker.totals.probes).toBe(1);
    expect(await transitions(breaker, 'CLOSED')).toBe(1);
    expect(await stateGauge(breaker)).toBe(0);

    // Right after (brakes underneath closes within ~50 ms): calls go through all the same.
    for (let i = 0; i < 4; i += 1) await expect(breaker.call(get(`${server.url}/after/${i}`))).resolves.toBe(`ok /after/${i}`);
    expect(server.requests).toBe(8);
    expect(breaker.totals.probes).toBe(1); // only the probe was one
    expect(breaker.totals.shortCircuits).toBe(0);

    // Later, with brakes closed and its window emptied, brakes counts calls again: failures open it again. Some of the
    // four calls above may be in its new window (brakes closed at some point among them): with s of them there,
    // max(3 - s, s + 1) failures open it, from 2 to 5. (That the window starts afresh: breaker-stats.test.ts.)
    await sleep(150);
    server.mode = 'fail';
    let failures = 0;
    while (breaker.state === 'CLOSED' && failures < 10) {
      await expect(breaker.call(get(server.url))).rejects.toBeInstanceOf(HttpError);
      failures += 1;
    }
    expect(breaker.state).toBe('OPEN');
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(failures).toBeLessThanOrEqual(5);
    expect(await transitions(breaker, 'OPEN')).toBe(2);
  });

  it('re-opens on a failed probe for a fresh openMs, refusing calls meanwhile', async () => {
    const breaker = newBreaker({ openMs: 400 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    server.mode = 'fail';
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 500 });
    const reopenedAt = performance.now();
    const reopenedWallClock = Date.now();
    expect(breaker.state).toBe('OPEN');
    expect(server.requests).toBe(4); // the probe reached the dependency
    const halfOpenAt = breaker.snapshot().halfOpenAt?.getTime() ?? 0;
    expect(halfOpenAt).toBeGreaterThanOrEqual(reopenedWallClock + 400 - 50);
    expect(halfOpenAt).toBeLessThanOrEqual(reopenedWallClock + 400 + 5);

    server.mode = 'ok';
    const { ms, error } = await timed(() => breaker.call(get(server.url)));
    expect(ms).toBeLessThan(FAST_MS);
    expectUnavailable(error, 'open', DEPENDENCY);
    expect(server.requests).toBe(4);

    await untilHalfOpen(breaker);
    expect(performance.now() - reopenedAt).toBeGreaterThanOrEqual(380);
    await expect(breaker.call(get(server.url))).resolves.toBe('ok /');
    expect(breaker.state).toBe('CLOSED');
    expect(await transitions(breaker, 'OPEN')).toBe(2);
    expect(await transitions(breaker, 'HALF_OPEN')).toBe(2);
    expect(await transitions(breaker, 'CLOSED')).toBe(1);
    expect(breaker.totals).toMatchObject({ probes: 2, failures: 4, successes: 1, shortCircuits: 1 });
  });

  it('re-opens on a probe that times out, and aborts the probe request', async () => {
    const breaker = newBreaker({ openMs: 300, timeoutMs: 300 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    server.mode = 'hang';
    const { ms, error } = await timed(() => breaker.call(get(server.url)));
    expectUnavailable(error, 'timeout', DEPENDENCY);
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(800);
    expect(breaker.state).toBe('OPEN');
    await waitUntil(() => server.aborted === 1, 1000, 'the server to see the probe aborted');
    expect(breaker.totals.timeouts).toBe(1);
  });

  it('keeps a 4xx probe from deciding: still HALF_OPEN, the next call probes', async () => {
    const breaker = newBreaker({ openMs: 300 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    server.mode = 'bad-request';
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ status: 400 });
    expect(breaker.state).toBe('HALF_OPEN');
    server.mode = 'ok';
    await expect(breaker.call(get(server.url))).resolves.toBe('ok /');
    expect(breaker.state).toBe('CLOSED');
  });

  it('with halfOpenProbes 1, lets one of several concurrent calls through and refuses the others at once', async () => {
    const breaker = newBreaker({ openMs: 300, halfOpenProbes: 1 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    server.mode = 'slow';
    server.slowMs = 150;
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => timed(() => breaker.call(get(`${server.url}/concurrent/${i}`)))));
    const passed = results.filter((r) => r.error === undefined);
    const refused = results.filter((r) => r.error !== undefined);
    expect(passed).toHaveLength(1);
    expect(passed[0]?.value).toBe('ok /concurrent/0');
    expect(refused).toHaveLength(4);
    for (const r of refused) {
      expectUnavailable(r.error, 'open', DEPENDENCY);
      expect(r.ms).toBeLessThan(FAST_MS);
    }
    expect(server.received.slice(3)).toEqual(['/concurrent/0']);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.totals).toMatchObject({ probes: 1, shortCircuits: 4 });
  });

  it('with halfOpenProbes 2, lets two concurrent calls through', async () => {
    const breaker = newBreaker({ openMs: 300, halfOpenProbes: 2 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    server.mode = 'slow';
    server.slowMs = 150;
    const results = await Promise.allSettled([0, 1, 2, 3].map((i) => breaker.call(get(`${server.url}/concurrent/${i}`))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(server.requests).toBe(5);
    expect(breaker.state).toBe('CLOSED');
  });

  it('lets the first probe outcome decide: a slower probe that succeeds does not close a re-opened breaker', async () => {
    const breaker = newBreaker({ openMs: 400, halfOpenProbes: 2 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    const [failing, slow] = await Promise.allSettled([
      breaker.call(get(`${server.url}/fails?status=500`)),
      breaker.call(get(`${server.url}/slow?delay=200`)),
    ]);
    expect(failing.status).toBe('rejected');
    expect(slow).toEqual({ status: 'fulfilled', value: 'ok /slow' });
    expect(breaker.state).toBe('OPEN'); // re-opened by the failing probe; the late success changes nothing
    await expect(breaker.call(get(server.url))).rejects.toMatchObject({ reason: 'open' });
    expect(await transitions(breaker, 'CLOSED')).toBeUndefined();
  });

  it('lets the first probe outcome decide: a slower probe that fails does not re-open a closed breaker', async () => {
    const breaker = newBreaker({ openMs: 300, halfOpenProbes: 2 });
    await openIt(breaker);
    await untilHalfOpen(breaker);
    const [ok, slowFailure] = await Promise.allSettled([
      breaker.call(get(`${server.url}/ok`)),
      breaker.call(get(`${server.url}/slow?status=500&delay=200`)),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: 'ok /ok' });
    expect(slowFailure.status).toBe('rejected');
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.call(get(server.url))).resolves.toBe('ok /');
  });
});

describe('several breakers', () => {
  it('are independent: one open, the other passes calls to its own dependency', async () => {
    const other = await DependencyServer.start();
    try {
      const broken = newBreaker({ openMs: 2000 });
      const healthy = newBreaker({ openMs: 2000 }, { dependency: 'the Other API' });
      await openIt(broken);
      for (let i = 0; i < 3; i += 1) await expect(healthy.call(get(other.url))).resolves.toBe('ok /');
      await expect(broken.call(get(server.url))).rejects.toMatchObject({ reason: 'open', dependency: DEPENDENCY });
      expect(broken.state).toBe('OPEN');
      expect(healthy.state).toBe('CLOSED');
      expect(other.requests).toBe(3);
      expect(server.requests).toBe(3);
      expect(healthy.totals).toMatchObject({ successes: 3, failures: 0, shortCircuits: 0 });
      expect(await stateGauge(broken)).toBe(2);
      expect(await stateGauge(healthy)).toBe(0);
      // And a failing call on the healthy one does not open it: its window has 1 failure in 4.
      other.mode = 'fail';
      await expect(healthy.call(get(other.url))).rejects.toBeInstanceOf(HttpError);
      expect(healthy.state).toBe('CLOSED');
    } finally {
      await other.close();
    }
  });
});

describe('destroy', () => {
  it('stops every timer the breaker and brakes started, the open circuit\'s health-check poll included', async () => {
    const intervals = jest.spyOn(global, 'setInterval');
    const cleared = jest.spyOn(global, 'clearInterval');
    try {
      const breaker = newBreaker({ openMs: 5000 });
      await openIt(breaker);
      const started = intervals.mock.results.map((r) => r.value);
      expect(started.length).toBeGreaterThanOrEqual(3); // buckets, snapshots, the health-check poll
      breaker.destroy();
      const stopped = new Set(cleared.mock.calls.map(([handle]) => handle));
      const left = started.filter((handle) => !stopped.has(handle as NodeJS.Timeout));
      expect(left.length).toBe(0);
    } finally {
      intervals.mockRestore();
      cleared.mockRestore();
    }
  });
});
