/**
 * The Anthropic Messages API adapter. Structured output is a forced tool call: the task's schema is the one tool's
 * `input_schema`, `tool_choice` names it, and the answer is that tool_use block's `input` (as JSON text). The system
 * prompt is a top-level field, and the messages alternate user/assistant as the API requires (consecutive messages
 * of one role are merged). Streamed answers come as Server-Sent Events whose `input_json_delta` pieces are the JSON
 * as it is written; an `error` event in the middle of a stream is an outage like a 529.
 *
 * One call, no retries (the generator retries); every failure is an AiProviderError of our kinds.
 */
import type { BreakerSettings } from '@umt/infra';
import { AiProviderError, type AiFailureKind } from '../errors';
import type { ChatMessage, ModelProvider, ProviderAnswer, ProviderCall } from '../types';
import { kindOfStatus, postJson, readSse, retryAfterSeconds, type ProviderEndpoint } from './transport';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_API_VERSION = '2023-06-01';

export interface AnthropicProviderOptions {
  /** The provider id (default 'anthropic'): names its breaker ('ai:<id>') and its errors; another for a second account. */
  id?: string;
  /** The API's root, without /v1 (a trailing /v1 is tolerated); empty means https://api.anthropic.com. */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** The service making the calls: the 'ai:anthropic' breaker belongs to it. */
  service: string;
  /** The `anthropic-version` header (default 2023-06-01). */
  version?: string;
  breaker?: Partial<BreakerSettings>;
  /** A stream that sends nothing for this long is an outage (default 30 s). */
  stallMs?: number;
}

/** Anthropic's error types (the `error.type` of an error body or a stream's error event) in our kinds. */
const KIND_OF_ERROR_TYPE: Record<string, AiFailureKind> = {
  authentication_error: 'AUTH',
  permission_error: 'AUTH',
  // No credit left: the key works again only once someone pays, like a revoked key.
  billing_error: 'AUTH',
  rate_limit_error: 'RATE_LIMITED',
  overloaded_error: 'OUTAGE',
  api_error: 'OUTAGE',
  timeout_error: 'OUTAGE',
  invalid_request_error: 'INVALID_REQUEST',
  not_found_error: 'INVALID_REQUEST',
  request_too_large: 'INVALID_REQUEST',
};

interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface AnthropicContentBlock {
  type?: string;
  name?: string;
  input?: unknown;
  text?: string;
}

