/**
 * The chat-completions adapter: OpenAI itself and every server that speaks its API (Ollama, vLLM, the llama.cpp
 * server, LM Studio, ...), at `POST {baseUrl}/chat/completions`.
 *
 * - Structured output: `response_format: { type: 'json_schema', json_schema: { name, description, schema, strict } }`
 *   by default; `structuredOutput: 'json_object'` for servers without JSON Schema support sends
 *   `{ type: 'json_object' }` and puts the schema into the system message instead (OpenAI also requires the word
 *   "JSON" in the messages in that mode: the instruction has it).
 * - Max tokens: OpenAI's current name is `max_completion_tokens` (its reasoning models refuse `max_tokens`), while
 *   the compatible servers know `max_tokens` (some know only it, and a few strict APIs refuse an unknown field).
 *   So one of them is sent, never both: `max_completion_tokens` for the provider id 'openai' and for OpenAI's and
 *   Azure's hosts, `max_tokens` for any other server; `maxTokensField` overrides the choice.
 * - The key goes in `Authorization: Bearer` only when there is one: local servers need none.
 * - Streaming: `stream: true` with `stream_options: { include_usage: true }`; the SSE chunks' `delta.content` go to
 *   `onDelta` as they arrive, the last chunk before `data: [DONE]` carries the usage.
 * - Errors (`{ error: { message, type, code, param } }`): 401/403 → AUTH; 429 → RATE_LIMITED with the wait from
 *   `retry-after-ms`, `retry-after`, or else the `x-ratelimit-reset-requests`/`-tokens` durations ("1s", "6m0s",
 *   "20ms"); but a 429 with `insufficient_quota` is AUTH: the account has no credit or hit its spending limit, which
 *   no wait cures (someone has to change billing), so like a revoked key the provider is out until its configuration
 *   changes and the generator moves on at once instead of retrying; 408/409 and 5xx → OUTAGE (OpenAI's own clients
 *   retry those too); 400 `context_length_exceeded` and other 4xx → INVALID_REQUEST.
 * - The answer: a `refusal` (OpenAI's structured-output refusal) or `finish_reason: 'content_filter'` is
 *   INVALID_REQUEST, not INVALID_OUTPUT: the model declined this request's content, and asking it again with a
 *   validation error would not change its mind (the generator tries the next provider at once). `finish_reason:
 *   'length'` is INVALID_OUTPUT (cut off) unless the text still parses as JSON. A code fence around the JSON (some
 *   local models add one in json_object mode) is removed.
 *
 * One call, no retries: the generator retries and falls back.
 */
import type { BreakerSettings } from '@umt/infra';
import { AiProviderError, type AiFailureKind } from '../errors';
import type { ChatMessage, ModelProvider, ProviderAnswer, ProviderCall } from '../types';
import { kindOfStatus, postJson, readSse, retryAfterSeconds, type ProviderEndpoint } from './transport';

export interface OpenAiCompatibleOptions {
  /** The provider id: 'openai', 'ollama', ... (its breaker is 'ai:<id>'). */
  id: string;
  /** e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM). */
  baseUrl: string;
  /** Sent as a Bearer token when given; local servers need none. */
  apiKey?: string;
  model: string;
  /** The service making the calls (owner of the breaker). */
  service: string;
  /** OpenAI's `OpenAI-Organization` header. */
  organization?: string;
  /** 'json_schema' (default) or 'json_object' for servers that lack JSON Schema support. */
  structuredOutput?: 'json_schema' | 'json_object';
  /** Which max-tokens parameter to send (default: see the file comment). */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  breaker?: Partial<BreakerSettings>;
}

