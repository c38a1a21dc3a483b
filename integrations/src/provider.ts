/**
 * What a provider is to the platform: one module per provider (one file), in one of four categories, each category
 * with one adapter interface. A module says how to authenticate (OAuth2 endpoints, or which API-key fields), how to
 * put credentials on a request, who an account is, and builds its category's adapter.
 */
import type { ProviderHttp, ProviderProfile } from './http';
import type { OAuthEndpoints } from './oauth';

export type ProviderCategory = 'SOCIAL' | 'EMAIL' | 'CMS' | 'ADS';

/** What a connection holds to act for an account (decrypted only for the call). */
export type Credentials =
  | { kind: 'oauth2'; accessToken: string }
  /** An API key (Mailchimp), or a user name and application password on a site (WordPress). */
  | { kind: 'api_key'; secret: string; username?: string; siteUrl?: string };

/** A provider's configuration: where it lives and who we are to it. */
export interface ProviderSettings {
  /** Base URL of the provider's API. */
  apiUrl: string;
  /** Base URL of its authorization server (OAuth2 providers). */
  authUrl: string;
  clientId?: string;
  clientSecret?: string;
  /** Provider-specific values (e.g. Google Ads' developer token), by the name the module declares. */
  extra: Record<string, string | undefined>;
  /** The URLs point at the bundled fake provider: connections made here are sandbox connections. */
  sandbox: boolean;
}

/** The account a connection acts for, as the provider names it. */
export interface AccountIdentity {
  id: string;
  name: string;
  /** The account's page at the provider, when it has one. */
  url?: string;
}

export interface ApiKeyField {
  name: 'secret' | 'username' | 'siteUrl';
  label: string;
}

export type ProviderAuth =
  | { kind: 'oauth2'; endpoints: (settings: ProviderSettings) => OAuthEndpoints }
  | { kind: 'api_key'; fields: ApiKeyField[] };

export interface ProviderModule<Adapter = unknown> {
  id: string;
  displayName: string;
  category: ProviderCategory;
  /** The channel it publishes to (LINKEDIN, X, ...), for providers that publish to one. */
  channel?: string;
  /** The real provider's URLs: the defaults when configuration gives none. */
  defaults: { apiUrl: string; authUrl?: string };
  /** Names of provider-specific settings read from INTEGRATION_<ID>_<NAME> (e.g. DEVELOPER_TOKEN). */
  extraSettings?: string[];
  profile: ProviderProfile;
  auth: ProviderAuth;
  /** The API's base URL for these credentials, when it depends on them (a WordPress site, a Mailchimp data center). */
  apiBaseUrl?: (settings: ProviderSettings, credentials: Credentials) => string;
  /** Puts the credentials (and any headers every call needs) on a request. */
  authorize: (headers: Headers, credentials: Credentials, settings: ProviderSettings) => void;
  /** Who the credentials belong to; a cheap authenticated call, also the connection's health check. */
  identify: (http: ProviderHttp) => Promise<AccountIdentity>;
  adapter: (http: ProviderHttp, settings: ProviderSettings) => Adapter;
}
