/**
 * The generator against the fake model APIs (real HTTP servers): a task's output comes from the first provider that
 * answers well; 429s with retry-after and 5xx are retried, then the next provider answers; an open breaker skips its
 * provider without a request; all providers down is a clear error, quickly, never a hang.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { AI_FAKES } from '@umt/fakes';
import { configureBreakers, readBreakerConfig, releaseBreakers } from '@umt/infra';
import { AiUnavailableError, createGenerator, runTask, TASKS } from '@umt/ai';

const SERVICE = 'test-ai-fallback';
const brief = {
  brand: { name: 'Northwind Coffee', voice: 'warm, plain-spoken', wordsToUse: ['fresh'], wordsToAvoid: ['cheap'], audience: 'remote workers' },
  channel: 'LINKEDIN' as const,
  brief: 'Announce the new spring roast and invite people to taste it in our shops.',
  keywords: ['spring roast'],
};

describe('falling back across model providers', () => {
  const openai = AI_FAKES.openai();
  const anthropic = AI_FAKES.anthropic();
  let env: Record<string, string>;

  beforeAll(async () => {
    await openai.server.start();
    await anthropic.server.start();
    // Small breaker settings for this file's service only, so a few failures open the breaker.
    configureBreakers(readBreakerConfig({ BREAKER_OVERRIDES: JSON.stringify({ 'ai:*': { minimumCalls: 4, openMs: 60_000, timeoutMs: 2_000 } }) }));
    env = { AI_PROVIDERS: 'openai,anthropic', ...openai.env(), ...anthropic.env(), AI_ANTHROPIC_MODEL: 'claude-sonnet-4-5' };
  });

  afterEach(() => {
    openai.server.reset();
    anthropic.server.reset();
    openai.server.clearRequests();
    anthropic.server.clearRequests();
    releaseBreakers(SERVICE);
  });

  afterAll(async () => {
    releaseBreakers(SERVICE);
    await openai.server.stop();
    await anthropic.server.stop();
  });

  const generator = () => createGenerator(env, SERVICE, { backoffMs: 20 });

  it('uses the first provider, with output that matches the task schema and the prompt version', async () => {
    const result = await runTask(generator(), 'content', brief);
    expect(result).toMatchObject({ provider: 'openai', offline: false, promptVersion: TASKS.content.version, usage: { estimated: false } });
    expect(TASKS.content.output.zod.safeParse(result.output).success).toBe(true);
    expect(anthropic.server.requests).toHaveLength(0);
  });

  it('retries a 429 after its retry-after and a 503, then falls back to the next provider', async () => {
    openai.server.fault({ kind: 'rate_limit', retryAfterSeconds: 0, times: 1 });
    openai.server.fault({ kind: 'fail', status: 503 });
    const result = await runTask(generator(), 'content', brief);
    expect(result.provider).toBe('anthropic');
    expect(openai.server.received('/v1/chat/completions')).toHaveLength(3); // the first try and two retries
    expect(result.calls.map((c) => `${c.provider}:${c.outcome}`)).toEqual(['openai:failed', 'openai:failed', 'openai:failed', 'anthropic:success']);
  });

  it('skips a provider whose breaker is open without sending it anything', async () => {
    openai.server.fault({ kind: 'fail', status: 500 });
    await runTask(generator(), 'content', brief); // 3 failures
    await runTask(generator(), 'content', brief); // the 4th opens the breaker
    const before = openai.server.received('/v1/chat/completions').length;
    const started = Date.now();
    const result = await runTask(generator(), 'content', brief);
    expect(result.provider).toBe('anthropic');
    expect(openai.server.received('/v1/chat/completions')).toHaveLength(before);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails with AI_UNAVAILABLE when every provider is down, without hanging', async () => {
    openai.server.fault({ kind: 'fail', status: 502 });
    anthropic.server.fault({ kind: 'hang' }); // a provider that never answers is cut off at its deadline
    const started = Date.now();
    const error = await runTask(generator(), 'content', brief).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiUnavailableError);
    expect((error as AiUnavailableError).code).toBe('AI_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('streams from a provider, reporting progress', async () => {
    const progress: number[] = [];
    const result = await runTask(generator(), 'content', brief, { onProgress: (n) => progress.push(n) });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBeGreaterThan(progress[0]!);
    expect(TASKS.content.output.zod.safeParse(result.output).success).toBe(true);
  });

  it('answers offline, marked so, when no provider is configured', async () => {
    const result = await runTask(createGenerator({}, SERVICE), 'content', brief);
    expect(result).toMatchObject({ provider: 'offline', offline: true });
    expect(TASKS.content.output.zod.safeParse(result.output).success).toBe(true);
    expect(openai.server.requests).toHaveLength(0);
  });
});
