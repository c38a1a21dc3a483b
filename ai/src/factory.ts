import type { BreakerSettings } from '@umt/infra';
import { readAiProviders, type AiProviderConfig } from './config';
import { Generator, type GeneratorOptions } from './generator';
import { offlineProvider } from './offline';
import { anthropicProvider } from './providers/anthropic';
import { openAiCompatibleProvider } from './providers/openai-compatible';
import type { ModelProvider } from './types';

/** The adapter for one configured provider. */
export function providerFrom(config: AiProviderConfig, service: string, breaker?: Partial<BreakerSettings>): ModelProvider {
  if (config.kind === 'anthropic') {
    return anthropicProvider({ id: config.id, baseUrl: config.baseUrl, apiKey: config.apiKey ?? '', model: config.model, service, breaker });
  }
  return openAiCompatibleProvider({ id: config.id, baseUrl: config.baseUrl, apiKey: config.apiKey, model: config.model, service, structuredOutput: config.structuredOutput, breaker });
}

/**
 * The generator a service uses, from its environment (AI_PROVIDERS and AI_<ID>_*): the configured providers in
 * order, the offline generator when there are none.
 */
export function createGenerator(env: Readonly<Record<string, string | undefined>>, service: string, options: Partial<GeneratorOptions> = {}): Generator {
  return new Generator({ providers: readAiProviders(env).map((p) => providerFrom(p, service)), offline: offlineProvider(), ...options });
}
