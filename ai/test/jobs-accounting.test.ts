/**
 * The accounting of generation jobs, without a model: what a call costs (micro-USD, rounded up), the UTC months spending
 * is summed over, where spending stands against a budget, the AI_* job settings and their errors, the key of the cache
 * of identical requests and the cache's failures, and the budgets against a database (PGlite in memory, the AI
 * tables migrated as creation migrates them).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError, migrateToLatest, openDatabaseHost, type Database, type DatabaseHost } from '@umt/infra';
import { Keyv } from 'keyv';
import {
  aiMigrations,
  BudgetExceededError,
  Budgets,
  budgetState,
  callCost,
  monthOf,
  monthRange,
  readAiJobSettings,
  ResponseCache,
  type AiTables,
  type CacheKeyParts,
  type CachedAnswer,
} from '../src';

describe('callCost', () => {
  const mini = { input: 0.15, output: 0.6 };

  it('is input × input price + output × output price, in micro-USD (a price per million tokens is micro-USD per token)', () => {
    expect(callCost({ inputTokens: 1000, outputTokens: 1000 }, mini)).toEqual({ costMicroUsd: 750, priced: true });
    expect(callCost({ inputTokens: 2_000_000, outputTokens: 0 }, { input: 2.5, output: 10 })).toEqual({ costMicroUsd: 5_000_000, priced: true });
    expect(callCost({ inputTokens: 0, outputTokens: 300 }, { input: 2.5, output: 10 })).toEqual({ costMicroUsd: 3000, priced: true });
  });

  it('rounds a fraction of a micro-dollar up, never down', () => {
    expect(callCost({ inputTokens: 1, outputTokens: 0 }, mini).costMicroUsd).toBe(1); // 0.15
    expect(callCost({ inputTokens: 7, outputTokens: 0 }, mini).costMicroUsd).toBe(2); // 1.05
    expect(callCost({ inputTokens: 0, outputTokens: 7 }, mini).costMicroUsd).toBe(5); // 4.2
    expect(callCost({ inputTokens: 3, outputTokens: 0 }, { input: 0.1, output: 0 }).costMicroUsd).toBe(1); // 0.3
    expect(callCost({ inputTokens: 3, outputTokens: 0 }, { input: 0.7, output: 0 }).costMicroUsd).toBe(3); // 2.1
    expect(callCost({ inputTokens: 1_234_567, outputTokens: 98_765 }, { input: 2.5, output: 10 }).costMicroUsd).toBe(4_074_068); // 4 074 067.5
    expect(callCost({ inputTokens: 1, outputTokens: 0 }, { input: 0.000001, output: 0 }).costMicroUsd).toBe(1); // a millionth
  });

  it('does not round up a whole amount that floating point computes a hair above it', () => {
    // 100 × 0.07 is 7.000000000000001 in binary floating point; 10 × 0.1 + 0 is exact, 1000 × 0.15 too.
    expect(callCost({ inputTokens: 100, outputTokens: 0 }, { input: 0.07, output: 0 }).costMicroUsd).toBe(7);
    expect(callCost({ inputTokens: 1400, outputTokens: 0 }, { input: 0.07, output: 0 }).costMicroUsd).toBe(98);
    expect(callCost({ inputTokens: 10, outputTokens: 0 }, { input: 0.1, output: 0 }).costMicroUsd).toBe(1);
  });

  it('matches exact arithmetic for prices with up to six decimals and calls up to two million tokens', () => {
    // Exact: prices as whole millionths of a dollar per million tokens, summed as BigInt, then rounded up.
    const exact = (inputTokens: number, outputTokens: number, input: number, output: number) => {
      const total = BigInt(inputTokens) * BigInt(input) + BigInt(outputTokens) * BigInt(output);
      return Number(total / 1_000_000n + (total % 1_000_000n === 0n ? 0n : 1n));
    };
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const prices = [1, 35_000, 70_000, 75_000, 100_000, 150_000, 600_000, 700_000, 1_100_000, 2_500_000, 3_000_000, 10_000_000, 15_000_000, 75_000_000, 123_457];
    const mismatches: unknown[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const [input, output] = [prices[random(prices.length)]!, prices[random(prices.length)]!];
      const [inputTokens, outputTokens] = [random(2_000_000), random(100_000)];
      const got = callCost({ inputTokens, outputTokens }, { input: input / 1e6, output: output / 1e6 }).costMicroUsd;
      const want = exact(inputTokens, outputTokens, input, output);
      if (got !== want) mismatches.push({ inputTokens, outputTokens, input: input / 1e6, output: output / 1e6, got, want });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('costs 0 and says unpriced for a model without a price; a zero price is a price', () => {
    expect(callCost({ inputTokens: 5000, outputTokens: 5000 }, undefined)).toEqual({ costMicroUsd: 0, priced: false });
    // toEqual tells 0 from -0: a zero amount must be a plain 0.
    expect(callCost({ inputTokens: 5000, outputTokens: 5000 }, { input: 0, output: 0 })).toEqual({ costMicroUsd: 0, priced: true });
    expect(callCost({ inputTokens: 0, outputTokens: 0 }, mini)).toEqual({ costMicroUsd: 0, priced: true });
  });
});

describe('months (UTC)', () => {
  it('monthOf is the UTC calendar month of an instant', () => {
    expect(monthOf(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12');
    expect(monthOf(new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01');
    // Evening of 31 December in New York is already January in UTC.
    expect(monthOf(new Date('2026-12-31T20:00:00-05:00'))).toBe('2027-01');
    expect(monthOf(new Date('2026-03-01T00:30:00+01:00'))).toBe('2026-02');
  });

  it('monthRange runs from the first instant of the month to the first instant of the next, December into January', () => {
    expect(monthRange('2026-12')).toEqual({ from: new Date('2026-12-01T00:00:00.000Z'), to: new Date('2027-01-01T00:00:00.000Z') });
    expect(monthRange('2027-01')).toEqual({ from: new Date('2027-01-01T00:00:00.000Z'), to: new Date('2027-02-01T00:00:00.000Z') });
    expect(monthRange('2028-02')).toEqual({ from: new Date('2028-02-01T00:00:00.000Z'), to: new Date('2028-03-01T00:00:00.000Z') });
  });

  it('every month of a year: its range starts where the previous one ended, and monthOf agrees at both edges', () => {
    let previousEnd: Date | undefined;
    for (const month of ['2026-11', '2026-12', '2027-01', '2027-02', '2027-03']) {
      const { from, to } = monthRange(month);
      if (previousEnd) expect(from).toEqual(previousEnd);
      expect(monthOf(from)).toBe(month);
      expect(monthOf(new Date(to.getTime() - 1))).toBe(month);
      expect(monthOf(to)).not.toBe(month);
      previousEnd = to;
    }
  });
});

describe('budgetState', () => {
  // $1.00 = 100 cents = 1 000 000 micro-USD; the warning at 80 % is 800 000.
  it.each([
    [0, 'OK'],
    [799_999, 'OK'],
    [800_000, 'WARNING'],
    [999_999, 'WARNING'],
    [1_000_000, 'EXCEEDED'],
    [1_000_001, 'EXCEEDED'],
  ] as const)('%d micro-USD of a $1.00 budget warned at 80 %% is %s', (spent, state) => {
    expect(budgetState(spent, 100, 80)).toBe(state);
  });

  it('a limit of 0 is exceeded before anything is spent', () => {
    expect(budgetState(0, 0, 80)).toBe('EXCEEDED');
    expect(budgetState(1, 0, 100)).toBe('EXCEEDED');
  });

  it('warns from the exact share, whatever the percent', () => {
    expect(budgetState(9_999, 100, 1)).toBe('OK');
    expect(budgetState(10_000, 100, 1)).toBe('WARNING');
    // At 100 % the warning and the limit coincide: the limit wins.
    expect(budgetState(999_999, 100, 100)).toBe('OK');
    expect(budgetState(1_000_000, 100, 100)).toBe('EXCEEDED');
    // 1 cent, warned at 33 %: 3 300 micro-USD.
    expect(budgetState(3_299, 1, 33)).toBe('OK');
    expect(budgetState(3_300, 1, 33)).toBe('WARNING');
    // The largest budget the API accepts (2 000 000 000 cents) is still exact.
    expect(budgetState(16_000_000_000_000, 2_000_000_000, 80)).toBe('WARNING');
    expect(budgetState(15_999_999_999_999, 2_000_000_000, 80)).toBe('OK');
    expect(budgetState(20_000_000_000_000, 2_000_000_000, 80)).toBe('EXCEEDED');
  });
});

describe('readAiJobSettings', () => {
  function problems(env: Record<string, string>): string[] {
    try {
      readAiJobSettings(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  }

  it('has documented defaults, and blank values are unset', () => {
    const defaults = { prices: {}, defaultMonthlyBudgetCents: 10_000, warningPercent: 80, cacheTtlSeconds: 86_400, concurrency: 2, leaseSeconds: 60 };
    expect(readAiJobSettings({})).toEqual(defaults);
    expect(
      readAiJobSettings({
        AI_PRICES: ' ',
        AI_DEFAULT_MONTHLY_BUDGET_CENTS: '',
        AI_BUDGET_WARNING_PERCENT: '  ',
        AI_CACHE_TTL_SECONDS: '',
        AI_JOB_CONCURRENCY: '',
        AI_JOB_LEASE_SECONDS: '',
      }),
    ).toEqual(defaults);
  });

  it('reads every variable, the edges of their ranges included', () => {
    expect(
      readAiJobSettings({
        AI_PRICES: '{"gpt-4o-mini":{"input":0.15,"output":0.6},"local":{"input":0,"output":0}}',
        AI_DEFAULT_MONTHLY_BUDGET_CENTS: '0',
        AI_BUDGET_WARNING_PERCENT: '100',
        AI_CACHE_TTL_SECONDS: '0',
        AI_JOB_CONCURRENCY: ' 64 ',
        AI_JOB_LEASE_SECONDS: '3600',
      }),
    ).toEqual({
      prices: { 'gpt-4o-mini': { input: 0.15, output: 0.6 }, local: { input: 0, output: 0 } },
      defaultMonthlyBudgetCents: 0,
      warningPercent: 100,
      cacheTtlSeconds: 0,
      concurrency: 64,
      leaseSeconds: 3600,
    });
    expect(readAiJobSettings({ AI_BUDGET_WARNING_PERCENT: '1', AI_JOB_CONCURRENCY: '1', AI_JOB_LEASE_SECONDS: '1', AI_CACHE_TTL_SECONDS: String(31 * 86_400) })).toMatchObject({
      warningPercent: 1,
      concurrency: 1,
      leaseSeconds: 1,
      cacheTtlSeconds: 31 * 86_400,
    });
  });

  it.each([
    ['AI_DEFAULT_MONTHLY_BUDGET_CENTS', '-1'],
    ['AI_DEFAULT_MONTHLY_BUDGET_CENTS', '12.5'],
    ['AI_DEFAULT_MONTHLY_BUDGET_CENTS', '100 dollars'],
    ['AI_DEFAULT_MONTHLY_BUDGET_CENTS', '2000000001'],
    ['AI_BUDGET_WARNING_PERCENT', '0'],
    ['AI_BUDGET_WARNING_PERCENT', '101'],
    ['AI_BUDGET_WARNING_PERCENT', 'eighty'],
    ['AI_CACHE_TTL_SECONDS', '-5'],
    ['AI_CACHE_TTL_SECONDS', String(31 * 86_400 + 1)],
    ['AI_JOB_CONCURRENCY', '0'],
    ['AI_JOB_CONCURRENCY', '65'],
    ['AI_JOB_CONCURRENCY', '1.5'],
    ['AI_JOB_LEASE_SECONDS', '0'],
    ['AI_JOB_LEASE_SECONDS', '3601'],
  ])('%s=%s is refused with a problem naming it, its range and the value', (name, value) => {
    const found = problems({ [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${name}: expected a whole number from \\d+ to \\d+`));
    expect(found[0]).toContain(JSON.stringify(value));
  });

  it.each([
    ['not JSON', '{gpt-4o-mini: 0.15}', /not valid JSON/],
    ['a price that is text', '{"gpt-4o-mini":{"input":"0.15","output":0.6}}', /gpt-4o-mini\.input/],
    ['a negative price', '{"gpt-4o-mini":{"input":0.15,"output":-0.6}}', /gpt-4o-mini\.output/],
    ['a missing output price', '{"gpt-4o-mini":{"input":0.15}}', /gpt-4o-mini\.output/],
    ['an unknown key', '{"gpt-4o-mini":{"input":0.15,"output":0.6,"cached":0.01}}', /gpt-4o-mini/],
    ['a list instead of an object', '[{"input":0.15,"output":0.6}]', /\(root\)/],
    ['a price per model that is a number', '{"gpt-4o-mini":0.15}', /gpt-4o-mini/],
  ])('AI_PRICES with %s is refused, naming the variable, the place and the expected shape', (_what, value, where) => {
    const found = problems({ AI_PRICES: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^AI_PRICES: /);
    expect(found[0]).toMatch(where);
    expect(found[0]).toContain('expected {"<model>":{"input":<USD per 1M tokens>,"output":<USD per 1M tokens>}}');
  });

  it('reports every bad variable at once, and says so in the error message', () => {
    let error: unknown;
    try {
      readAiJobSettings({ AI_PRICES: 'nope', AI_JOB_CONCURRENCY: '0', AI_BUDGET_WARNING_PERCENT: '200', AI_JOB_LEASE_SECONDS: '60' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const found = (error as ConfigError).problems;
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['AI_BUDGET_WARNING_PERCENT', 'AI_JOB_CONCURRENCY', 'AI_PRICES']);
    for (const name of ['AI_PRICES', 'AI_JOB_CONCURRENCY', 'AI_BUDGET_WARNING_PERCENT']) expect((error as Error).message).toContain(name);
  });
});

describe('ResponseCache', () => {
  const ORG_A = '00000000-0000-4000-8000-00000000000a';
  const ORG_B = '00000000-0000-4000-8000-00000000000b';
  const base: CacheKeyParts = {
    orgId: ORG_A,
    providers: [
      { id: 'openai', model: 'gpt-4o-mini' },
      { id: 'anthropic', model: 'claude-sonnet-4-5' },
    ],
    task: 'content',
    promptVersion: 'content@2026-12-01.1',
    input: { brand: { name: 'Acme', voice: 'plain', wordsToUse: ['fresh', 'local'] }, channel: 'LINKEDIN', brief: 'Say hello' },
    params: { maxTokens: 800, temperature: 0.3 },
  };
  const answer: CachedAnswer = { output: { title: 'Hello', body: 'Hello world', hashtags: ['#a'] }, provider: 'openai', model: 'gpt-4o-mini', offline: false, promptVersion: 'content@2026-12-01.1' };

  it('keys the same request written in another key order alike, at every depth', () => {
    const reordered: CacheKeyParts = {
      params: { temperature: 0.3, maxTokens: 800 },
      input: { channel: 'LINKEDIN', brief: 'Say hello', brand: { wordsToUse: ['fresh', 'local'], voice: 'plain', name: 'Acme' } },
      promptVersion: 'content@2026-12-01.1',
      task: 'content',
      providers: [
        { model: 'gpt-4o-mini', id: 'openai' },
        { model: 'claude-sonnet-4-5', id: 'anthropic' },
      ],
      orgId: ORG_A,
    };
    expect(ResponseCache.key(reordered)).toBe(ResponseCache.key(base));
    expect(ResponseCache.key(base)).toMatch(/^ai:[0-9a-f]{64}$/);
    // A property left undefined is absent, as it is once the input has been stored as JSON.
    expect(ResponseCache.key({ ...base, input: { ...(base.input as object), keywords: undefined } })).toBe(ResponseCache.key(base));
  });

  it('keys differently whatever makes the request different', () => {
    const input = base.input as Record<string, unknown>;
    const variants: Record<string, CacheKeyParts> = {
      'another organization': { ...base, orgId: ORG_B },
      'another prompt version': { ...base, promptVersion: 'content@2026-12-01.2' },
      'another task': { ...base, task: 'variants' },
      'another provider': { ...base, providers: [{ id: 'azure', model: 'gpt-4o-mini' }, base.providers[1]!] },
      'another model': { ...base, providers: [{ id: 'openai', model: 'gpt-4o' }, base.providers[1]!] },
      'the providers in another order': { ...base, providers: [...base.providers].reverse() },
      'one provider fewer': { ...base, providers: [base.providers[0]!] },
      'another temperature': { ...base, params: { ...base.params, temperature: 0.31 } },
      'another max tokens': { ...base, params: { ...base.params, maxTokens: 801 } },
      'another brief': { ...base, input: { ...input, brief: 'Say hello!' } },
      'a list in another order': { ...base, input: { ...input, brand: { name: 'Acme', voice: 'plain', wordsToUse: ['local', 'fresh'] } } },
      'a number written as text': { ...base, params: { ...base.params, maxTokens: '800' } },
      'a null instead of a missing field': { ...base, input: { ...input, keywords: null } },
      'a value holding what would look like another field': { ...base, input: { channel: 'LINKEDIN', brief: 'Say hello","brand":{"name":"Acme"}' } },
    };
    const keys = new Map<string, string>([['the base request', ResponseCache.key(base)]]);
    for (const [what, parts] of Object.entries(variants)) {
      const key = ResponseCache.key(parts);
      expect({ what, sameAs: [...keys].find(([, k]) => k === key)?.[0] }).toEqual({ what, sameAs: undefined });
      keys.set(what, key);
    }
  });

  it('answers what it stored, for its time to live (given to the store in milliseconds)', async () => {
    const store = new Keyv<unknown>();
    const sets: unknown[][] = [];
    const set = store.set.bind(store);
    store.set = (...args: Parameters<typeof store.set>) => {
      sets.push(args);
      return set(...args);
    };
    const cache = new ResponseCache(store, 3600);
    expect(cache.enabled).toBe(true);
    const key = ResponseCache.key(base);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, answer);
    expect(await cache.get(key)).toEqual(answer);
    expect(await cache.get(ResponseCache.key({ ...base, orgId: ORG_B }))).toBeUndefined();
    expect(sets).toEqual([[key, answer, 3_600_000]]);
  });

  it('treats a value that is not an answer as a miss', async () => {
    const store = new Keyv<unknown>();
    const cache = new ResponseCache(store, 60);
    const key = ResponseCache.key(base);
    await store.set(key, 'a string someone else stored');
    expect(await cache.get(key)).toBeUndefined();
    await store.set(key, { provider: 'openai' });
    expect(await cache.get(key)).toBeUndefined();
  });

  it('is off with a time to live of 0 or without a store: nothing stored, nothing answered', async () => {
    const store = new Keyv<unknown>();
    const off = new ResponseCache(store, 0);
    expect(off.enabled).toBe(false);
    const key = ResponseCache.key(base);
    await off.set(key, answer);
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, answer);
    expect(await off.get(key)).toBeUndefined();

    const none = new ResponseCache(undefined, 3600);
    expect(none.enabled).toBe(false);
    await none.set(key, answer);
    expect(await none.get(key)).toBeUndefined();
  });

  it('turns a failing store into a miss and a skipped write, never an error', async () => {
    const calls: string[] = [];
    const failing = {
      get: async () => {
        calls.push('get');
        throw new Error('ECONNREFUSED 127.0.0.1:6379');
      },
      set: async () => {
        calls.push('set');
        throw new Error('ECONNREFUSED 127.0.0.1:6379');
      },
    } as unknown as Keyv<unknown>;
    const cache = new ResponseCache(failing, 60);
    const key = ResponseCache.key(base);
    await expect(cache.get(key)).resolves.toBeUndefined();
    await expect(cache.set(key, answer)).resolves.toBeUndefined();
    expect(calls).toEqual(['get', 'set']);
  });
});

describe('Budgets (PGlite)', () => {
  const ORG = '00000000-0000-4000-8000-0000000000c1';
  const OTHER = '00000000-0000-4000-8000-0000000000c2';
  const settings = { defaultMonthlyBudgetCents: 100, warningPercent: 80 };
  let host: DatabaseHost;
  let database: Database<AiTables>;
  let budgets: Budgets;

  beforeAll(async () => {
    host = openDatabaseHost({ pgliteDir: 'memory' });
    database = host.forSchema<AiTables>('creation');
    await migrateToLatest(database, aiMigrations);
    budgets = new Budgets(database.db, settings);
  });
  afterAll(() => host?.close());

  async function spend(orgId: string, costMicroUsd: number, createdAt?: Date): Promise<void> {
    await database.db
      .insertInto('aiCalls')
      .values({
        orgId,
        agent: 'creation',
        jobId: null,
        task: 'content',
        provider: 'openai',
        model: 'gpt-4o-mini',
        outcome: 'success',
        inputTokens: 10,
        outputTokens: 10,
        tokensEstimated: false,
        costMicroUsd,
        priced: true,
        ...(createdAt ? { createdAt } : {}),
      })
      .execute();
  }

  it('sums an organization’s spending over one UTC month, the first instant in and the next month’s out', async () => {
    const org = '00000000-0000-4000-8000-0000000000d1';
    await spend(org, 1, new Date('2026-11-30T23:59:59.999Z'));
    await spend(org, 20, new Date('2026-12-01T00:00:00.000Z'));
    await spend(org, 300, new Date('2026-12-31T23:59:59.999Z'));
    await spend(org, 4000, new Date('2027-01-01T00:00:00.000Z'));
    await spend(OTHER, 50_000, new Date('2026-12-15T12:00:00.000Z'));
    expect(await budgets.spent(org, '2026-12')).toBe(320);
    expect(await budgets.spent(org, '2026-11')).toBe(1);
    expect(await budgets.spent(org, '2027-01')).toBe(4000);
    expect(await budgets.spent(org, '2027-02')).toBe(0);
    expect(await budgets.status(org, { month: '2026-12' })).toEqual({
      month: '2026-12',
      monthlyLimitCents: 100,
      warningPercent: 80,
      isDefault: true,
      spentMicroUsd: 320,
      state: 'OK',
    });
  });

  it('applies the configured default until the organization sets its own, and the own one after', async () => {
    const month = monthOf(new Date());
    expect(await budgets.status(ORG)).toEqual({ month, monthlyLimitCents: 100, warningPercent: 80, isDefault: true, spentMicroUsd: 0, state: 'OK' });
    expect(await budgets.set(ORG, 500, 50)).toEqual({ month, monthlyLimitCents: 500, warningPercent: 50, isDefault: false, spentMicroUsd: 0, state: 'OK' });
    // Set again: one row, updated; a left-out percent is the configured one.
    expect(await budgets.set(ORG, 200, undefined)).toMatchObject({ monthlyLimitCents: 200, warningPercent: 80, isDefault: false });
    expect(await database.db.selectFrom('aiBudgets').selectAll().where('orgId', '=', ORG).execute()).toHaveLength(1);
    // Another organization still has the default.
    expect(await budgets.status(OTHER)).toMatchObject({ monthlyLimitCents: 100, isDefault: true });
  });

  it('lets calls through below the limit and refuses them from the limit on, with BUDGET_EXCEEDED', async () => {
    const org = '00000000-0000-4000-8000-0000000000d2';
    await budgets.set(org, 1, 50); // 1 cent: 10 000 micro-USD, the warning at 5 000
    await spend(org, 4_999);
    expect((await budgets.assertAvailable(org)).state).toBe('OK');
    await spend(org, 1);
    expect((await budgets.assertAvailable(org)).state).toBe('WARNING');
    await spend(org, 4_999);
    expect((await budgets.assertAvailable(org)).spentMicroUsd).toBe(9_999);
    await spend(org, 1);
    const refusal = await budgets.assertAvailable(org).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(BudgetExceededError);
    const error = refusal as BudgetExceededError;
    expect(error.status).toMatchObject({ spentMicroUsd: 10_000, monthlyLimitCents: 1, state: 'EXCEEDED' });
    expect(error.message).toContain('$0.01 of $0.01');
    expect(error.message).toContain(monthOf(new Date()));
    expect(error.toGraphError().extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', month: monthOf(new Date()), monthlyLimitCents: 1 });
  });

  it('refuses every call under a budget of 0', async () => {
    const org = '00000000-0000-4000-8000-0000000000d3';
    await budgets.set(org, 0, undefined);
    await expect(budgets.assertAvailable(org)).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it('gives the month’s warning to one caller only, once the warning share is reached', async () => {
    const org = '00000000-0000-4000-8000-0000000000d4';
    await budgets.set(org, 1, 50);
    expect(await budgets.claimWarning(database.db, org, await budgets.status(org))).toBe(false); // OK: nothing to claim
    await spend(org, 5_000);
    const warned = await budgets.status(org);
    expect(warned.state).toBe('WARNING');
    expect(await budgets.claimWarning(database.db, org, warned)).toBe(true);
    expect(await budgets.claimWarning(database.db, org, warned)).toBe(false);
    await spend(org, 5_000);
    expect(await budgets.claimWarning(database.db, org, await budgets.status(org))).toBe(false); // exceeded, same month
    // Another month, or another organization, has a warning of its own.
    expect(await budgets.claimWarning(database.db, org, { ...warned, month: '2099-01' })).toBe(true);
    expect(await budgets.claimWarning(database.db, OTHER, { ...warned, month: warned.month })).toBe(true);
  });
});
