/**
 * The OpenAI-compatible chat-completions adapter against the fake OpenAI API (a real HTTP server on loopback): the
 * request it sends (path, headers, model, messages, response_format, max tokens, stream flags), the answer it reads,
 * streamed and not, json_object mode for servers without JSON Schema support, a key-less local server, each error
 * shape mapped to our kinds (with the wait a rate limit asks for), and a hung server aborted by the caller's signal.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { AiProviderError, openAiCompatibleProvider, type ModelProvider, type OutputSchema, type ProviderCall } from '@umt/ai';
import { kept, openAiFake, OPENAI_FAKE_KEY, type OpenAiFake, type OpenAiUsageRecord } from '@umt/fakes';
import { releaseBreakers } from '@umt/infra';
import { z } from 'zod';
import { rejection } from '@umt/test-support';

const SERVICE = 'test-ai-openai-compatible';
/** Failures here are on purpose: the breaker must not open on them and refuse the next test's calls. */
const BREAKER = { minimumCalls: 10_000 };

const draftZod = z.object({
  headline: z.string().min(5).max(60),
  body: z.string(),
  hashtags: z.array(z.string()).min(3).max(5),
  tone: z.enum(['playful', 'formal']),
  score: z.number().int().min(1).max(10),
  cta: z.object({ label: z.string(), url: z.url() }),
  publishAt: z.iso.datetime(),
  notes: z.string().nullable(),
});
type Draft = z.infer<typeof draftZod>;
const draftSchema: OutputSchema<Draft> = {
  name: 'content_draft',
  description: 'A social post draft',
  zod: draftZod,
  jsonSchema: z.toJSONSchema(draftZod),
};

const MESSAGES: ProviderCall['messages'] = [
  { role: 'system', content: 'You write social posts for a brand. Follow the brand voice.' },
  { role: 'user', content: 'Product: a reusable water bottle. Audience: commuters.' },
];

let fake: OpenAiFake;
let local: OpenAiFake;

function call(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return {
    messages: MESSAGES,
    schema: draftSchema,
    maxTokens: 800,
    temperature: 0.3,
    stream: false,
    signal: new AbortController().signal,
    ...overrides,
  };
}

function openai(overrides: Partial<Parameters<typeof openAiCompatibleProvider>[0]> = {}): ModelProvider {
  return openAiCompatibleProvider({
    id: 'openai',
    baseUrl: `${fake.server.url}/v1`,
    apiKey: OPENAI_FAKE_KEY,
    model: 'gpt-4o-mini',
    service: SERVICE,
    breaker: BREAKER,
    ...overrides,
  });
}

const failure = (call: Promise<unknown>): Promise<AiProviderError> => rejection(call, AiProviderError);

function lastBody(server: OpenAiFake = fake): Record<string, unknown> {
  const requests = server.server.received('/v1/chat/completions', 'POST');
  return requests[requests.length - 1]?.body as Record<string, unknown>;
}

beforeAll(async () => {
  fake = openAiFake();
  await fake.server.start();
  local = openAiFake({ apiKey: '', model: 'llama3.1' });
  await local.server.start();
});

afterEach(() => {
  for (const f of [fake, local]) {
    f.server.reset();
    f.server.clearRequests();
    f.store.clear();
  }
});

afterAll(async () => {
  releaseBreakers(SERVICE);
  await fake.server.stop();
  await local.server.stop();
});

