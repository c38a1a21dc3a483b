/**
 * A fake Anthropic Messages API: `POST /v1/messages`, streamed or not. It checks what the API checks: the
 * `x-api-key` and `anthropic-version` headers, the model, an integer `max_tokens`, messages that start with the user
 * and alternate (the system prompt is a top-level field, never a message), temperature within 0..1, the tools'
 * names and object `input_schema`s, and a `tool_choice` that names a tool it was given. Errors are Anthropic's
 * `{ type: 'error', error: { type, message } }` with the documented statuses (529 for overloaded).
 *
 * It answers with a call of the chosen tool whose input is generated from the tool's `input_schema` (the same
 * request count gives the same sample), or with what the test scripted (`fake.script(...)`): an input as given (one
 * that breaks the schema, too), a text answer, or an error, before the response or in the middle of a stream.
 * Streams are the real event sequence: message_start, content_block_start, ping, input_json_delta pieces,
 * content_block_stop, message_delta, message_stop. An answer longer than `max_tokens` (about four characters a
 * token) is cut off there with stop_reason max_tokens, as the model would be.
 */
import { randomBytes } from 'node:crypto';
import { keep, type FakeProvider } from '../fake-provider';
import { FakeServer, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';
import { sampleFromSchema } from '../json-schema-sample';

/** The key the sandbox accepts (not a secret). */
export const ANTHROPIC_FAKE_KEY = 'sk-ant-sandbox-0123456789abcdef';
const VERSIONS = ['2023-06-01', '2023-01-01'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOP_LEVEL_FIELDS = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
  'service_tier',
]);

/** Anthropic's error types and the status each comes with. */
export const ANTHROPIC_ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
} as const;
export type AnthropicErrorType = keyof typeof ANTHROPIC_ERROR_STATUS;

