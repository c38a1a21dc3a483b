/**
 * One generation: the task's messages sent to the configured providers in order, until one answers with output that
 * matches the task's schema.
 *
 * - A provider whose breaker is open is skipped at once (its call fails fast with DEPENDENCY_UNAVAILABLE).
 * - RATE_LIMITED and OUTAGE are retried on the same provider with exponential backoff (honouring retry-after up to
 *   `maxRetryWaitMs`), `retries` times; then, or on AUTH and INVALID_REQUEST at once, the next provider is tried.
 * - Output that does not parse or fails the schema is sent back once with the validation errors; a second failure
 *   fails the generation with AI_INVALID_OUTPUT (another provider is not asked: the task itself may be at fault).
 * - With no provider configured, the offline generator answers (marked offline).
 * Every call has a deadline (the breaker's timeout) and the caller's signal: a generation never hangs.
 */
import { DependencyUnavailableError } from '@umt/infra';
import { AiProviderError, AiUnavailableError, InvalidOutputError } from './errors';
import { countMessageTokens, countTokens } from './tokens';
import type { ChatMessage, ModelProvider, OutputSchema, TokenUsage } from './types';

export interface GenerationRequest<T> {
  /** The task's name and prompt version, stored with the result. */
  task: string;
  promptVersion: string;
  messages: ChatMessage[];
  schema: OutputSchema<T>;
  maxTokens?: number;
  temperature?: number;
  /** Streams where the provider can, reporting the characters received so far. */
  onProgress?: (receivedCharacters: number) => void;
  signal?: AbortSignal;
  /** Runs before each call to a model provider (not the offline generator); throwing stops the generation, no call made. */
  beforeCall?: (provider: { id: string; model: string }) => Promise<void>;
}

/** One provider call, successful or not: what cost accounting records. */
export interface CallRecord {
  provider: string;
  model: string;
  usage: TokenUsage;
  outcome: 'success' | 'invalid_output' | 'failed';
  error?: string;
}

export interface GenerationResult<T> {
  output: T;
  provider: string;
  model: string;
  task: string;
  promptVersion: string;
  /** Produced by the offline generator, not by a model. */
  offline: boolean;
  /** Usage of the successful call. */
  usage: TokenUsage;
  /** Every call made, failed ones included (they may cost too). */
  calls: CallRecord[];
}

export interface GeneratorOptions {
  /** In order of preference; empty means offline only. */
  providers: ModelProvider[];
  /** Answers when no provider is configured. */
  offline: ModelProvider;
  retries?: number;
  /** First backoff pause; it doubles each retry (with jitter). */
  backoffMs?: number;
  /** A retry-after longer than this moves on to the next provider instead of waiting. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }, { once: true });
  });

export class Generator {
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxRetryWaitMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: GeneratorOptions) {
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get offlineOnly(): boolean {
    return this.options.providers.length === 0;
  }

  /** The providers asked, in order, with their models (the offline generator when none is configured). */
  get chain(): { id: string; model: string }[] {
    const providers = this.offlineOnly ? [this.options.offline] : this.options.providers;
    return providers.map((p) => ({ id: p.id, model: p.model }));
  }

  async generate<T>(request: GenerationRequest<T>): Promise<GenerationResult<T>> {
    const calls: CallRecord[] = [];
    const failures: { provider: string; error: string }[] = [];
    const providers = this.offlineOnly ? [this.options.offline] : this.options.providers;
    for (const provider of providers) {
      try {
        return await this.withProvider(provider, request, calls);
      } catch (error) {
        if (error instanceof InvalidOutputError) throw Object.assign(error, { calls });
        if (!(error instanceof AiProviderError || error instanceof DependencyUnavailableError)) throw error;
        failures.push({ provider: provider.id, error: error instanceof DependencyUnavailableError ? 'circuit open or timed out' : error.kind.toLowerCase() });
        request.signal?.throwIfAborted();
      }
    }
    throw Object.assign(new AiUnavailableError(failures), { calls });
  }

  /** Retries on one provider, and the one retry with the validation errors. */
  private async withProvider<T>(provider: ModelProvider, request: GenerationRequest<T>, calls: CallRecord[]): Promise<GenerationResult<T>> {
    let messages = request.messages;
    for (let validationRound = 0; ; validationRound++) {
      const { text, model, usage } = await this.callWithRetries(provider, request, messages, calls);
      const checked = parseOutput(request.schema, text);
      if (checked.ok) {
        calls.push({ provider: provider.id, model, usage, outcome: 'success' });
        return {
          output: checked.value,
          provider: provider.id,
          model,
          task: request.task,
          promptVersion: request.promptVersion,
          offline: provider === this.options.offline,
          usage,
          calls,
        };
      }
      calls.push({ provider: provider.id, model, usage, outcome: 'invalid_output', error: checked.problems.join('; ') });
      if (validationRound >= 1) throw new InvalidOutputError(provider.id, checked.problems);
      // The answer and what is wrong with it go back as conversation, never into the instructions.
      messages = [
        ...request.messages,
        { role: 'assistant', content: text.slice(0, 20_000) },
        {
          role: 'user',
          content: `That answer does not match the required output schema "${request.schema.name}": ${checked.problems.slice(0, 10).join('; ')}. Answer again with output that matches the schema exactly.`,
        },
      ];
    }
  }

  private async callWithRetries<T>(provider: ModelProvider, request: GenerationRequest<T>, messages: ChatMessage[], calls: CallRecord[]) {
    for (let attempt = 0; ; attempt++) {
      const signal = request.signal ?? new AbortController().signal;
      let received = 0;
      if (provider !== this.options.offline) await request.beforeCall?.({ id: provider.id, model: provider.model });
      try {
        const answer = await provider.complete({
          messages,
          schema: request.schema,
          maxTokens: request.maxTokens ?? 2_000,
          temperature: request.temperature ?? 0.4,
          stream: Boolean(request.onProgress),
          onDelta: request.onProgress
            ? (piece) => {
                received += piece.length;
                request.onProgress?.(received);
              }
            : undefined,
          signal,
        });
        const usage: TokenUsage = answer.usage
          ? { ...answer.usage, estimated: false }
          : { inputTokens: countMessageTokens(messages), outputTokens: countTokens(answer.text), estimated: true };
        return { text: answer.text, model: answer.model, usage };
      } catch (error) {
        if (error instanceof AiProviderError) {
          calls.push({ provider: provider.id, model: provider.model, usage: { inputTokens: 0, outputTokens: 0, estimated: true }, outcome: 'failed', error: error.kind });
          const wait = error.details.retryAfterSeconds !== undefined ? error.details.retryAfterSeconds * 1000 : this.backoffMs * 2 ** attempt * (1 + Math.random() / 2);
          if (!error.retryable || attempt >= this.retries || wait > this.maxRetryWaitMs) throw error;
          await this.sleep(wait, request.signal);
          continue;
        }
        throw error;
      }
    }
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** The answer's JSON checked against the task's schema (a code fence around it is tolerated). */
export function parseOutput<T>(schema: OutputSchema<T>, text: string): Parsed<T> {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch {
    return { ok: false, problems: ['the answer is not valid JSON'] };
  }
  const result = schema.zod.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