describe('the request', () => {
  it('posts the messages, the model, the JSON Schema as a strict response_format, and the limits to /v1/chat/completions', async () => {
    await openai({ organization: 'org-sandbox' }).complete(call());
    const [request] = fake.server.received('/v1/chat/completions');
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${OPENAI_FAKE_KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['openai-organization']).toBe('org-sandbox');
    const body = request?.body as Record<string, unknown>;
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      max_completion_tokens: 800,
      temperature: 0.3,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'content_draft', description: 'A social post draft', schema: draftSchema.jsonSchema, strict: true },
      },
      stream: false,
    });
  });

  it('asks for the usage with a streamed answer, and accepts an event stream', async () => {
    await openai().complete(call({ stream: true }));
    const [request] = fake.server.received('/v1/chat/completions');
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('sends max_tokens, the name every compatible server knows, to a server that is not OpenAI', async () => {
    const ollama = openAiCompatibleProvider({ id: 'ollama', baseUrl: `${local.server.url}/v1/`, model: 'llama3.1', service: SERVICE, breaker: BREAKER });
    await ollama.complete(call());
    const body = lastBody(local);
    expect(body.max_tokens).toBe(800);
    expect(body).not.toHaveProperty('max_completion_tokens');
    // The option overrides the choice.
    await openai({ id: 'vllm', maxTokensField: 'max_tokens' }).complete(call());
    expect(lastBody()).toMatchObject({ max_tokens: 800 });
    expect(lastBody()).not.toHaveProperty('max_completion_tokens');
  });
});

describe('the answer', () => {
  it('is the content as JSON text that matches the schema, with the model and the usage the API reported', async () => {
    const answer = await openai().complete(call());
    const draft = draftZod.parse(JSON.parse(answer.text));
    expect(draft.hashtags.length).toBeGreaterThanOrEqual(3);
    expect(answer.model).toBe('gpt-4o-mini');
    expect(answer.finishReason).toBe('stop');
    const [usage] = kept<OpenAiUsageRecord>(fake, 'usage');
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(answer.usage).toEqual({ inputTokens: usage?.prompt_tokens, outputTokens: usage?.completion_tokens });
    // About four characters a token.
    expect(answer.usage?.inputTokens).toBe(Math.ceil(MESSAGES.map((m) => m.content).join('').length / 4));
  });

  it('streams: onDelta gets several pieces that join to the text, and the usage comes from the last chunk', async () => {
    const pieces: string[] = [];
    const answer = await openai().complete(call({ stream: true, onDelta: (piece) => pieces.push(piece) }));
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(answer.text);
    draftZod.parse(JSON.parse(answer.text));
    expect(answer.finishReason).toBe('stop');
    const [usage] = kept<OpenAiUsageRecord>(fake, 'usage');
    expect(usage?.stream).toBe(true);
    expect(answer.usage).toEqual({ inputTokens: usage?.prompt_tokens, outputTokens: usage?.completion_tokens });
  });

  it('gives no usage when the server reports none (the generator estimates it)', async () => {
    fake.script({ object: { ok: true }, omitUsage: true }, { object: { ok: true }, omitUsage: true });
    expect((await openai().complete(call())).usage).toBeUndefined();
    expect((await openai().complete(call({ stream: true }))).usage).toBeUndefined();
  });

  it('passes text that is not the schema’s JSON on as is (the generator validates it), without a code fence', async () => {
    fake.script({ text: 'Sure! Here is your post: {"headline": ' }, { text: '```json\n{"a": 1}\n```' });
    const broken = await openai().complete(call());
    expect(broken.text).toBe('Sure! Here is your post: {"headline":');
    expect((await openai().complete(call())).text).toBe('{"a": 1}');
  });

  it('fails an answer cut off at max tokens as INVALID_OUTPUT, streamed or not, unless its JSON is complete', async () => {
    for (const stream of [false, true]) {
      const error = await failure(openai().complete(call({ maxTokens: 10, stream })));
      expect(error.kind).toBe('INVALID_OUTPUT');
      expect(error.details.providerCode).toBe('length');
    }
    fake.script({ object: { short: 'yes' }, finishReason: 'length' });
    const whole = await openai().complete(call());
    expect(JSON.parse(whole.text)).toEqual({ short: 'yes' });
    expect(whole.finishReason).toBe('length');
  });

  it('turns a refusal into INVALID_REQUEST (asking again would not change the model’s mind), streamed or not', async () => {
    for (const stream of [false, true]) {
      fake.script({ refusal: "I'm sorry, I can't help with that request." });
      const error = await failure(openai().complete(call({ stream })));
      expect(error.kind).toBe('INVALID_REQUEST');
      expect(error.details.providerCode).toBe('refusal');
      expect(error.message).toContain("can't help");
    }
  });

  it('fails an empty answer as INVALID_OUTPUT', async () => {
    fake.script({ text: '' });
    expect((await failure(openai().complete(call()))).kind).toBe('INVALID_OUTPUT');
  });

  it('treats a stream that breaks off before its finish reason as an outage', async () => {
    fake.script({ text: '{"headline": "Stay hydrated on the go", "body": "', cutStream: true });
    const pieces: string[] = [];
    const error = await failure(openai().complete(call({ stream: true, onDelta: (p) => pieces.push(p) })));
    expect(error.kind).toBe('OUTAGE');
    expect(pieces.length).toBeGreaterThan(0);
  });
});

