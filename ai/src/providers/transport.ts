/**
 * How a model provider's adapter talks HTTP: behind the provider's circuit breaker ('ai:<id>'), the caller's signal
 * and the breaker's deadline both aborting the request, errors classified by status, and Server-Sent Events read
 * for streamed answers. The breaker times the wait for the answer's headers; a stream then runs under the caller's
 * signal and a stall deadline of its own (a stream that stops sending is an outage too).
 */
import { breakerFor, type BreakerSettings } from '@umt/infra';
import { AiProviderError, type AiFailureKind } from '../errors';

export interface ProviderEndpoint {
  /** The provider's id: its breaker is 'ai:<id>'. */
  provider: string;
  /** The service making the calls (the breaker and its metrics belong to it). */
  service: string;
  breaker?: Partial<BreakerSettings>;
}

/** The kind a status suggests (providers refine it from their error bodies). */
export function kindOfStatus(status: number): AiFailureKind {
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'OUTAGE'; // 529 is Anthropic's "overloaded"
  return 'INVALID_REQUEST';
}

export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * POSTs JSON and returns the response once its headers arrived with a 2xx status; any other status becomes an
 * AiProviderError through `classify` (given the parsed error body). Only outages count against the breaker.
 */
export async function postJson(
  endpoint: ProviderEndpoint,
  request: { url: string; headers: Record<string, string>; body: unknown; signal: AbortSignal },
  classify: (status: number, body: unknown, headers: Headers) => AiProviderError,
): Promise<Response> {
  const breaker = breakerFor({
    service: endpoint.service,
    name: `ai:${endpoint.provider}`,
    kind: 'AI',
    dependency: `the ${endpoint.provider} model API`,
    settings: { timeoutMs: 60_000, ...endpoint.breaker },
    isFailure: (error) => !(error instanceof AiProviderError) || error.kind === 'OUTAGE',
  });
  return breaker.call(async (deadline) => {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...request.headers },
        body: JSON.stringify(request.body),
        signal: AbortSignal.any([deadline, request.signal]),
      });
    } catch (error) {
      if (deadline.aborted || request.signal.aborted) throw (deadline.aborted ? deadline.reason : request.signal.reason) ?? error;
      throw new AiProviderError(endpoint.provider, 'OUTAGE', 'the API could not be reached');
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    throw classify(response.status, body, response.headers);
  });
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The events of a text/event-stream body, in order. A stream that sends nothing for `stallMs` is aborted as an
 * outage, so a hung provider never hangs a generation.
 */
export async function* readSse(response: Response, provider: string, stallMs = 30_000): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new AiProviderError(provider, 'OUTAGE', `the stream sent nothing for ${stallMs} ms`)), stallMs);
        timer.unref();
      });
      const chunk: { done: boolean; value?: Uint8Array } = await Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let boundary: number;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
        }
        if (data.length > 0 || event !== 'message') yield { event, data: data.join('\n') };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
