/**
 * The Anthropic Messages adapter against the fake Anthropic API (a real HTTP server on loopback): the request it
 * sends (path, headers, the system prompt as a top-level field, alternating messages, the forced output tool), the
 * tool input read back as the output with its usage, streamed and not, and every documented error shape, the
 * mid-stream error event, a max_tokens cut-off and a hung API mapped to what the generator acts on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { AiProviderError, anthropicProvider, type ChatMessage, type ModelProvider, type OutputSchema, type ProviderCall } from '@umt/ai';
import { anthropicFake, type AnthropicErrorType, type AnthropicFake, type FakeAnthropicCall } from '@umt/fakes';
import { releaseBreakers } from '@umt/infra';
import { z } from 'zod';
import { rejection } from '@umt/test-support';

const SERVICE = 'test-ai-anthropic';
const MODEL = 'claude-sonnet-4-5';
// Never opens in this file: outages are ordered on purpose here, one after another.
const BREAKER = { minimumCalls: 10_000 };

const draft = z.object({
  headline: z.string().min(1).max(80),
  points: z.array(z.string().min(1)).min(2).max(5),
  tone: z.enum(['friendly', 'formal', 'playful']),
  score: z.number().int().min(1).max(10),
  meta: z.object({ final: z.boolean(), channel: z.string() }),
});
const schema: OutputSchema<unknown> = {
  name: 'content_draft',
  description: 'A draft of a post: its headline, its points and its tone.',
  zod: draft,
  jsonSchema: z.toJSONSchema(draft),
};
const scriptedDraft = { headline: 'Spring launch', points: ['New colours', 'Same price'], tone: 'friendly', score: 7, meta: { final: false, channel: 'linkedin' } };

let fake: AnthropicFake;
let provider: ModelProvider;

const messages: ChatMessage[] = [
  { role: 'system', content: 'You write marketing copy.' },
  { role: 'system', content: 'Answer with the content_draft tool.' },
  { role: 'user', content: 'Brand: Acme.' },
  { role: 'user', content: 'Topic: the spring launch.' },
];
const call = (overrides: Partial<ProviderCall> = {}): ProviderCall => ({
  messages,
  schema,
  maxTokens: 1024,
  temperature: 0.3,
  stream: false,
  signal: AbortSignal.timeout(10_000),
  ...overrides,
});

const adapter = (overrides: Partial<Parameters<typeof anthropicProvider>[0]> = {}) =>
  anthropicProvider({ baseUrl: fake.env().AI_ANTHROPIC_BASE_URL ?? '', apiKey: fake.env().AI_ANTHROPIC_API_KEY ?? '', model: MODEL, service: SERVICE, breaker: BREAKER, ...overrides });

const failure = (call: Promise<unknown>): Promise<AiProviderError> => rejection(call, AiProviderError);

const lastRequest = () => {
  const requests = fake.server.received('/v1/messages', 'POST');
  const request = requests[requests.length - 1];
  if (!request) throw new Error('no request reached the fake');
  return request;
};

beforeAll(async () => {
  fake = anthropicFake();
  await fake.server.start();
  provider = adapter();
});

afterEach(() => {
  fake.server.reset();
  fake.server.clearRequests();
});

afterAll(async () => {
  releaseBreakers(SERVICE);
  await fake.server.stop();
});

describe('the request', () => {
  it('posts to /v1/messages with the key, the API version and JSON', async () => {
    await provider.complete(call());
    const request = lastRequest();
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(fake.env().AI_ANTHROPIC_API_KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(provider.id).toBe('anthropic');
    expect(provider.model).toBe(MODEL);
  });

  it('sends the system prompt as a top-level field, merged turns, and the schema as the one forced tool', async () => {
    await provider.complete(call());
    const body = lastRequest().body as Record<string, unknown>;
    expect(body).toEqual({
      model: MODEL,
      max_tokens: 1024,
      temperature: 0.3,
      system: 'You write marketing copy.\n\nAnswer with the content_draft tool.',
      messages: [{ role: 'user', content: 'Brand: Acme.\n\nTopic: the spring launch.' }],
      tools: [{ name: 'content_draft', description: schema.description, input_schema: schema.jsonSchema }],
      tool_choice: { type: 'tool', name: 'content_draft' },
      stream: false,
    });
  });

  it('keeps user and assistant turns alternating, leaves out empty ones, and keeps temperature within 0..1', async () => {
    await provider.complete(
      call({
        temperature: 1.4,
        messages: [
          { role: 'user', content: 'First.' },
          { role: 'system', content: 'Late instruction.' },
          { role: 'user', content: 'Second.' },
          { role: 'assistant', content: 'An earlier answer.' },
          { role: 'assistant', content: '   ' },
          { role: 'user', content: 'Please fix it.' },
        ],
      }),
    );
    const body = lastRequest().body as Record<string, unknown>;
    expect(body.system).toBe('Late instruction.');
    expect(body.temperature).toBe(1);
    expect(body.messages).toEqual([
      { role: 'user', content: 'First.\n\nSecond.' },
      { role: 'assistant', content: 'An earlier answer.' },
      { role: 'user', content: 'Please fix it.' },
    ]);
  });

  it('accepts a base URL given with /v1 or a trailing slash', async () => {
    const answer = await adapter({ baseUrl: `${fake.server.url}/v1/` }).complete(call());
    expect(answer.finishReason).toBe('tool_use');
    expect(lastRequest().path).toBe('/v1/messages');
  });

  it('refuses, without a request, a conversation that does not start with the user, or a missing key', async () => {
    const error = await failure(provider.complete(call({ messages: [{ role: 'system', content: 'x' }, { role: 'assistant', content: 'y' }] })));
    expect(error.kind).toBe('INVALID_REQUEST');
    const noKey = await failure(adapter({ apiKey: '' }).complete(call()));
    expect(noKey.kind).toBe('AUTH');
    expect(fake.server.received('/v1/messages')).toHaveLength(0);
  });
});

describe('the answer', () => {
  it('is the tool call’s input as JSON, with the usage, the model and the stop reason', async () => {
    fake.script({ input: scriptedDraft });
    const answer = await provider.complete(call());
    expect(answer.text).toBe(JSON.stringify(scriptedDraft));
    expect(answer.model).toBe(MODEL);
    expect(answer.finishReason).toBe('tool_use');
    expect(answer.usage?.inputTokens).toBeGreaterThan(10);
    expect(answer.usage?.outputTokens).toBe(Math.ceil(JSON.stringify(scriptedDraft).length / 4));
  });

  it('is, unscripted, a sample of the tool’s input schema that the zod schema accepts', async () => {
    const answer = await provider.complete(call());
    expect(draft.safeParse(JSON.parse(answer.text)).success).toBe(true);
    const [kept] = fake.store.get('messages') as FakeAnthropicCall[];
    expect(kept?.tool).toBe('content_draft');
  });

  it('is passed on as it came when it breaks the schema (the generator checks it)', async () => {
    fake.script({ input: { headline: 42 } });
    const answer = await provider.complete(call());
    expect(JSON.parse(answer.text)).toEqual({ headline: 42 });
  });

  it('is streamed: onDelta gets the input_json_delta pieces, which join to the JSON', async () => {
    fake.script({ input: scriptedDraft });
    const pieces: string[] = [];
    const answer = await provider.complete(call({ stream: true, onDelta: (piece) => pieces.push(piece) }));
    const request = lastRequest();
    expect((request.body as Record<string, unknown>).stream).toBe(true);
    expect(request.headers.accept).toBe('text/event-stream');
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(answer.text);
    expect(JSON.parse(answer.text)).toEqual(scriptedDraft);
    expect(answer.finishReason).toBe('tool_use');
    expect(answer.model).toBe(MODEL);
    expect(answer.usage?.inputTokens).toBeGreaterThan(10);
    expect(answer.usage?.outputTokens).toBe(Math.ceil(JSON.stringify(scriptedDraft).length / 4));
  });

  it('is streamed unscripted too, as a sample the zod schema accepts', async () => {
    const pieces: string[] = [];
    const answer = await provider.complete(call({ stream: true, onDelta: (piece) => pieces.push(piece) }));
    expect(pieces.join('')).toBe(answer.text);
    expect(draft.safeParse(JSON.parse(answer.text)).success).toBe(true);
  });

  it('cut off at max_tokens is invalid output, streamed or not', async () => {
    fake.script({ input: scriptedDraft, stopReason: 'max_tokens' });
    const scripted = await failure(provider.complete(call()));
    expect(scripted.kind).toBe('INVALID_OUTPUT');
    expect(scripted.details.providerCode).toBe('max_tokens');
    // Too few tokens for the answer: the fake stops where the model would.
    const streamed = await failure(provider.complete(call({ stream: true, maxTokens: 5 })));
    expect(streamed.kind).toBe('INVALID_OUTPUT');
    expect(streamed.details.providerCode).toBe('max_tokens');
    expect(streamed.retryable).toBe(false);
  });

  it('without a tool call (a refusal) is invalid output', async () => {
    fake.script({ text: 'I cannot help with that.', stopReason: 'refusal' }, { text: 'Nor with that.', stopReason: 'refusal' });
    const plain = await failure(provider.complete(call()));
    expect(plain.kind).toBe('INVALID_OUTPUT');
    expect(plain.details.providerCode).toBe('refusal');
    const streamed = await failure(provider.complete(call({ stream: true })));
    expect(streamed.kind).toBe('INVALID_OUTPUT');
  });
});

describe('errors', () => {
  const cases: [AnthropicErrorType, string, number][] = [
    ['authentication_error', 'AUTH', 401],
    ['permission_error', 'AUTH', 403],
    ['rate_limit_error', 'RATE_LIMITED', 429],
    ['overloaded_error', 'OUTAGE', 529],
    ['api_error', 'OUTAGE', 500],
    ['invalid_request_error', 'INVALID_REQUEST', 400],
    ['not_found_error', 'INVALID_REQUEST', 404],
    ['request_too_large', 'INVALID_REQUEST', 413],
  ];

  it.each(cases)('%s becomes %s (status %i)', async (type, kind, status) => {
    fake.script({ error: type, ...(type === 'rate_limit_error' ? { retryAfterSeconds: 7 } : {}) });
    const error = await failure(provider.complete(call()));
    expect(error.kind).toBe(kind);
    expect(error.details.status).toBe(status);
    expect(error.details.providerCode).toBe(type);
    expect(error.provider).toBe('anthropic');
    if (type === 'rate_limit_error') expect(error.details.retryAfterSeconds).toBe(7);
    expect(error.retryable).toBe(kind === 'RATE_LIMITED' || kind === 'OUTAGE');
  });

  it('reads retry-after from a rate limit answered with the fake’s fault, and a 529 overload from its fault', async () => {
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 3, times: 1 });
    const limited = await failure(provider.complete(call()));
    expect(limited.kind).toBe('RATE_LIMITED');
    expect(limited.details.retryAfterSeconds).toBe(3);
    fake.server.fault({ kind: 'fail', status: 529, times: 1 });
    const overloaded = await failure(provider.complete(call({ stream: true })));
    expect(overloaded.kind).toBe('OUTAGE');
    expect(overloaded.details.providerCode).toBe('overloaded_error');
  });

  it('a wrong key is AUTH, an unknown model INVALID_REQUEST, as the fake answers them', async () => {
    const wrongKey = await failure(adapter({ apiKey: 'sk-ant-wrong' }).complete(call()));
    expect(wrongKey.kind).toBe('AUTH');
    expect(wrongKey.message).toContain('invalid x-api-key');
    const unknownModel = await failure(adapter({ model: 'gpt-4o' }).complete(call()));
    expect(unknownModel.kind).toBe('INVALID_REQUEST');
    expect(unknownModel.details.providerCode).toBe('not_found_error');
  });

  it('an error event in the middle of a stream is an outage, after the first pieces', async () => {
    fake.script({ input: scriptedDraft }, { error: 'overloaded_error', midStream: true });
    const whole = await provider.complete(call({ stream: true }));
    const pieces: string[] = [];
    const error = await failure(provider.complete(call({ stream: true, onDelta: (piece) => pieces.push(piece) })));
    expect(error.kind).toBe('OUTAGE');
    expect(error.details.providerCode).toBe('overloaded_error');
    expect(error.details.status).toBeUndefined();
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces.join('').length).toBeLessThan(whole.text.length);
  });

  it('a hung API is aborted by the caller’s signal', async () => {
    fake.server.fault({ kind: 'hang', times: 1 });
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 150).unref();
    await expect(provider.complete(call({ signal: controller.signal }))).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.server.received('/v1/messages')).toHaveLength(1);
  });
});

describe('the fake refuses what the API refuses', () => {
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${fake.server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': fake.env().AI_ANTHROPIC_API_KEY ?? '', 'anthropic-version': '2023-06-01', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { type: string; error: { type: string; message: string } } };
  };
  const valid = {
    model: MODEL,
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Hi' }],
    tools: [{ name: 'out', input_schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } }],
    tool_choice: { type: 'tool', name: 'out' },
  };

  it.each([
    ['a system role in messages', { ...valid, messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'Hi' }] }, /messages\.0\.role/],
    ['turns that do not alternate', { ...valid, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }, /alternate/],
    ['a first turn by the assistant', { ...valid, messages: [{ role: 'assistant', content: 'a' }] }, /first message/],
    ['no max_tokens', { ...valid, max_tokens: undefined }, /max_tokens: Field required/],
    ['a fractional max_tokens', { ...valid, max_tokens: 10.5 }, /max_tokens/],
    ['a tool_choice naming no given tool', { ...valid, tool_choice: { type: 'tool', name: 'other' } }, /tool_choice\.name/],
    ['an input_schema that is not an object schema', { ...valid, tools: [{ name: 'out', input_schema: { type: 'array' } }] }, /input_schema\.type/],
    ['a temperature above 1', { ...valid, temperature: 1.5 }, /temperature/],
    ['an OpenAI field', { ...valid, response_format: { type: 'json_object' } }, /response_format: Extra inputs/],
  ])('%s', async (_name, body, message) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('error');
    expect(answer.body.error.type).toBe('invalid_request_error');
    expect(answer.body.error.message).toMatch(message);
  });

  it('a missing anthropic-version header, and a missing key', async () => {
    const noVersion = await post(valid, { 'anthropic-version': '' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toMatch(/anthropic-version/);
    const noKey = await post(valid, { 'x-api-key': '' });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error.type).toBe('authentication_error');
  });

  it('answers a valid request with the forced tool’s input, matching its schema', async () => {
    const answer = (await post(valid)) as unknown as { status: number; body: { content: { type: string; name: string; input: { a: unknown } }[]; stop_reason: string } };
    expect(answer.status).toBe(200);
    expect(answer.body.stop_reason).toBe('tool_use');
    expect(answer.body.content[0]?.type).toBe('tool_use');
    expect(answer.body.content[0]?.name).toBe('out');
    expect(typeof answer.body.content[0]?.input.a).toBe('string');
  });
});
