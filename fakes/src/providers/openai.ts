/**
 * A fake OpenAI Chat Completions API (`POST /v1/chat/completions`, and `GET /v1/models`), as OpenAI and the
 * compatible servers (Ollama, vLLM, llama.cpp, LM Studio) serve it at `<base>/v1`.
 *
 * It checks what OpenAI checks: the Bearer key (unless the fake is keyless, like a local server), a JSON body with no
 * unknown parameters, the model (when the fake serves one model only), `messages` (a non-empty array of
 * { role, content }), `max_completion_tokens`/`max_tokens` (integers within the model's output limit), `temperature`
 * (0 to 2), `stream_options` only with `stream`, `response_format` (`text`, `json_object`, which needs the word "json"
 * in the messages, or `json_schema` with a `name` of [a-zA-Z0-9_-] and a `schema`; with `strict: true` the schema
 * must be an object whose every object has `additionalProperties: false` and lists every property as required), and
 * the context window (128k tokens, prompt plus max tokens). Errors are OpenAI's `{ error: { message, type, param,
 * code } }`.
 *
 * It answers with JSON that conforms to the schema it was sent (json_schema; in json_object mode, the schema found in
 * the system message), or with what a test scripted (`script(...)`: a text, an object, a refusal, an error, a stream
 * that breaks off). An answer longer than max tokens is cut there with `finish_reason: 'length'`, as a model's is.
 * Streamed answers are SSE chunks: the role, the content in several deltas, the finish reason, the usage chunk when
 * `stream_options.include_usage`, then `data: [DONE]`. Usage is estimated (about four characters a token) and kept in
 * the store ('usage'), with every answer ('completions').
 */
import { randomBytes } from 'node:crypto';
import { keep, type FakeProvider } from '../fake-provider';
import { FakeServer, type Fault, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';
import { sampleFromSchema } from '../json-schema-sample';

/** The key the sandbox account accepts (a sandbox value, not a secret). */
export const OPENAI_FAKE_KEY = 'sk-umt-sandbox-openai-0000000000000000';
export const OPENAI_FAKE_MODEL = 'gpt-4o-mini';
const CONTEXT_TOKENS = 128_000;
const OUTPUT_TOKENS = 16_384;
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const KNOWN_PARAMETERS = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stream', 'stream_options', 'stop',
  'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'seed', 'response_format',
  'tools', 'tool_choice', 'parallel_tool_calls', 'service_tier', 'store', 'metadata', 'reasoning_effort', 'modalities',
  'prediction', 'audio', 'web_search_options', 'verbosity', 'prompt_cache_key', 'safety_identifier',
]);

/** What a test can order as the next answer(s), in place of the generated one. */
export type OpenAiScript =
  /** This content as is (e.g. invalid JSON); `cutStream` ends a streamed answer without finish reason or [DONE]. */
  | { text: string; finishReason?: string; omitUsage?: boolean; cutStream?: boolean }
  /** This value as the JSON content. */
  | { object: unknown; finishReason?: string; omitUsage?: boolean; cutStream?: boolean }
  /** A structured-output refusal (`message.refusal`, no content). */
  | { refusal: string }
  /** An error answer in OpenAI's shape, with its status and headers. */
  | { error: { status: number; message?: string; type?: string; code?: string | null; param?: string | null }; headers?: Record<string, string> };

export interface OpenAiFake extends FakeProvider {
  /** Queues answers: each valid chat completion request takes the next one; when none is left, answers are generated. */
  script(...answers: OpenAiScript[]): void;
  /** Scripted answers not yet used. */
  readonly pending: number;
}

export interface OpenAiUsageRecord {
  id: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  stream: boolean;
  at: string;
}

