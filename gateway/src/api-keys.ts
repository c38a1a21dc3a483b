import { SCOPES, type Scope } from '@umt/infra';

export interface VerifiedApiKey {
  keyId: string;
  orgId: string;
  scopes: Scope[];
}

interface Cached {
  until: number;
  key: VerifiedApiKey | null;
}

const MAX_CACHED = 10_000;

/**
 * Checks partner API keys with the auth subgraph (which holds their hashes). Answers are remembered for
 * `cacheSeconds`, so a revoked key stops working on every gateway instance within that bound.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly endpoint: string,
    private readonly cacheSeconds: number,
    private readonly headers: () => Record<string, string>,
  ) {}

  async verify(key: string): Promise<VerifiedApiKey | null> {
    if (key.length > 200) return null;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.key;
    const verified = await this.ask(key);
    if (this.cacheSeconds > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, { until: now + this.cacheSeconds * 1000, key: verified });
    }
    return verified;
  }

  private async ask(key: string): Promise<VerifiedApiKey | null> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers() },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`API key check failed with HTTP ${response.status}`);
    const body = (await response.json()) as { key: { keyId: string; orgId: string; scopes: string[] } | null };
    if (!body.key) return null;
    return { ...body.key, scopes: body.key.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)) };
  }
}