describe('json_object mode (servers without JSON Schema support)', () => {
  it('asks for a JSON object and puts the schema into the system message, after the task’s instructions', async () => {
    const answer = await openai({ structuredOutput: 'json_object' }).complete(call());
    const body = lastBody();
    expect(body.response_format).toEqual({ type: 'json_object' });
    const messages = body.messages as { role: string; content: string }[];
    expect(messages).toHaveLength(2);
    expect(messages[0]?.role).toBe('system');
    expect(messages[0]?.content.startsWith(MESSAGES[0]?.content ?? '')).toBe(true);
    expect(messages[0]?.content).toContain('JSON');
    expect(messages[0]?.content).toContain(JSON.stringify(draftSchema.jsonSchema));
    expect(messages[1]).toEqual(MESSAGES[1]);
    // The fake reads the schema out of the system message, as a model would follow it.
    draftZod.parse(JSON.parse(answer.text));
  });

  it('adds a system message for the schema when the call has none', async () => {
    await openai({ structuredOutput: 'json_object' }).complete(call({ messages: [{ role: 'user', content: 'Write a post.' }] }));
    const messages = lastBody().messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toContain('"hashtags"');
  });
});

describe('a key-less local server (Ollama, vLLM, llama.cpp, LM Studio)', () => {
  it('is called without an Authorization header, and answers', async () => {
    const ollama = openAiCompatibleProvider({ id: 'ollama', baseUrl: `${local.server.url}/v1`, model: 'llama3.1', service: SERVICE, breaker: BREAKER });
    const pieces: string[] = [];
    const answer = await ollama.complete(call({ stream: true, onDelta: (p) => pieces.push(p) }));
    const [request] = local.server.received('/v1/chat/completions');
    expect(request?.headers.authorization).toBeUndefined();
    expect(answer.model).toBe('llama3.1');
    expect(pieces.join('')).toBe(answer.text);
    draftZod.parse(JSON.parse(answer.text));
  });

  it('names a model the server does not have as INVALID_REQUEST', async () => {
    const error = await failure(openAiCompatibleProvider({ id: 'ollama', baseUrl: `${local.server.url}/v1`, model: 'mistral', service: SERVICE, breaker: BREAKER }).complete(call()));
    expect(error.kind).toBe('INVALID_REQUEST');
    expect(error.details).toMatchObject({ status: 404, providerCode: 'model_not_found' });
  });
});