export interface OpenAiCompletionRecord {
  id: string;
  model: string;
  content: string | null;
  refusal: string | null;
  finish_reason: string;
  response_format: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** OpenAI's error answer. */
export function openAiError(status: number, message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null, headers?: Record<string, string>): FakeReply {
  return { status, headers, body: { error: { message, type, param, code } } };
}

/** Roughly four characters a token, as OpenAI's guidance estimates for English text. */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** The largest JSON object in the text that looks like a JSON Schema (json_object mode: the schema in the prompt). */
function schemaInText(text: string): Record<string, unknown> | undefined {
  const source = text.slice(0, 100_000);
  let best: { schema: Record<string, unknown>; size: number } | undefined;
  for (let start = source.indexOf('{'); start >= 0; start = source.indexOf('{', start + 1)) {
    const end = matchingBrace(source, start);
    if (end < 0) continue;
    try {
      const value: unknown = JSON.parse(source.slice(start, end + 1));
      if (isObject(value) && (isObject(value.properties) || typeof value.type === 'string') && (!best || end + 1 - start > best.size)) {
        best = { schema: value, size: end + 1 - start };
        start = end; // its inner objects are smaller
      }
    } catch {
      // not JSON: the next brace
    }
  }
  return best?.schema;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** What strict structured outputs refuse in a schema, in OpenAI's words (the first problem, or undefined). */
function strictSchemaProblem(name: string, schema: Record<string, unknown>): string | undefined {
  if (schema.type !== 'object') return `Invalid schema for response_format '${name}': schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type)}"'.`;
  const context = (path: string[]) => `(${path.map((p) => `'${p}'`).join(', ')}${path.length === 1 ? ',' : ''})`;
  const visit = (node: unknown, path: string[]): string | undefined => {
    if (!isObject(node)) return undefined;
    const properties = isObject(node.properties) ? node.properties : undefined;
    if (node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || properties) {
      if (node.additionalProperties !== false) {
        return `Invalid schema for response_format '${name}': In context=${context(path)}, 'additionalProperties' is required to be supplied and to be false.`;
      }
      const required = Array.isArray(node.required) ? node.required : [];
      const missing = Object.keys(properties ?? {}).find((key) => !required.includes(key));
      if (missing !== undefined) {
        return `Invalid schema for response_format '${name}': In context=${context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
      }
    }
    for (const [key, child] of Object.entries(properties ?? {})) {
      const problem = visit(child, [...path, 'properties', key]);
      if (problem) return problem;
    }
    for (const keyword of ['items', 'additionalItems']) {
      const problem = visit(node[keyword], [...path, keyword]);
      if (problem) return problem;
    }
    for (const keyword of ['anyOf', 'allOf', 'prefixItems']) {
      const list = node[keyword];
      if (!Array.isArray(list)) continue;
      for (const [i, child] of list.entries()) {
        const problem = visit(child, [...path, keyword, String(i)]);
        if (problem) return problem;
      }
    }
    for (const keyword of ['$defs', 'definitions']) {
      const defs = node[keyword];
      if (!isObject(defs)) continue;
      for (const [key, child] of Object.entries(defs)) {
        const problem = visit(child, [...path, keyword, key]);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  return visit(schema, []);
}

/** The request checked as OpenAI checks it: an error answer, or nothing. */
function validate(body: Record<string, unknown>, servedModel: string | undefined): FakeReply | undefined {
  const unknown = Object.keys(body).find((key) => !KNOWN_PARAMETERS.has(key));
  if (unknown !== undefined) return openAiError(400, `Unrecognized request argument supplied: ${unknown}`);
  if (typeof body.model !== 'string' || !body.model) return openAiError(400, 'you must provide a model parameter');
  if (servedModel && body.model !== servedModel) {
    return openAiError(404, `The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
  }
  if (body.messages === undefined) return openAiError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages');
  if (!Array.isArray(body.messages)) return openAiError(400, "Invalid type for 'messages': expected an array, but got " + typeof body.messages + ' instead.', 'invalid_request_error', 'invalid_type', 'messages');
  if (body.messages.length === 0) return openAiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'invalid_request_error', 'empty_array', 'messages');
  for (const [i, message] of (body.messages as unknown[]).entries()) {
    const param = `messages[${i}]`;
    if (!isObject(message)) return openAiError(400, `Invalid type for '${param}': expected an object, but got ${typeof message} instead.`, 'invalid_request_error', 'invalid_type', param);
    if (typeof message.role !== 'string') return openAiError(400, `Missing required parameter: '${param}.role'.`, 'invalid_request_error', 'missing_required_parameter', `${param}.role`);
    if (!ROLES.includes(message.role)) {
      return openAiError(400, `Invalid value: '${message.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, 'invalid_request_error', 'invalid_value', `${param}.role`);
    }
    const content = message.content;
    if (content === undefined && message.role !== 'assistant') return openAiError(400, `Missing required parameter: '${param}.content'.`, 'invalid_request_error', 'missing_required_parameter', `${param}.content`);
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return openAiError(400, `Invalid type for '${param}.content': expected one of a string or array of objects, but got ${typeof content} instead.`, 'invalid_request_error', 'invalid_type', `${param}.content`);
    }
  }
  for (const key of ['max_completion_tokens', 'max_tokens']) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return openAiError(400, `Invalid type for '${key}': expected an integer, but got ${typeof value === 'number' ? 'a decimal number' : typeof value} instead.`, 'invalid_request_error', 'invalid_type', key);
    }
    if (value < 1) return openAiError(400, `Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`, 'invalid_request_error', 'integer_below_min_value', key);
    if (value > OUTPUT_TOKENS) {
      return openAiError(400, `${key} is too large: ${value}. This model supports at most ${OUTPUT_TOKENS} completion tokens, whereas you provided ${value}.`, 'invalid_request_error', 'invalid_value', key);
    }
  }
  if (body.temperature !== undefined && body.temperature !== null) {
    if (typeof body.temperature !== 'number') return openAiError(400, `Invalid type for 'temperature': expected a decimal, but got ${typeof body.temperature} instead.`, 'invalid_request_error', 'invalid_type', 'temperature');
    if (body.temperature < 0 || body.temperature > 2) {
      return openAiError(400, `Invalid 'temperature': decimal ${body.temperature < 0 ? 'below minimum' : 'above maximum'} value. Expected a value ${body.temperature < 0 ? '>= 0' : '<= 2'}, but got ${body.temperature} instead.`, 'invalid_request_error', body.temperature < 0 ? 'decimal_below_min_value' : 'decimal_above_max_value', 'temperature');
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return openAiError(400, `Invalid type for 'stream': expected a boolean, but got ${typeof body.stream} instead.`, 'invalid_request_error', 'invalid_type', 'stream');
  }
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return openAiError(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'invalid_request_error', null, 'stream_options');
  }
  const format = body.response_format;
  if (format !== undefined && format !== null) {
    if (!isObject(format)) return openAiError(400, `Invalid type for 'response_format': expected an object, but got ${typeof format} instead.`, 'invalid_request_error', 'invalid_type', 'response_format');
    if (format.type !== 'text' && format.type !== 'json_object' && format.type !== 'json_schema') {
      return openAiError(400, `Invalid value: '${String(format.type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, 'invalid_request_error', 'invalid_value', 'response_format.type');
    }
    if (format.type === 'json_object') {
      const mentionsJson = (body.messages as Record<string, unknown>[]).some((m) => /json/i.test(textOf(m.content)));
      if (!mentionsJson) return openAiError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'invalid_request_error', null, 'messages');
    }
    if (format.type === 'json_schema') {
      const spec = format.json_schema;
      if (!isObject(spec)) return openAiError(400, "Missing required parameter: 'response_format.json_schema'.", 'invalid_request_error', 'missing_required_parameter', 'response_format.json_schema');
      if (typeof spec.name !== 'string') return openAiError(400, "Missing required parameter: 'response_format.json_schema.name'.", 'invalid_request_error', 'missing_required_parameter', 'response_format.json_schema.name');
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
        return openAiError(400, "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", 'invalid_request_error', 'invalid_value', 'response_format.json_schema.name');
      }
      if (!isObject(spec.schema)) return openAiError(400, "Missing required parameter: 'response_format.json_schema.schema'.", 'invalid_request_error', 'missing_required_parameter', 'response_format.json_schema.schema');
      if (spec.strict === true) {
        const problem = strictSchemaProblem(spec.name, spec.schema);
        if (problem) return openAiError(400, problem, 'invalid_request_error', null, 'response_format');
      }
    }
  }
  const promptTokens = promptTokensOf(body);
  const maxTokens = maxTokensOf(body);
  if (promptTokens + maxTokens > CONTEXT_TOKENS) {
    return openAiError(
      400,
      `This model's maximum context length is ${CONTEXT_TOKENS} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
      'invalid_request_error',
      'context_length_exceeded',
      'messages',
    );
  }
  return undefined;
}

function promptTokensOf(body: Record<string, unknown>): number {
  return tokensOf((body.messages as Record<string, unknown>[]).map((m) => textOf(m.content)).join(''));
}

function maxTokensOf(body: Record<string, unknown>): number {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' ? value : 0;
}

export function openAiFake(options: { apiKey?: string; model?: string } = {}): OpenAiFake {
  /** '' makes the fake keyless, like a local server. */
  const apiKey = options.apiKey ?? OPENAI_FAKE_KEY;
  const servedModel = options.model;
  const script: OpenAiScript[] = [];

  const masked = (key: string) => (key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****');
  const invalidKey = (key: string) =>
    openAiError(401, `Incorrect API key provided: ${masked(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');

  function errorShape(kind: FaultKind, status: number, fault?: Fault): FakeReply {
    if (kind === 'expired_token' || status === 401) return invalidKey('sk-expired-key');
    if (kind === 'rate_limit' || status === 429) {
      const seconds = fault?.retryAfterSeconds ?? 1;
      return openAiError(
        429,
        `Rate limit reached for ${servedModel ?? OPENAI_FAKE_MODEL} in organization org-sandbox on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        'requests',
        'rate_limit_exceeded',
        null,
        { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': `${seconds}s` },
      );
    }
    if (kind === 'invalid') return openAiError(status, 'Invalid request: the fake was told to refuse it.', 'invalid_request_error');
    if (status === 503) return openAiError(503, 'The engine is currently overloaded, please try again later.', 'server_error');
    return openAiError(status, 'The server had an error while processing your request. Sorry about that!', 'server_error');
  }

  const server = new FakeServer('openai', errorShape);
  const store = new Map<string, unknown[]>();
  const provider: OpenAiFake = {
    id: 'openai',
    server,
    store,
    env: () => ({
      AI_OPENAI_BASE_URL: `${server.url}/v1`,
      ...(apiKey ? { AI_OPENAI_API_KEY: apiKey } : {}),
      AI_OPENAI_MODEL: servedModel ?? OPENAI_FAKE_MODEL,
    }),
    credentials: apiKey ? { apiKey } : undefined,
    script(...answers: OpenAiScript[]) {
      script.push(...answers);
    },
    get pending() {
      return script.length;
    },
  };

  function authenticate(request: RecordedRequest): FakeReply | undefined {
    if (!apiKey) return undefined;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return openAiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      );
    }
    if (match[1] !== apiKey || server.tokensExpired) return invalidKey(match[1]);
    return undefined;
  }

  /** The generated content: a sample of the requested schema, or a plain sentence for text answers. */
  function generated(body: Record<string, unknown>, seed: number): string {
    const format = isObject(body.response_format) ? body.response_format : { type: 'text' };
    if (format.type === 'json_schema' && isObject(format.json_schema) && isObject(format.json_schema.schema)) {
      return JSON.stringify(sampleFromSchema(format.json_schema.schema, seed));
    }
    if (format.type === 'json_object') {
      const instructions = (body.messages as Record<string, unknown>[])
        .filter((m) => m.role === 'system' || m.role === 'developer')
        .map((m) => textOf(m.content))
        .join('\n');
      const schema = schemaInText(instructions);
      return JSON.stringify(schema ? sampleFromSchema(schema, seed) : { answer: 'A sandbox answer from the fake OpenAI API.' });
    }
    return 'A sandbox answer from the fake OpenAI API.';
  }

  server.route('GET', '/v1/models', (request) => {
    const denied = authenticate(request);
    if (denied) return denied;
    const ids = servedModel ? [servedModel] : [OPENAI_FAKE_MODEL, 'gpt-4o', 'gpt-4.1-mini'];
    return { status: 200, body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'system' })) } };
  });

  server.route('POST', '/v1/chat/completions', (request) => {
    const denied = authenticate(request);
    if (denied) return denied;
    if (!isObject(request.body)) {
      return openAiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
    }
    const body = request.body;
    const invalid = validate(body, servedModel);
    if (invalid) return invalid;

    const scripted = script.shift();
    if (scripted && 'error' in scripted) {
      const e = scripted.error;
      return openAiError(e.status, e.message ?? 'Scripted error.', e.type ?? (e.status >= 500 ? 'server_error' : 'invalid_request_error'), e.code ?? null, e.param ?? null, scripted.headers);
    }

    const model = body.model as string;
    const seed = typeof body.seed === 'number' ? body.seed : hashOf(JSON.stringify(body.messages));
    const maxTokens = maxTokensOf(body) || OUTPUT_TOKENS;
    let content: string | null;
    let refusal: string | null = null;
    let finishReason = 'stop';
    if (scripted && 'refusal' in scripted) {
      content = null;
      refusal = scripted.refusal;
    } else {
      content = scripted && 'text' in scripted ? scripted.text : scripted && 'object' in scripted ? JSON.stringify(scripted.object) : generated(body, seed);
      if (scripted?.finishReason) finishReason = scripted.finishReason;
      else if (tokensOf(content) > maxTokens) {
        // A model stops at max tokens, mid-sentence or mid-JSON.
        content = content.slice(0, maxTokens * 4);
        finishReason = 'length';
      }
    }
    const omitUsage = Boolean(scripted && 'omitUsage' in scripted && scripted.omitUsage);
    const cutStream = Boolean(scripted && 'cutStream' in scripted && scripted.cutStream);

    const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: promptTokensOf(body),
      completion_tokens: tokensOf(content ?? refusal ?? ''),
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const stream = body.stream === true;
    keep<OpenAiUsageRecord>(provider, 'usage', { id, model, prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, stream, at: new Date().toISOString() });
    keep<OpenAiCompletionRecord>(provider, 'completions', {
      id,
      model,
      content,
      refusal,
      finish_reason: finishReason,
      response_format: isObject(body.response_format) ? String(body.response_format.type) : 'text',
    });
    const fingerprint = 'fp_sandbox01';

    if (!stream) {
      return {
        status: 200,
        body: {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal, annotations: [] }, logprobs: null, finish_reason: finishReason }],
          ...(omitUsage ? {} : { usage }),
          service_tier: 'default',
          system_fingerprint: fingerprint,
        },
      };
    }

    const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true && !omitUsage;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: fingerprint, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
    const text = content ?? refusal ?? '';
    const field = content === null ? 'refusal' : 'content';
    const size = Math.max(4, Math.ceil(text.length / 6));
    const events = [chunk([{ index: 0, delta: { role: 'assistant', content: content === null ? null : '', refusal: null }, logprobs: null, finish_reason: null }])];
    for (let at = 0; at < text.length; at += size) {
      events.push(chunk([{ index: 0, delta: { [field]: text.slice(at, at + size) }, logprobs: null, finish_reason: null }]));
    }
    if (!cutStream) {
      events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]));
      if (includeUsage) events.push(chunk([], { usage }));
      events.push('data: [DONE]\n\n');
    }
    return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }, body: events.join('') };
  });

  return provider;
}
