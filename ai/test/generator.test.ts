import { describe, expect, it } from '@jest/globals';
import { DependencyUnavailableError } from '@umt/infra';
import { z } from 'zod';
import { AiProviderError, AiUnavailableError, Generator, InvalidOutputError, type ModelProvider, type OutputSchema, type ProviderCall } from '../src';

const schema: OutputSchema<{ title: string; score: number }> = {
  name: 'review',
  description: 'A title and a score',
  zod: z.object({ title: z.string().min(1), score: z.number().int().min(0).max(100) }),
  jsonSchema: {
    type: 'object',
    properties: { title: { type: 'string' }, score: { type: 'integer' } },
    required: ['title', 'score'],
    additionalProperties: false,
  },
};

type Step = string | AiProviderError | DependencyUnavailableError | { text: string; usage?: { inputTokens: number; outputTokens: number } };

/** A provider that answers from a script, one step per call, and keeps every call it got. */
function scripted(id: string, steps: Step[]): ModelProvider & { calls: ProviderCall[] } {
  const calls: ProviderCall[] = [];
  return {
    id,
    model: `${id}-model`,
    calls,
    async complete(call) {
      calls.push(call);
      const step = steps.shift();
      if (step === undefined) throw new Error(`${id}: no more scripted answers`);
      if (step instanceof Error) throw step;
      const answer = typeof step === 'string' ? { text: step } : step;
      call.onDelta?.(answer.text.slice(0, 5));
      call.onDelta?.(answer.text.slice(5));
      return { text: answer.text, model: `${id}-model`, usage: answer.usage, finishReason: 'stop' };
    },
  };
}

const valid = JSON.stringify({ title: 'Spring launch', score: 82 });
const offline = scripted('offline', []);
const request = {
  task: 'quality_review',
  promptVersion: 'quality_review@test',
  messages: [
    { role: 'system' as const, content: 'Review the draft.' },
    { role: 'user' as const, content: '<user_data>draft</user_data>' },
  ],
  schema,
};

function generator(providers: ModelProvider[], waits: number[] = []) {
  return new Generator({ providers, offline, retries: 2, backoffMs: 10, maxRetryWaitMs: 5_000, sleep: async (ms) => void waits.push(ms) });
}

describe('the generator', () => {
  it('retries a rate-limited provider after its retry-after, then succeeds there', async () => {
    const waits: number[] = [];
    const first = scripted('first', [new AiProviderError('first', 'RATE_LIMITED', '429', { retryAfterSeconds: 2 }), { text: valid, usage: { inputTokens: 40, outputTokens: 12 } }]);
    const second = scripted('second', [valid]);
    const result = await generator([first, second], waits).generate(request);
    expect(result).toMatchObject({ provider: 'first', output: { title: 'Spring launch', score: 82 }, offline: false, promptVersion: 'quality_review@test' });
    expect(result.usage).toEqual({ inputTokens: 40, outputTokens: 12, estimated: false });
    expect(waits).toEqual([2_000]);
    expect(second.calls).toHaveLength(0);
  });

  it('retries outages with growing pauses, then falls back to the next provider', async () => {
    const waits: number[] = [];
    const outage = () => new AiProviderError('first', 'OUTAGE', '503');
    const first = scripted('first', [outage(), outage(), outage()]);
    const second = scripted('second', [valid]);
    const result = await generator([first, second], waits).generate(request);
    expect(result.provider).toBe('second');
    expect(first.calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    expect(result.calls.map((c) => `${c.provider}:${c.outcome}`)).toEqual(['first:failed', 'first:failed', 'first:failed', 'second:success']);
  });

  it('moves on at once from a provider whose key is refused or whose breaker is open', async () => {
    const waits: number[] = [];
    const refused = scripted('refused', [new AiProviderError('refused', 'AUTH', '401')]);
    const open = scripted('open', [new DependencyUnavailableError('ai:open', 'the open model API', 'open', 30)]);
    const third = scripted('third', [valid]);
    const result = await generator([refused, open, third], waits).generate(request);
    expect(result.provider).toBe('third');
    expect([refused.calls.length, open.calls.length, waits.length]).toEqual([1, 1, 0]);
  });

  it('sends invalid output back once with what is wrong, as conversation, and takes the corrected answer', async () => {
    const provider = scripted('p', ['{"title": "", "score": 400}', valid]);
    const result = await generator([provider]).generate(request);
    expect(result.output.score).toBe(82);
    const retry = provider.calls[1]!.messages;
    expect(retry[0]).toEqual(request.messages[0]); // the instructions are unchanged
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"title": "", "score": 400}' });
    expect(retry.at(-1)?.role).toBe('user');
    expect(retry.at(-1)?.content).toMatch(/score/);
    expect(result.calls.map((c) => c.outcome)).toEqual(['invalid_output', 'success']);
  });

  it('fails cleanly with AI_INVALID_OUTPUT when the corrected answer is invalid too', async () => {
    const provider = scripted('p', ['not json', '{"title": "x"}']);
    const next = scripted('next', [valid]);
    const error = await generator([provider, next]).generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOutputError);
    expect((error as InvalidOutputError).code).toBe('AI_INVALID_OUTPUT');
    expect(next.calls).toHaveLength(0);
  });

  it('fails with AI_UNAVAILABLE, naming every provider, when all are down', async () => {
    const down = (id: string) => scripted(id, [new AiProviderError(id, 'OUTAGE', '500'), new AiProviderError(id, 'OUTAGE', '500'), new AiProviderError(id, 'OUTAGE', '500')]);
    const error = await generator([down('a'), down('b')]).generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiUnavailableError);
    expect((error as AiUnavailableError).message).toMatch(/a \(outage\); b \(outage\)/);
  });

  it('answers with the offline generator when no provider is configured, marked offline', async () => {
    const local = scripted('offline', [valid]);
    const result = await new Generator({ providers: [], offline: local }).generate(request);
    expect(result).toMatchObject({ provider: 'offline', offline: true });
  });

  it('estimates usage with a tokenizer when the provider reports none, and streams progress', async () => {
    const progress: number[] = [];
    const provider = scripted('local', [valid]);
    const result = await generator([provider]).generate({ ...request, onProgress: (n) => progress.push(n) });
    expect(provider.calls[0]!.stream).toBe(true);
    expect(progress).toEqual([5, valid.length]);
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.inputTokens).toBeGreaterThan(5);
    expect(result.usage.outputTokens).toBeGreaterThan(3);
  });
});