interface AnthropicMessage {
  model?: string;
  content?: AnthropicContentBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
/** Every input token the call read: Anthropic counts cache writes and reads apart from `input_tokens`. */
const inputTokensOf = (usage: AnthropicUsage) => count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + count(usage.cache_read_input_tokens);

/** The error of an Anthropic error body (`{ type: 'error', error: { type, message } }`), or of a bare status. */
export function anthropicError(status: number | undefined, body: unknown, headers?: Headers, provider = 'anthropic'): AiProviderError {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : typeof body === 'string' && body.trim()
        ? body.trim().slice(0, 200)
        : `HTTP ${status ?? 'error'}`;
  let kind: AiFailureKind = (type ? KIND_OF_ERROR_TYPE[type] : undefined) ?? (status !== undefined ? kindOfStatus(status) : 'OUTAGE');
  // An exhausted credit balance comes as a 400 invalid_request_error: the provider is out until someone pays.
  if (type === 'invalid_request_error' && /credit balance/i.test(message)) kind = 'AUTH';
  const retryAfter = headers ? retryAfterSeconds(headers) : undefined;
  return new AiProviderError(provider, kind, `${type ?? `HTTP ${status ?? '?'}`}: ${message}`, {
    ...(status !== undefined ? { status } : {}),
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    ...(type ? { providerCode: type } : {}),
  });
}

/** The system messages (joined), and the others merged into the alternation the API requires. */
export function anthropicMessages(messages: ChatMessage[]): { system: string | undefined; messages: { role: 'user' | 'assistant'; content: string }[] } {
  const system = messages
    .filter((m) => m.role === 'system' && m.content.trim())
    .map((m) => m.content)
    .join('\n\n');
  const turns: { role: 'user' | 'assistant'; content: string }[] = [];
  for (const message of messages) {
    // The API refuses empty text; a system message is not a turn.
    if (message.role === 'system' || !message.content.trim()) continue;
    const last = turns[turns.length - 1];
    if (last?.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else turns.push({ role: message.role, content: message.content });
  }
  return { system: system || undefined, messages: turns };
}

function cutOff(provider: string, stopReason: string): AiProviderError {
  return new AiProviderError(provider, 'INVALID_OUTPUT', 'the answer was cut off at max_tokens before the output was complete', { providerCode: stopReason });
}

function noToolCall(provider: string, stopReason: string | null | undefined): AiProviderError {
  return new AiProviderError(provider, 'INVALID_OUTPUT', `the answer has no call of the output tool (stop_reason ${stopReason ?? 'none'})`, {
    ...(stopReason ? { providerCode: stopReason } : {}),
  });
}

export function anthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const PROVIDER = options.id ?? 'anthropic';
  const root = (options.baseUrl || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
  const url = `${root}/v1/messages`;
  const endpoint: ProviderEndpoint = { provider: PROVIDER, service: options.service, ...(options.breaker ? { breaker: options.breaker } : {}) };

  async function complete(call: ProviderCall): Promise<ProviderAnswer> {
    if (!options.apiKey) throw new AiProviderError(PROVIDER, 'AUTH', 'no API key is configured');
    const { system, messages } = anthropicMessages(call.messages);
    if (messages[0]?.role !== 'user') {
      throw new AiProviderError(PROVIDER, 'INVALID_REQUEST', 'the conversation must start with a user message');
    }
    const tool = call.schema.name;
    const body = {
      model: options.model,
      max_tokens: Math.max(1, Math.floor(call.maxTokens)),
      // Anthropic's temperature runs from 0 to 1 (OpenAI's to 2).
      temperature: Math.min(1, Math.max(0, call.temperature)),
      ...(system ? { system } : {}),
      messages,
      tools: [{ name: tool, description: call.schema.description, input_schema: call.schema.jsonSchema }],
      tool_choice: { type: 'tool', name: tool },
      stream: call.stream,
    };
    const response = await postJson(
      endpoint,
      {
        url,
        headers: {
          'x-api-key': options.apiKey,
          'anthropic-version': options.version ?? ANTHROPIC_API_VERSION,
          ...(call.stream ? { accept: 'text/event-stream' } : {}),
        },
        body,
        signal: call.signal,
      },
      (status, errorBody, headers) => anthropicError(status, errorBody, headers, PROVIDER),
    );
    const streamed = call.stream && (response.headers.get('content-type') ?? '').includes('text/event-stream');
    return streamed ? readStream(response, call, tool) : readMessage(response, call, tool);
  }

  async function readMessage(response: Response, call: ProviderCall, tool: string): Promise<ProviderAnswer> {
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason ?? error;
      throw new AiProviderError(PROVIDER, 'OUTAGE', 'the answer is not JSON', { status: response.status });
    }
    if (!isObject(parsed)) throw new AiProviderError(PROVIDER, 'OUTAGE', 'the answer is not a message', { status: response.status });
    const message = parsed as AnthropicMessage;
    const stopReason = typeof message.stop_reason === 'string' ? message.stop_reason : 'unknown';
    if (stopReason === 'max_tokens') throw cutOff(PROVIDER, stopReason);
    const blocks = (Array.isArray(message.content) ? message.content : []).filter((b) => isObject(b) && b.type === 'tool_use');
    // The forced tool's call (the first tool call, should the name ever differ).
    const block = blocks.find((b) => b.name === tool) ?? blocks[0];
    if (!block) throw noToolCall(PROVIDER, stopReason);
    const usage = isObject(message.usage) ? message.usage : undefined;
    return {
      text: JSON.stringify(block.input ?? {}),
      model: typeof message.model === 'string' && message.model ? message.model : options.model,
      ...(usage ? { usage: { inputTokens: inputTokensOf(usage), outputTokens: count(usage.output_tokens) } } : {}),
      finishReason: stopReason,
    };
  }

  async function readStream(response: Response, call: ProviderCall, tool: string): Promise<ProviderAnswer> {
    let model = options.model;
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    let stopReason: string | undefined;
    let toolIndex: number | undefined;
    let json = '';
    let stopped = false;

    for await (const sse of readSse(response, PROVIDER, options.stallMs)) {
      if (sse.event === 'ping' || !sse.data) continue;
      let data: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(sse.data);
        if (!isObject(parsed)) throw new Error('not an object');
        data = parsed;
      } catch {
        throw new AiProviderError(PROVIDER, 'OUTAGE', `the stream sent an event that is not JSON (${sse.event})`);
      }
      const type = typeof data.type === 'string' ? data.type : sse.event;
      if (type === 'error' || sse.event === 'error') throw anthropicError(undefined, data, undefined, PROVIDER);
      if (type === 'message_start' && isObject(data.message)) {
        const message = data.message as AnthropicMessage;
        if (typeof message.model === 'string' && message.model) model = message.model;
        if (isObject(message.usage)) {
          inputTokens = inputTokensOf(message.usage);
          outputTokens = count(message.usage.output_tokens);
        }
      } else if (type === 'content_block_start' && isObject(data.content_block)) {
        const block = data.content_block as AnthropicContentBlock;
        // The forced tool's block (the first tool_use, should the name ever differ).
        if (block.type === 'tool_use' && (toolIndex === undefined || block.name === tool)) {
          toolIndex = count(data.index);
          json = '';
        }
      } else if (type === 'content_block_delta' && isObject(data.delta)) {
        const delta = data.delta;
        if (delta.type === 'input_json_delta' && count(data.index) === toolIndex && typeof delta.partial_json === 'string') {
          json += delta.partial_json;
          if (delta.partial_json) call.onDelta?.(delta.partial_json);
        }
      } else if (type === 'message_delta') {
        if (isObject(data.delta) && typeof data.delta.stop_reason === 'string') stopReason = data.delta.stop_reason;
        if (isObject(data.usage)) {
          // Cumulative counts: the last one is the total.
          if (typeof data.usage.output_tokens === 'number') outputTokens = data.usage.output_tokens;
          if (typeof data.usage.input_tokens === 'number') inputTokens = inputTokensOf(data.usage);
        }
      } else if (type === 'message_stop') {
        stopped = true;
        break;
      }
    }

    if (!stopped) throw new AiProviderError(PROVIDER, 'OUTAGE', 'the stream ended before message_stop');
    if (stopReason === 'max_tokens') throw cutOff(PROVIDER, stopReason);
    if (toolIndex === undefined) throw noToolCall(PROVIDER, stopReason);
    return {
      // The pieces as they came (what onDelta saw, joined); a tool called without arguments is the empty object.
      text: json.trim() ? json : '{}',
      model,
      ...(inputTokens !== undefined || outputTokens !== undefined ? { usage: { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 } } : {}),
      finishReason: stopReason ?? 'unknown',
    };
  }

  return { id: PROVIDER, model: options.model, complete };
}
