import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@umt/infra';
import { readAiProviders } from '../src/config';

describe('AI provider configuration', () => {
  it('is empty (offline only) when AI_PROVIDERS is unset', () => {
    expect(readAiProviders({})).toEqual([]);
  });

  it('reads providers in order, with kinds and defaults', () => {
    const providers = readAiProviders({
      AI_PROVIDERS: 'ollama, anthropic',
      AI_OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1/',
      AI_OLLAMA_MODEL: 'llama3.1',
      AI_OLLAMA_STRUCTURED_OUTPUT: 'json_object',
      AI_ANTHROPIC_API_KEY: 'sk-ant-test',
      AI_ANTHROPIC_MODEL: 'claude-sonnet-4-5',
    });
    expect(providers).toEqual([
      { id: 'ollama', kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined, model: 'llama3.1', structuredOutput: 'json_object' },
      { id: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test', model: 'claude-sonnet-4-5', structuredOutput: 'json_schema' },
    ]);
  });

  it('names every missing or bad variable', () => {
    let error: unknown;
    try {
      readAiProviders({ AI_PROVIDERS: 'openai,local', AI_LOCAL_KIND: 'other' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/AI_OPENAI_MODEL/);
    expect(problems).toMatch(/AI_OPENAI_API_KEY/);
    expect(problems).toMatch(/AI_LOCAL_KIND/);
    expect(problems).not.toMatch(/sk-/);
  });
});
