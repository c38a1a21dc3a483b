import { createHash } from 'node:crypto';
import type { Keyv } from 'keyv';
import { stableJson } from '../offline/text';

/** What a cached generation gives back. */
export interface CachedAnswer {
  output: unknown;
  provider: string;
  model: string;
  offline: boolean;
  promptVersion: string;
}

/**
 * What makes two requests identical: the providers and models asked, the prompt version, the input, the parameters.
 * Keys are hashed from their JSON with sorted keys, so the same input written in another key order is the same request.
 */
export interface CacheKeyParts {
  orgId: string;
  providers: { id: string; model: string }[];
  task: string;
  promptVersion: string;
  input: unknown;
  params: Record<string, unknown>;
}

/**
 * Answers to identical generation requests, in the shared cache (Redis when configured) for `ttlSeconds`. Keys are
 * per organization: one organization's answers are never served to another. A cache that fails is a miss, never an
 * error: the generation then simply runs.
 */
export class ResponseCache {
  constructor(
    private readonly cache: Keyv<unknown> | undefined,
    private readonly ttlSeconds: number,
  ) {}

  get enabled(): boolean {
    return Boolean(this.cache) && this.ttlSeconds > 0;
  }

  static key(parts: CacheKeyParts): string {
    return `ai:${createHash('sha256').update(stableJson(parts)).digest('hex')}`;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    if (!this.enabled) return undefined;
    try {
      const value = (await this.cache!.get(key)) as CachedAnswer | undefined;
      return value && typeof value === 'object' && 'output' in value ? value : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    if (!this.enabled) return;
    try {
      await this.cache!.set(key, answer, this.ttlSeconds * 1000);
    } catch {
      // Not cached this time; the answer is still the job's result.
    }
  }
}
