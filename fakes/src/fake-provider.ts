import type { FakeServer } from './fake-server';
import type { FakeOAuth } from './oauth';

/** One fake platform: its server, its authorization server when it uses OAuth2, and what it keeps of what was sent. */
export interface FakeProvider {
  /** The provider id the integrations package knows it by (linkedin, x, facebook, mailchimp, wordpress, meta_ads, google_ads). */
  id: string;
  server: FakeServer;
  oauth?: FakeOAuth;
  /** What the fake holds (posts, campaigns, media, ...), by collection, for tests and the sandbox. */
  store: Map<string, unknown[]>;
  /**
   * Variables that point the platform's adapter at this fake once started (base URLs, client id and secret), e.g.
   * { INTEGRATION_LINKEDIN_API_URL: 'http://127.0.0.1:4100', ... }.
   */
  env(): Record<string, string>;
  /** For API-key providers: credentials the fake accepts (e.g. { apiKey: '...-us21' } for Mailchimp). */
  credentials?: Record<string, string>;
}

/** Appends to one of the fake's collections and returns the item. */
export function keep<T>(provider: Pick<FakeProvider, 'store'>, collection: string, item: T): T {
  const list = provider.store.get(collection) ?? [];
  list.push(item);
  provider.store.set(collection, list);
  return item;
}

export function kept<T>(provider: Pick<FakeProvider, 'store'>, collection: string): T[] {
  return (provider.store.get(collection) ?? []) as T[];
}

/** The client id and secret every fake's authorization server registers: sandbox values, not secrets. */
export const FAKE_CLIENT = { id: 'umt-sandbox-client', secret: 'umt-sandbox-client-secret' };