const DEFAULT_MESSAGES: Record<AnthropicErrorType, string> = {
  invalid_request_error: 'There was an issue with the format or content of your request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'This request would exceed the rate limit for your organization. Please retry later.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

/** What the next valid request is answered with, instead of a sample of the tool's schema. */
export type AnthropicScript =
  /** A call of the tool with this input, as given (it may break the schema); stop_reason 'tool_use' unless told. */
  | { input: unknown; stopReason?: string }
  /** A text answer and no tool call (a refusal, say); stop_reason 'end_turn' unless told. */
  | { text: string; stopReason?: string }
  /**
   * An error: the HTTP answer of its type's status (or `status`), with `retry-after` when given; with `midStream`,
   * a streamed request gets a 200 and the error event after the first pieces of the tool input.
   */
  | { error: AnthropicErrorType; status?: number; message?: string; retryAfterSeconds?: number; midStream?: boolean };

export interface AnthropicFake extends FakeProvider {
  /** Queues answers for the next valid requests, in order (a server reset forgets them). */
  script(...answers: AnthropicScript[]): void;
  /** How many scripted answers are still queued. */
  scripted(): number;
}

export interface FakeAnthropicCall {
  model: string;
  tool?: string;
  stream: boolean;
  /** The tool input or text answered (whole, even when the answer was cut off). */
  answer: unknown;
  stopReason: string;
  at: Date;
}

const requestId = () => `req_${randomBytes(12).toString('hex')}`;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** About four characters a token, at least one. */
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** Anthropic's error answer. */
export function anthropicErrorReply(type: AnthropicErrorType, message?: string, status?: number, retryAfterSeconds?: number): FakeReply {
  const id = requestId();
  return {
    status: status ?? ANTHROPIC_ERROR_STATUS[type],
    headers: { 'request-id': id, ...(retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {}) },
    body: { type: 'error', error: { type, message: message ?? DEFAULT_MESSAGES[type] }, request_id: id },
  };
}

function typeOfStatus(status: number): AnthropicErrorType {
  const known = (Object.entries(ANTHROPIC_ERROR_STATUS) as [AnthropicErrorType, number][]).find(([, s]) => s === status);
  if (known) return known[0];
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

function errorShape(kind: FaultKind, status: number): FakeReply {
  if (kind === 'expired_token') return anthropicErrorReply('authentication_error', 'invalid x-api-key', 401);
  if (kind === 'rate_limit') return anthropicErrorReply('rate_limit_error', undefined, 429);
  return anthropicErrorReply(typeOfStatus(status), undefined, status);
}

/** Refuses a request with a 400 invalid_request_error. */
const invalid = (message: string) => anthropicErrorReply('invalid_request_error', message);

interface Tool {
  name: string;
  input_schema: Record<string, unknown>;
}

/** The first thing wrong with a Messages request, as the API words it, or nothing. */
function problemOf(body: Record<string, unknown>): string | undefined {
  for (const field of Object.keys(body)) if (!TOP_LEVEL_FIELDS.has(field)) return `${field}: Extra inputs are not permitted`;
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) return 'max_tokens: Input should be a valid integer';
  if (body.max_tokens < 1) return 'max_tokens: Input should be greater than or equal to 1';
  if (body.temperature !== undefined && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 1)) {
    return 'temperature: Input should be a number between 0 and 1';
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream: Input should be a valid boolean';
  if (body.system !== undefined && typeof body.system !== 'string') {
    if (!Array.isArray(body.system) || !body.system.every((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string')) {
      return 'system: Input should be a valid string or a list of text blocks';
    }
  }
  const messages = messagesProblem(body.messages);
  if (messages) return messages;
  return toolsProblem(body.tools, body.tool_choice);
}

function messagesProblem(messages: unknown): string | undefined {
  if (messages === undefined) return 'messages: Field required';
  if (!Array.isArray(messages)) return 'messages: Input should be a valid list';
  if (messages.length === 0) return 'messages: at least one message is required';
  let previous: string | undefined;
  for (const [i, message] of messages.entries()) {
    if (!isObject(message)) return `messages.${i}: Input should be a valid dictionary`;
    const { role, content } = message;
    if (role === 'system') {
      return `messages.${i}.role: Input should be 'user' or 'assistant' (the system prompt is the top-level "system" field, not a message)`;
    }
    if (role !== 'user' && role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (i === 0 && role !== 'user') return 'messages: first message must use the "user" role';
    if (role === previous) return `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`;
    previous = role;
    const last = i === messages.length - 1 && role === 'assistant';
    if (typeof content === 'string') {
      if (!content.trim() && !last) return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    } else if (Array.isArray(content)) {
      if (content.length === 0 && !last) return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
      for (const [j, block] of content.entries()) {
        if (!isObject(block) || typeof block.type !== 'string') return `messages.${i}.content.${j}.type: Field required`;
        if (block.type === 'text' && (typeof block.text !== 'string' || !block.text)) return `messages.${i}.content.${j}.text: text content blocks must be non-empty`;
      }
    } else {
      return `messages.${i}.content: Input should be a valid string or a list of content blocks`;
    }
  }
  return undefined;
}

function toolsProblem(tools: unknown, choice: unknown): string | undefined {
  const names = new Set<string>();
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    for (const [i, tool] of tools.entries()) {
      if (!isObject(tool)) return `tools.${i}: Input should be a valid dictionary`;
      if (typeof tool.name !== 'string') return `tools.${i}.name: Field required`;
      if (!TOOL_NAME.test(tool.name)) return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
      if (names.has(tool.name)) return 'tools: Tool names must be unique.';
      names.add(tool.name);
      if (tool.description !== undefined && typeof tool.description !== 'string') return `tools.${i}.description: Input should be a valid string`;
      if (tool.input_schema === undefined) return `tools.${i}.input_schema: Field required`;
      if (!isObject(tool.input_schema)) return `tools.${i}.input_schema: Input should be a valid dictionary`;
      if (tool.input_schema.type !== 'object') return `tools.${i}.input_schema.type: Input should be 'object'`;
    }
  }
  if (choice === undefined) return undefined;
  if (!isObject(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice.type))) {
    return "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'";
  }
  if (names.size === 0 && choice.type !== 'none') return 'tool_choice: may only be specified while providing tools';
  if (choice.type === 'tool') {
    if (typeof choice.name !== 'string') return 'tool_choice.name: Field required';
    if (!names.has(choice.name)) return `tool_choice.name: there is no tool named '${choice.name}' among the tools provided`;
  }
  return undefined;
}

/** The JSON of a tool input in pieces, as input_json_delta sends it: an empty piece first, then a few characters each. */
function pieces(json: string): string[] {
  const size = Math.min(24, Math.max(1, Math.ceil(json.length / 6)));
  const result = [''];
  for (let i = 0; i < json.length; i += size) result.push(json.slice(i, i + size));
  return result;
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function anthropicFake(options: { apiKey?: string } = {}): AnthropicFake {
  const apiKey = options.apiKey ?? ANTHROPIC_FAKE_KEY;
  const queue: AnthropicScript[] = [];

  /** Its reset also forgets the scripted answers. */
  class AnthropicServer extends FakeServer {
    override reset(): void {
      super.reset();
      queue.length = 0;
    }
  }

  const server = new AnthropicServer('anthropic', errorShape);
  const store = new Map<string, unknown[]>();
  let calls = 0;
  const provider: AnthropicFake = {
    id: 'anthropic',
    server,
    store,
    env: () => ({ AI_ANTHROPIC_BASE_URL: server.url, AI_ANTHROPIC_API_KEY: apiKey }),
    credentials: { apiKey },
    script: (...answers) => void queue.push(...answers),
    scripted: () => queue.length,
  };

  function authenticate(request: RecordedRequest): FakeReply | undefined {
    const key = request.headers['x-api-key'];
    if (!key) return anthropicErrorReply('authentication_error', 'x-api-key header is required');
    if (key !== apiKey || server.tokensExpired) return anthropicErrorReply('authentication_error', 'invalid x-api-key');
    const version = request.headers['anthropic-version'];
    if (!version) return invalid('anthropic-version: header is required');
    if (!VERSIONS.includes(version)) return invalid(`anthropic-version: "${version}" is not a valid version`);
    return undefined;
  }

  server.route('POST', '/v1/messages', (request) => {
    const refused = authenticate(request);
    if (refused) return refused;
    if (!isObject(request.body)) return invalid('There was an issue with the format of your request: the body must be a JSON object');
    const body = request.body;
    const problem = problemOf(body);
    if (problem) return invalid(problem);
    const model = body.model as string;
    if (!model.startsWith('claude-')) return anthropicErrorReply('not_found_error', `model: ${model}`);

    const tools = (Array.isArray(body.tools) ? body.tools : []) as Tool[];
    const choice = isObject(body.tool_choice) ? body.tool_choice : { type: 'auto' };
    const tool = choice.type === 'none' ? undefined : choice.type === 'tool' ? tools.find((t) => t.name === choice.name) : tools[0];
    const stream = body.stream === true;
    const maxTokens = body.max_tokens as number;
    const inputTokens = tokens(JSON.stringify([body.system ?? '', body.messages, body.tools ?? []]));
    calls += 1;

    const scripted = queue.shift();
    if (scripted && 'error' in scripted && !(scripted.midStream && stream)) {
      return anthropicErrorReply(scripted.error, scripted.message, scripted.status, scripted.retryAfterSeconds);
    }
    let answer: { kind: 'tool'; input: unknown } | { kind: 'text'; text: string };
    if (scripted && 'input' in scripted) answer = { kind: 'tool', input: scripted.input };
    else if (scripted && 'text' in scripted) answer = { kind: 'text', text: scripted.text };
    else if (tool) answer = { kind: 'tool', input: sampleFromSchema(tool.input_schema, calls) };
    else answer = { kind: 'text', text: 'This is the sandbox model: it answers tool calls with samples of their schemas.' };

    const whole = answer.kind === 'tool' ? JSON.stringify(answer.input) : answer.text;
    const toolName = tool?.name ?? tools[0]?.name ?? 'output';
    let stopReason = scripted && !('error' in scripted) && scripted.stopReason ? scripted.stopReason : answer.kind === 'tool' ? 'tool_use' : 'end_turn';
    let outputTokens = tokens(whole);
    // Longer than max_tokens allows: cut off there (a scripted 'max_tokens' stop, halfway).
    let sent = whole;
    if (stopReason === 'max_tokens') sent = whole.slice(0, Math.floor(whole.length / 2));
    else if (outputTokens > maxTokens) {
      stopReason = 'max_tokens';
      sent = whole.slice(0, maxTokens * 4);
    }
    if (stopReason === 'max_tokens') outputTokens = Math.min(outputTokens, maxTokens);
    keep<FakeAnthropicCall>(provider, 'messages', { model, tool: answer.kind === 'tool' ? toolName : undefined, stream, answer: answer.kind === 'tool' ? answer.input : answer.text, stopReason, at: new Date() });

    const id = `msg_${randomBytes(12).toString('hex')}`;
    const toolUseId = `toolu_${randomBytes(12).toString('hex')}`;
    const usage = { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens };
    const headers = { 'request-id': requestId() };

    if (!stream) {
      const cut = sent !== whole;
      const content =
        answer.kind === 'tool'
          ? [{ type: 'tool_use', id: toolUseId, name: toolName, input: cut ? {} : answer.input }]
          : [{ type: 'text', text: sent }];
      return { status: 200, headers, body: { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage } };
    }

    const events: string[] = [
      sse('message_start', {
        type: 'message_start',
        message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
      }),
      sse('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: answer.kind === 'tool' ? { type: 'tool_use', id: toolUseId, name: toolName, input: {} } : { type: 'text', text: '' },
      }),
      sse('ping', { type: 'ping' }),
    ];
    const parts = pieces(sent);
    const failing = scripted && 'error' in scripted ? scripted : undefined;
    for (const part of failing ? parts.slice(0, Math.ceil(parts.length / 2)) : parts) {
      const delta = answer.kind === 'tool' ? { type: 'input_json_delta', partial_json: part } : { type: 'text_delta', text: part };
      if (answer.kind === 'text' && !part) continue;
      events.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta }));
    }
    if (failing) {
      events.push(sse('error', { type: 'error', error: { type: failing.error, message: failing.message ?? DEFAULT_MESSAGES[failing.error] } }));
    } else {
      events.push(
        sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
        sse('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }),
        sse('message_stop', { type: 'message_stop' }),
      );
    }
    return { status: 200, headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }, body: events.join('') };
  });

  return provider;
}
