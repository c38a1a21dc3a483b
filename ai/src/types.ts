/**
 * The shapes every part of the AI layer agrees on: what a provider is asked (messages, an output schema), what it
 * answers (text, usage), and what a generation returns (a validated output, with who produced it and at what cost).
 */
import type { z } from 'zod';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Token counts of one call: from the provider's answer, or estimated with a tokenizer when it gives none. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
}

/** The structured output a task expects: its zod schema (the check) and the JSON Schema sent to the provider. */
export interface OutputSchema<T> {
  /** A short identifier, [a-zA-Z0-9_-], e.g. 'content_draft' (OpenAI's json_schema name, Anthropic's tool name). */
  name: string;
  description: string;
  zod: z.ZodType<T>;
  /** JSON Schema (draft 2020-12 subset: objects with required properties, no additional properties). */
  jsonSchema: Record<string, unknown>;
}

/** One call to one provider. */
export interface ProviderCall {
  /** Instructions first (role system), then the user-supplied data in its own message(s), never mixed. */
  messages: ChatMessage[];
  schema: OutputSchema<unknown>;
  maxTokens: number;
  temperature: number;
  /** Stream the answer (where the provider offers it); `onDelta` gets each piece of text as it arrives. */
  stream: boolean;
  onDelta?: (text: string) => void;
  signal: AbortSignal;
}

export interface ProviderAnswer {
  /** The structured output as JSON text (from the content, or the tool call's input for Anthropic). */
  text: string;
  model: string;
  usage?: { inputTokens: number; outputTokens: number };
  /** Why the provider stopped: 'stop', 'length' (cut off), 'tool_use', ... as the provider says it. */
  finishReason: string;
}

/** A chat model behind an API: one adapter per API (OpenAI-compatible chat completions, Anthropic Messages). */
export interface ModelProvider {
  /** e.g. 'openai', 'anthropic', 'ollama': names its breaker ('ai:<id>') and its usage records. */
  readonly id: string;
  readonly model: string;
  /** Makes one call (no retries: the generator retries); throws AiProviderError. */
  complete(call: ProviderCall): Promise<ProviderAnswer>;
}
