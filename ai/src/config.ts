/**
 * Which models the agents use, from the environment:
 *   AI_PROVIDERS           ordered, comma-separated provider ids (the first is preferred), e.g. "openai,anthropic"
 *                          or "ollama"; unset or empty: the offline generator only
 *   AI_<ID>_KIND           openai (chat completions: OpenAI and every compatible server) or anthropic; default:
 *                          anthropic for the id "anthropic", openai otherwise
 *   AI_<ID>_BASE_URL       e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama), https://api.anthropic.com
 *   AI_<ID>_API_KEY        required for OpenAI and Anthropic, optional for local servers
 *   AI_<ID>_MODEL          e.g. gpt-4o-mini, claude-sonnet-4-5, llama3.1
 *   AI_<ID>_STRUCTURED_OUTPUT   json_schema (default) or json_object, for servers without JSON Schema support
 */
import { ConfigError } from '@umt/infra';

type Env = Readonly<Record<string, string | undefined>>;

export interface AiProviderConfig {
  id: string;
  kind: 'openai' | 'anthropic';
  baseUrl: string;
  apiKey?: string;
  model: string;
  structuredOutput: 'json_schema' | 'json_object';
}

const DEFAULT_BASE_URL = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' };

export function readAiProviders(env: Env): AiProviderConfig[] {
  const ids = (env.AI_PROVIDERS ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const problems: string[] = [];
  const providers: AiProviderConfig[] = [];
  for (const id of ids) {
    const prefix = `AI_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
    const value = (name: string) => env[prefix + name]?.trim() || undefined;
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(id)) problems.push(`AI_PROVIDERS: "${id}" is not a provider id (letters, digits, - and _)`);
    const kindValue = value('KIND') ?? (id === 'anthropic' ? 'anthropic' : 'openai');
    if (kindValue !== 'openai' && kindValue !== 'anthropic') {
      problems.push(`${prefix}KIND: expected openai or anthropic (got ${JSON.stringify(kindValue)})`);
      continue;
    }
    const baseUrl = value('BASE_URL') ?? (id === 'openai' || id === 'anthropic' ? DEFAULT_BASE_URL[kindValue] : undefined);
    if (!baseUrl) problems.push(`${prefix}BASE_URL: required for the provider "${id}" (not set)`);
    else if (!/^https?:\/\//.test(baseUrl)) problems.push(`${prefix}BASE_URL: expected an http:// or https:// URL`);
    const model = value('MODEL');
    if (!model) problems.push(`${prefix}MODEL: required for the provider "${id}" (not set)`);
    const apiKey = value('API_KEY');
    if (!apiKey && (id === 'openai' || kindValue === 'anthropic')) problems.push(`${prefix}API_KEY: required for the provider "${id}" (not set)`);
    const structured = value('STRUCTURED_OUTPUT') ?? 'json_schema';
    if (structured !== 'json_schema' && structured !== 'json_object') problems.push(`${prefix}STRUCTURED_OUTPUT: expected json_schema or json_object`);
    if (baseUrl && model) {
      providers.push({ id, kind: kindValue, baseUrl: baseUrl.replace(/\/$/, ''), apiKey, model, structuredOutput: structured === 'json_object' ? 'json_object' : 'json_schema' });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return providers;
}
