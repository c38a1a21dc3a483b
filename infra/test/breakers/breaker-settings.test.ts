/**
 * How a breaker's settings come about: defaults, the caller's own, the BREAKER_* variables and BREAKER_OVERRIDES by
 * exact name or 'prefix*'; bad configuration is a ConfigError naming the variable. The last test shows an operator's
 * override changing what a caller meets (a shorter deadline against a hung dependency).
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { CircuitBreaker, DEFAULT_BREAKER_SETTINGS, readBreakerConfig, settingsFor, type BreakerConfig } from '../../src/breakers';
import { ConfigError } from '../../src/config';
import { DependencyServer, get, timed, waitUntil } from './support';

function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readBreakerConfig', () => {
  it('has the documented defaults and no overrides when nothing is set (empty values count as unset)', () => {
    expect(readBreakerConfig({})).toEqual({ defaults: DEFAULT_BREAKER_SETTINGS, overrides: {} });
    expect(readBreakerConfig({ BREAKER_TIMEOUT_MS: '', BREAKER_OVERRIDES: ' ' }).defaults).toEqual(DEFAULT_BREAKER_SETTINGS);
    expect(DEFAULT_BREAKER_SETTINGS).toEqual({ timeoutMs: 10_000, windowMs: 60_000, minimumCalls: 5, failureRate: 0.5, openMs: 30_000, halfOpenProbes: 1 });
  });

  it('takes the defaults from the BREAKER_* variables', () => {
    const config = readBreakerConfig({
      BREAKER_TIMEOUT_MS: '2500',
      BREAKER_WINDOW_MS: '30000',
      BREAKER_MINIMUM_CALLS: '10',
      BREAKER_FAILURE_RATE: '0.25',
      BREAKER_OPEN_MS: '5000',
      BREAKER_HALF_OPEN_PROBES: '2',
    });
    expect(config.defaults).toEqual({ timeoutMs: 2500, windowMs: 30_000, minimumCalls: 10, failureRate: 0.25, openMs: 5000, halfOpenProbes: 2 });
  });

  it.each([
    ['BREAKER_FAILURE_RATE', '1'],
    ['BREAKER_FAILURE_RATE', '0'],
    ['BREAKER_TIMEOUT_MS', 'soon'],
    ['BREAKER_TIMEOUT_MS', '0'],
    ['BREAKER_MINIMUM_CALLS', '2.5'],
    ['BREAKER_HALF_OPEN_PROBES', '-1'],
  ])('rejects %s=%s with a ConfigError naming it', (variable, value) => {
    const error = configError(() => readBreakerConfig({ [variable]: value }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${variable}: .*\\(got "${value}"\\)`));
    expect(error.message).toContain(variable);
  });

  it('reads BREAKER_OVERRIDES by exact name and by prefix', () => {
    const config = readBreakerConfig({
      BREAKER_TIMEOUT_MS: '8000',
      BREAKER_OVERRIDES: JSON.stringify({
        'platform:*': { timeoutMs: 5000, openMs: 60_000 },
        'platform:link*': { timeoutMs: 7000 },
        'platform:linkedin': { openMs: 1000, halfOpenProbes: 3 },
        'ai:openai': { failureRate: '0.3' }, // numbers as strings too, as elsewhere in the configuration
      }),
    });
    const defaults = { ...DEFAULT_BREAKER_SETTINGS, timeoutMs: 8000 };
    // Exact name over the longest prefix over the shorter one over the defaults.
    expect(settingsFor('platform:linkedin', config)).toEqual({ ...defaults, timeoutMs: 7000, openMs: 1000, halfOpenProbes: 3 });
    expect(settingsFor('platform:linkedin-ads', config)).toEqual({ ...defaults, timeoutMs: 7000, openMs: 60_000 });
    expect(settingsFor('platform:x', config)).toEqual({ ...defaults, timeoutMs: 5000, openMs: 60_000 });
    expect(settingsFor('ai:openai', config)).toEqual({ ...defaults, failureRate: 0.3 });
    expect(settingsFor('ai:openai-2', config)).toEqual(defaults); // an exact name is not a prefix
    expect(settingsFor('subgraph:brand', config)).toEqual(defaults);
  });

  it("lets the operator's overrides win over the caller's own settings, and those over the defaults", () => {
    const config: BreakerConfig = { defaults: DEFAULT_BREAKER_SETTINGS, overrides: { 'subgraph:*': { timeoutMs: 3000 } } };
    const own = { timeoutMs: 2000, openMs: 10_000 };
    expect(settingsFor('subgraph:brand', config, own)).toEqual({ ...DEFAULT_BREAKER_SETTINGS, timeoutMs: 3000, openMs: 10_000 });
    expect(settingsFor('ai:openai', config, own)).toEqual({ ...DEFAULT_BREAKER_SETTINGS, ...own });
  });

  it('keeps the value below for a setting the caller passes as undefined', () => {
    const config: BreakerConfig = { defaults: DEFAULT_BREAKER_SETTINGS, overrides: {} };
    const callerTimeout: number | undefined = undefined;
    expect(settingsFor('ai:openai', config, { timeoutMs: callerTimeout, openMs: 10_000 })).toEqual({ ...DEFAULT_BREAKER_SETTINGS, openMs: 10_000 });
  });

  it.each([
    ['not JSON', '{"platform:*": {timeoutMs: 5000}}', /^BREAKER_OVERRIDES: expected a JSON object/],
    ['not an object', '[1, 2]', /^BREAKER_OVERRIDES: /],
    ['null', 'null', /^BREAKER_OVERRIDES: /],
    ['an unknown setting', '{"platform:*": {"timeout": 5000}}', /^BREAKER_OVERRIDES: platform:\*: .*timeout/],
    ['a rate out of range', '{"ai:openai": {"failureRate": 1.5}}', /^BREAKER_OVERRIDES: ai:openai\.failureRate: /],
    ['a negative duration', '{"ai:openai": {"openMs": -1}}', /^BREAKER_OVERRIDES: ai:openai\.openMs: /],
    ['settings that are not an object', '{"ai:openai": 5000}', /^BREAKER_OVERRIDES: ai:openai: /],
  ])('rejects BREAKER_OVERRIDES that is %s with a ConfigError naming it', (_what, value, problem) => {
    const error = configError(() => readBreakerConfig({ BREAKER_OVERRIDES: value }));
    expect(error.message).toContain('BREAKER_OVERRIDES');
    expect(error.problems.length).toBeGreaterThanOrEqual(1);
    expect(error.problems[0]).toMatch(problem);
  });
});

describe('a breaker configured by the environment', () => {
  const saved = { ...process.env };
  let server: DependencyServer | undefined;
  const created: CircuitBreaker[] = [];

  afterEach(() => {
    for (const breaker of created.splice(0)) breaker.destroy();
    process.env = { ...saved };
  });
  afterAll(async () => {
    await server?.close();
  });

  // The process reads the variables once, at its first breaker: this must stay the first breaker of this file made
  // without an explicit `config`.
  it('uses BREAKER_* and BREAKER_OVERRIDES: a prefix override shortens the deadline against a hung dependency', async () => {
    process.env.BREAKER_TIMEOUT_MS = '5000';
    process.env.BREAKER_OVERRIDES = JSON.stringify({ 'platform:slow*': { timeoutMs: 200 }, 'platform:slowest': { openMs: 1234 } });
    const make = (name: string) => {
      const breaker = new CircuitBreaker({ service: 'breaker-settings-test', name, kind: 'PLATFORM', dependency: 'the Slow API', settings: { minimumCalls: 2 } });
      created.push(breaker);
      return breaker;
    };
    const slow = make('platform:slowpoke');
    const slowest = make('platform:slowest');
    const other = make('ai:other');
    expect(slow.settings).toEqual({ ...DEFAULT_BREAKER_SETTINGS, minimumCalls: 2, timeoutMs: 200 });
    expect(slowest.settings).toEqual({ ...DEFAULT_BREAKER_SETTINGS, minimumCalls: 2, timeoutMs: 200, openMs: 1234 });
    expect(other.settings).toEqual({ ...DEFAULT_BREAKER_SETTINGS, minimumCalls: 2, timeoutMs: 5000 });
    expect(other.snapshot().settings).toEqual(other.settings);

    server = await DependencyServer.start();
    server.mode = 'hang';
    const { ms, error } = await timed(() => slow.call(get(server?.url ?? '')));
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', reason: 'timeout', dependency: 'the Slow API' });
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(ms).toBeLessThan(700);
    await waitUntil(() => server?.aborted === 1, 1000, 'the request aborted');
  });
});