interface OpenAiErrorBody {
  message?: string;
  type?: string;
  code?: string | number | null;
  param?: string | null;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** How long a non-streamed answer's body may take once its headers arrived (the breaker times only the headers). */
const BODY_TIMEOUT_MS = 60_000;

export function openAiCompatibleProvider(options: OpenAiCompatibleOptions): ModelProvider {
  const id = options.id;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const endpoint: ProviderEndpoint = { provider: id, service: options.service, breaker: options.breaker };
  const structured = options.structuredOutput ?? 'json_schema';
  const maxTokensField = options.maxTokensField ?? (id === 'openai' || isOpenAiHost(options.baseUrl) ? 'max_completion_tokens' : 'max_tokens');
  const bodyTimeoutMs = Math.max(BODY_TIMEOUT_MS, options.breaker?.timeoutMs ?? 0);

  const fail = (kind: AiFailureKind, message: string, details: AiProviderError['details'] = {}) => new AiProviderError(id, kind, message, details);

  function requestBody(call: ProviderCall): Record<string, unknown> {
    const schema = call.schema;
    const messages = structured === 'json_object' ? withSchemaInstruction(call.messages, schema) : call.messages;
    const body: Record<string, unknown> = {
      model: options.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      [maxTokensField]: call.maxTokens,
      temperature: call.temperature,
      response_format:
        structured === 'json_object'
          ? { type: 'json_object' }
          : { type: 'json_schema', json_schema: { name: schemaName(schema.name), description: schema.description, schema: schema.jsonSchema, strict: true } },
      stream: call.stream,
    };
    if (call.stream) body.stream_options = { include_usage: true };
    return body;
  }

  function classify(status: number, body: unknown, headers: Headers): AiProviderError {
    const error = errorOf(body);
    const code = error.code === null || error.code === undefined ? undefined : String(error.code);
    const providerCode = code ?? error.type;
    const message = redact(`${status}${providerCode ? ` ${providerCode}` : ''}: ${error.message ?? 'no error message'}`);
    const details = { status, providerCode };
    if (code === 'insufficient_quota' || error.type === 'insufficient_quota') {
      return fail('AUTH', `${message} (the account is out of credit or over its spending limit: not retried, billing has to change)`, details);
    }
    if (status === 429) return fail('RATE_LIMITED', message, { ...details, retryAfterSeconds: rateLimitWait(headers, error.type) });
    if (code === 'context_length_exceeded' || code === 'string_above_max_length') return fail('INVALID_REQUEST', message, details);
    if (code === 'invalid_api_key') return fail('AUTH', message, details);
    if (status === 408 || status === 409) return fail('OUTAGE', message, details);
    return fail(kindOfStatus(status), message, details);
  }

  /** The error a failure while reading the answer becomes: the caller's abort as is, anything else an outage. */
  function readFailure(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return signal.reason ?? error;
    if (error instanceof AiProviderError) return error;
    return fail('OUTAGE', 'the answer broke off before it was complete');
  }

  async function readWhole(response: Response, signal: AbortSignal): Promise<ProviderAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(fail('OUTAGE', `the answer's body did not arrive within ${bodyTimeoutMs} ms`)), bodyTimeoutMs);
      timer.unref();
    });
    let text: string;
    try {
      text = await Promise.race([response.text(), stalled]);
    } catch (error) {
      await response.body?.cancel().catch(() => undefined);
      throw readFailure(error, signal);
    } finally {
      clearTimeout(timer);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed)) throw fail('OUTAGE', 'the API answered with something that is not a JSON object');
    const body = parsed;
    if (isObject(body.error)) throw classifyInline(body.error);
    const choice = firstChoice(body.choices);
    const message = isObject(choice?.message) ? choice.message : {};
    return finish({
      text: typeof message.content === 'string' ? message.content : '',
      refusal: typeof message.refusal === 'string' ? message.refusal : '',
      finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined,
      usage: isObject(body.usage) ? body.usage : undefined,
      model: typeof body.model === 'string' && body.model ? body.model : options.model,
    });
  }

  async function readStream(response: Response, call: ProviderCall): Promise<ProviderAnswer> {
    let text = '';
    let refusal = '';
    let finishReason: string | undefined;
    let usage: Usage | undefined;
    let model = options.model;
    let done = false;
    try {
      for await (const event of readSse(response, id)) {
        const data = event.data.trim();
        if (data === '[DONE]') {
          done = true;
          break;
        }
        let chunk: Record<string, unknown>;
        try {
          chunk = JSON.parse(data) as Record<string, unknown>;
        } catch {
          continue; // not a chunk (a server's keep-alive or notice)
        }
        if (!isObject(chunk)) continue;
        if (isObject(chunk.error)) throw classifyInline(chunk.error);
        if (typeof chunk.model === 'string' && chunk.model) model = chunk.model;
        if (isObject(chunk.usage)) usage = chunk.usage;
        const choice = firstChoice(chunk.choices);
        if (!choice) continue;
        const delta = isObject(choice.delta) ? choice.delta : {};
        if (typeof delta.content === 'string' && delta.content) {
          text += delta.content;
          call.onDelta?.(delta.content);
        }
        if (typeof delta.refusal === 'string') refusal += delta.refusal;
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
      }
    } catch (error) {
      throw readFailure(error, call.signal);
    }
    if (!done && finishReason === undefined) throw fail('OUTAGE', 'the stream ended before the answer was complete');
    return finish({ text, refusal, finishReason, usage, model });
  }

  /** An error object inside a 200 answer (a stream that failed midway): classified by its type. */
  function classifyInline(error: Record<string, unknown>): AiProviderError {
    const type = typeof error.type === 'string' ? error.type : '';
    const code = typeof error.code === 'string' ? error.code : '';
    const status = code === 'rate_limit_exceeded' || type === 'tokens' || type === 'requests' ? 429 : type === 'invalid_request_error' ? 400 : 500;
    return classify(status, { error }, new Headers());
  }

  function finish(answer: { text: string; refusal: string; finishReason?: string; usage?: Usage; model: string }): ProviderAnswer {
    const finishReason = answer.finishReason ?? 'stop';
    if (answer.refusal.trim()) {
      throw fail('INVALID_REQUEST', `the model refused the request: ${answer.refusal.trim()}`, { providerCode: 'refusal' });
    }
    if (finishReason === 'content_filter') {
      throw fail('INVALID_REQUEST', 'the answer was withheld by the content filter', { providerCode: 'content_filter' });
    }
    const text = unfence(answer.text);
    if (!text) throw fail('INVALID_OUTPUT', `the answer is empty (finish_reason ${finishReason})`, { providerCode: finishReason });
    if (finishReason === 'length' && !parses(text)) {
      throw fail('INVALID_OUTPUT', 'the answer was cut off at the max tokens limit before its JSON was complete', { providerCode: 'length' });
    }
    const usage = answer.usage;
    return {
      text,
      model: answer.model,
      usage:
        usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number'
          ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }
          : undefined,
      finishReason,
    };
  }

  return {
    id,
    model: options.model,
    async complete(call: ProviderCall): Promise<ProviderAnswer> {
      const headers: Record<string, string> = {};
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      if (options.organization) headers['openai-organization'] = options.organization;
      if (call.stream) headers.accept = 'text/event-stream';
      const response = await postJson(endpoint, { url, headers, body: requestBody(call), signal: call.signal }, classify);
      return call.stream ? readStream(response, call) : readWhole(response, call.signal);
    },
  };
}

