/**
 * The client side of OAuth 2.0: the authorization code grant (RFC 6749) with PKCE (RFC 7636, S256), refresh and
 * revocation (RFC 7009). Providers differ in small ways (scope separator, how the client authenticates, Facebook's
 * GET token endpoint); `OAuthEndpoints` says which.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ProviderError } from './errors';
import type { ProviderHttp, ProviderResponse } from './http';

export interface OAuthEndpoints {
  /** Where the person is sent to consent (absolute URL). */
  authorizeUrl: string;
  /** Where codes and refresh tokens are exchanged (absolute URL). */
  tokenUrl: string;
  /** Where a token is revoked, when the provider offers it. */
  revokeUrl?: string;
  scopes: string[];
  /** ' ' by the standard; some providers use ','. */
  scopeSeparator?: string;
  /** How the client authenticates at the token endpoint: HTTP Basic (X, the standard's preference) or form fields. */
  clientAuth: 'basic' | 'body';
  /** Whether the provider supports PKCE; where it does, it is always used. */
  pkce: boolean;
  /** Facebook's token endpoint takes GET with query parameters. */
  tokenMethod?: 'POST' | 'GET';
  /** Extra parameters of the authorization request (e.g. Google's access_type=offline, prompt=consent). */
  authorizeParams?: Record<string, string>;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, if the provider says. */
  expiresAt?: Date;
  scopes: string[];
}

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** A fresh verifier (43 characters of base64url, 256 bits) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), method: 'S256' };
}

/** An unguessable `state` binding the provider's redirect to the connection attempt that started it. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

export function authorizationUrl(endpoints: OAuthEndpoints, client: Pick<OAuthClient, 'clientId'>, request: { redirectUri: string; state: string; codeChallenge?: string }): string {
  const url = new URL(endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', endpoints.scopes.join(endpoints.scopeSeparator ?? ' '));
  url.searchParams.set('state', request.state);
  if (endpoints.pkce && request.codeChallenge) {
    url.searchParams.set('code_challenge', request.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [key, value] of Object.entries(endpoints.authorizeParams ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

export function exchangeCode(http: ProviderHttp, endpoints: OAuthEndpoints, client: OAuthClient, request: { code: string; redirectUri: string; codeVerifier?: string }): Promise<TokenSet> {
  return tokenRequest(http, endpoints, client, {
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    code_verifier: endpoints.pkce ? request.codeVerifier : undefined,
  });
}

export function refreshTokens(http: ProviderHttp, endpoints: OAuthEndpoints, client: OAuthClient, refreshToken: string): Promise<TokenSet> {
  return tokenRequest(http, endpoints, client, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Revokes a token where the provider offers it; false when it does not. */
export async function revokeToken(http: ProviderHttp, endpoints: OAuthEndpoints, client: OAuthClient, token: string, hint: 'access_token' | 'refresh_token'): Promise<boolean> {
  if (!endpoints.revokeUrl) return false;
  const form = { token, token_type_hint: hint, ...clientFields(endpoints, client) };
  await http.request({ method: 'POST', path: endpoints.revokeUrl, form, headers: clientHeaders(endpoints, client) });
  return true;
}

async function tokenRequest(http: ProviderHttp, endpoints: OAuthEndpoints, client: OAuthClient, fields: Record<string, string | undefined>): Promise<TokenSet> {
  const params = { ...fields, ...clientFields(endpoints, client) };
  let response: ProviderResponse;
  if (endpoints.tokenMethod === 'GET') {
    const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
    response = await http.request({ method: 'GET', path: endpoints.tokenUrl, query });
  } else {
    response = await http.request({ method: 'POST', path: endpoints.tokenUrl, form: params, headers: clientHeaders(endpoints, client) });
  }
  return parseTokenAnswer(http.profile.displayName, response.body);
}

function clientFields(endpoints: OAuthEndpoints, client: OAuthClient): Record<string, string> {
  return endpoints.clientAuth === 'body' ? { client_id: client.clientId, client_secret: client.clientSecret } : {};
}

function clientHeaders(endpoints: OAuthEndpoints, client: OAuthClient): Record<string, string> {
  if (endpoints.clientAuth !== 'basic') return {};
  const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

function parseTokenAnswer(provider: string, body: unknown): TokenSet {
  const answer = (body ?? {}) as Record<string, unknown>;
  if (typeof answer.access_token !== 'string' || !answer.access_token) {
    throw new ProviderError(provider, 'PERMANENT', 'the token endpoint answered without an access token');
  }
  const expiresIn = Number(answer.expires_in);
  return {
    accessToken: answer.access_token,
    refreshToken: typeof answer.refresh_token === 'string' ? answer.refresh_token : undefined,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : undefined,
    scopes: typeof answer.scope === 'string' ? answer.scope.split(/[ ,]+/).filter(Boolean) : [],
  };
}

/**
 * An OAuth token endpoint's error (`{ error, error_description }`, RFC 6749 §5.2) as a ProviderError: invalid_grant
 * (a wrong code, verifier or refresh token) means the grant is dead, so AUTH_EXPIRED; invalid_client is our
 * configuration, PERMANENT.
 */
export function oauthError(provider: string, response: ProviderResponse): ProviderError | undefined {
  const body = response.body as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof body?.error !== 'string') return undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : body.error;
  const kind = body.error === 'invalid_grant' ? 'AUTH_EXPIRED' : response.status >= 500 ? 'OUTAGE' : 'PERMANENT';
  return new ProviderError(provider, kind, description, { status: response.status, providerCode: body.error });
}