describe('errors', () => {
  it('maps a wrong key to AUTH, without the key in the message', async () => {
    const error = await failure(openai({ apiKey: 'sk-proj-wrongwrongwrongwrong1234' }).complete(call()));
    expect(error.kind).toBe('AUTH');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ status: 401, providerCode: 'invalid_api_key' });
    expect(error.message).not.toContain('wrongwrong');
    expect((await failure(openai({ apiKey: undefined }).complete(call()))).kind).toBe('AUTH');
  });

  it('maps a revoked key (every token expired) to AUTH', async () => {
    fake.server.fault({ kind: 'expired_token' });
    expect((await failure(openai().complete(call()))).kind).toBe('AUTH');
  });

  it('maps 429 to RATE_LIMITED with the retry-after wait', async () => {
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 7, times: 1 });
    const error = await failure(openai().complete(call()));
    expect(error.kind).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 7, providerCode: 'rate_limit_exceeded' });
  });

  it('reads the wait from retry-after-ms, or from the reset duration of the exhausted limit', async () => {
    const limited = (headers: Record<string, string>, type = 'requests') => ({ error: { status: 429, type, code: 'rate_limit_exceeded', message: 'Rate limit reached.' }, headers });
    fake.script(
      limited({ 'retry-after-ms': '1500' }),
      limited({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-remaining-tokens': '90000', 'x-ratelimit-reset-tokens': '20ms' }, 'unknown'),
      limited({ 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-reset-tokens': '1m30.5s' }, 'tokens'),
      limited({ 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-reset-tokens': '1h0m0s' }, 'unknown'),
    );
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 4; i += 1) waits.push((await failure(openai().complete(call()))).details.retryAfterSeconds);
    expect(waits).toEqual([1.5, 360, 90.5, 3600]);
  });

  it('maps insufficient_quota to AUTH: a 429 that no wait cures', async () => {
    fake.script({
      error: {
        status: 429,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
        message: 'You exceeded your current quota, please check your plan and billing details.',
      },
    });
    const error = await failure(openai().complete(call()));
    expect(error.kind).toBe('AUTH');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ status: 429, providerCode: 'insufficient_quota' });
    expect(error.details.retryAfterSeconds).toBeUndefined();
  });

  it('maps a prompt beyond the context window to INVALID_REQUEST (context_length_exceeded)', async () => {
    const huge = 'word '.repeat(110_000);
    const error = await failure(openai().complete(call({ messages: [MESSAGES[0]!, { role: 'user', content: huge }] })));
    expect(error.kind).toBe('INVALID_REQUEST');
    expect(error.details).toMatchObject({ status: 400, providerCode: 'context_length_exceeded' });
    expect(error.message).toContain('maximum context length');
  });

  it('maps a schema strict mode refuses (an optional property) to INVALID_REQUEST', async () => {
    const loose = z.object({ title: z.string(), subtitle: z.string().optional() });
    const schema = { name: 'loose', description: 'optional field', zod: loose, jsonSchema: z.toJSONSchema(loose) as Record<string, unknown> };
    const error = await failure(openai().complete(call({ schema })));
    expect(error.kind).toBe('INVALID_REQUEST');
    expect(error.message).toContain("Missing 'subtitle'");
  });

  it('maps 5xx to OUTAGE, JSON or not', async () => {
    fake.server.fault({ kind: 'fail', status: 500, times: 1 });
    const error = await failure(openai().complete(call()));
    expect(error).toMatchObject({ kind: 'OUTAGE', details: { status: 500, providerCode: 'server_error' } });
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    expect((await failure(openai().complete(call()))).message).toContain('overloaded');
    fake.script({ error: { status: 502, type: 'server_error', message: 'Bad gateway' } });
    expect((await failure(openai().complete(call()))).kind).toBe('OUTAGE');
  });

  it('maps a server that cannot be reached to OUTAGE', async () => {
    const gone = openAiFake();
    await gone.server.start();
    const url = gone.server.url;
    await gone.server.stop();
    const error = await failure(openAiCompatibleProvider({ id: 'gone', baseUrl: `${url}/v1`, model: 'm', service: SERVICE, breaker: BREAKER }).complete(call()));
    expect(error.kind).toBe('OUTAGE');
  });
});

describe('a hung server', () => {
  it('is abandoned when the caller’s signal aborts', async () => {
    fake.server.fault({ kind: 'hang' });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);
    await expect(openai().complete(call({ signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.server.received('/v1/chat/completions')).toHaveLength(1);
  });
});