function isOpenAiHost(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'api.openai.com' || host.endsWith('.openai.azure.com');
  } catch {
    return false;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function firstChoice(choices: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(choices)) return undefined;
  const choice: unknown = choices[0];
  return isObject(choice) ? choice : undefined;
}

/** OpenAI's error object, or what a compatible server sends instead (`{ error: "text" }`, `{ message }`, plain text). */
function errorOf(body: unknown): OpenAiErrorBody {
  if (isObject(body)) {
    if (isObject(body.error)) return body.error;
    if (typeof body.error === 'string') return { message: body.error };
    if (typeof body.message === 'string') return { message: body.message };
  }
  if (typeof body === 'string' && body.trim()) return { message: body.trim().slice(0, 300) };
  return {};
}

/** Keys never reach a message, even masked ones from OpenAI's "Incorrect API key provided: sk-...". */
function redact(message: string): string {
  return message.replace(/\b(sk-[A-Za-z0-9_*.-]{2})[A-Za-z0-9_*.-]+/g, '$1…');
}

/** The `json_schema.name` OpenAI accepts: [a-zA-Z0-9_-], at most 64 characters. */
function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'output';
}

/** json_object mode: the schema goes into the (first) system message, after the task's own instructions. */
function withSchemaInstruction(messages: ChatMessage[], schema: ProviderCall['schema']): ChatMessage[] {
  const instruction =
    `Answer with one JSON object and nothing else: no prose, no code fence. The object must conform to this JSON Schema ` +
    `("${schema.name}": ${schema.description}):\n${JSON.stringify(schema.jsonSchema)}`;
  const first = messages[0];
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...messages.slice(1)];
  return [{ role: 'system', content: instruction }, ...messages];
}

function unfence(text: string): string {
  return text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * How long a 429 says to wait: `retry-after-ms`, `retry-after`, else OpenAI's reset durations: the one for the limit
 * that was hit (the error's type 'requests' or 'tokens', else the one with nothing remaining), else the longer one.
 */
function rateLimitWait(headers: Headers, type?: string): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? '');
  if (headers.get('retry-after-ms') && Number.isFinite(ms)) return Math.max(0, ms / 1000);
  const retryAfter = retryAfterSeconds(headers);
  if (retryAfter !== undefined) return retryAfter;
  const limits = ['requests', 'tokens'] as const;
  const reset = (limit: string) => parseDuration(headers.get(`x-ratelimit-reset-${limit}`) ?? '');
  if (type === 'requests' || type === 'tokens') {
    const wait = reset(type);
    if (wait !== undefined) return wait;
  }
  const exhausted = limits.filter((l) => headers.get(`x-ratelimit-remaining-${l}`) === '0').map(reset).filter((w): w is number => w !== undefined);
  const candidates = exhausted.length > 0 ? exhausted : limits.map(reset).filter((w): w is number => w !== undefined);
  return candidates.length > 0 ? Math.max(...candidates) : undefined;
}

/** Go-style durations as OpenAI sends them ("1s", "6m0s", "20ms", "1h2m3.5s"), or plain seconds; in seconds. */
function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(text);
  if (!match) return undefined;
  const [, h, m, s, ms] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0) + Number(ms ?? 0) / 1000;
}
