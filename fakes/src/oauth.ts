/**
 * A fake OAuth 2.0 authorization server (RFC 6749 authorization code grant, RFC 7636 PKCE with S256, RFC 7009
 * revocation) mounted on a fake provider. It checks what a real one checks: the client's id and secret, that the
 * redirect URI of the exchange is the one of the authorization, that the code is used once and not after it expires,
 * that the verifier hashes to the challenge. The authorization endpoint approves at once (there is no person to ask)
 * and redirects back with the code and the state, as a provider does after its consent page.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeReply, FakeServer, RecordedRequest } from './fake-server';

export interface OAuthPaths {
  authorize: string;
  token: string;
  revoke?: string;
}

export interface OAuthOptions {
  paths: OAuthPaths;
  clientId: string;
  clientSecret: string;
  /** Whether the authorization request must carry a PKCE challenge (X requires one). */
  requirePkce: boolean;
  /** Lifetime of issued access tokens. */
  accessTokenSeconds?: number;
  /** Whether refresh tokens are issued (and rotated on use). */
  refreshTokens?: boolean;
  /** The account whose consent the fake grants: what the provider's identity endpoint reports. */
  account: { id: string; name: string };
  /** How the client authenticates at the token endpoint: HTTP Basic, form fields, or either. */
  clientAuth?: 'basic' | 'body' | 'either';
  /** The token endpoint's method: POST with a form (RFC 6749), or GET with query parameters (Facebook's Graph API). */
  tokenMethod?: 'POST' | 'GET';
  /** The provider's shape for a token endpoint error (default: RFC 6749 `{ error, error_description }`). */
  tokenError?: (status: number, error: string, description: string) => FakeReply;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
  expiresAt: number;
}

export interface IssuedToken {
  token: string;
  kind: 'access' | 'refresh';
  scope: string;
  expiresAt: number;
  revoked: boolean;
}

export class FakeOAuth {
  readonly tokens = new Map<string, IssuedToken>();
  private readonly codes = new Map<string, Grant>();
  /** Every refresh the fake answered (tests assert that refresh happens before expiry). */
  refreshCount = 0;
  revocations: string[] = [];
  accessTokenSeconds: number;

  constructor(
    private readonly server: FakeServer,
    readonly options: OAuthOptions,
  ) {
    this.accessTokenSeconds = options.accessTokenSeconds ?? 3600;
    server.route('GET', options.paths.authorize, (request) => this.authorize(request));
    server.route(options.tokenMethod ?? 'POST', options.paths.token, (request) => this.token(request));
    if (options.paths.revoke) server.route('POST', options.paths.revoke, (request) => this.revoke(request));
  }

  /** The account of a valid access token in `Authorization: Bearer`, or the provider's 401 answer. */
  bearer(request: RecordedRequest): { ok: true; scope: string } | { ok: false; reply: FakeReply } {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const issued = match?.[1] ? this.tokens.get(match[1]) : undefined;
    if (!issued || issued.kind !== 'access' || issued.revoked || issued.expiresAt <= Date.now() || this.server.tokensExpired) {
      return { ok: false, reply: this.server.error('expired_token', 401) };
    }
    return { ok: true, scope: issued.scope };
  }

  /** Issues a token directly (tests that need a connected account without the whole flow). */
  issue(scope = ''): { accessToken: string; refreshToken: string } {
    return { accessToken: this.mint('access', scope), refreshToken: this.mint('refresh', scope) };
  }

  private authorize(request: RecordedRequest): FakeReply {
    const q = request.query;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== this.options.clientId || !redirectUri) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'unknown client_id or missing redirect_uri' } };
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state) back.searchParams.set('state', state);
    const refuse = (error: string, description: string): FakeReply => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      return { status: 302, headers: { location: back.toString() } };
    };
    if (q.get('response_type') !== 'code') return refuse('unsupported_response_type', 'response_type must be code');
    const challenge = q.get('code_challenge') ?? undefined;
    if (challenge && q.get('code_challenge_method') !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256');
    if (this.options.requirePkce && !challenge) return refuse('invalid_request', 'code_challenge is required');
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, { clientId: this.options.clientId, redirectUri, scope: q.get('scope') ?? '', challenge, expiresAt: Date.now() + 60_000 });
    back.searchParams.set('code', code);
    return { status: 302, headers: { location: back.toString() } };
  }

  private token(request: RecordedRequest): FakeReply {
    const form = (request.method === 'GET' ? Object.fromEntries(request.query) : (request.body ?? {})) as Record<string, string | undefined>;
    const fail = (status: number, error: string, description: string): FakeReply =>
      this.options.tokenError?.(status, error, description) ?? { status, body: { error, error_description: description } };
    if (!this.clientAuthenticated(request, form)) return fail(401, 'invalid_client', 'client authentication failed');
    const invalidGrant = (description: string): FakeReply => fail(400, 'invalid_grant', description);
    if (form.grant_type === 'authorization_code' || (request.method === 'GET' && form.code !== undefined)) {
      const grant = form.code ? this.codes.get(form.code) : undefined;
      if (form.code) this.codes.delete(form.code); // a code works once, even when the exchange fails
      if (!grant || grant.expiresAt <= Date.now()) return invalidGrant('authorization code is invalid, used or expired');
      if (grant.redirectUri !== form.redirect_uri) return invalidGrant('redirect_uri does not match the authorization request');
      if (grant.challenge) {
        const verifier = form.code_verifier ?? '';
        const computed = createHash('sha256').update(verifier).digest('base64url');
        if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || computed !== grant.challenge) return invalidGrant('code_verifier does not match the code_challenge');
      }
      return { status: 200, body: this.tokenAnswer(grant.scope) };
    }
    if (form.grant_type === 'refresh_token') {
      const issued = form.refresh_token ? this.tokens.get(form.refresh_token) : undefined;
      if (!issued || issued.kind !== 'refresh' || issued.revoked) return invalidGrant('refresh token is invalid or revoked');
      issued.revoked = true; // rotation: each refresh token works once
      this.refreshCount += 1;
      this.server.tokensExpired = false;
      return { status: 200, body: this.tokenAnswer(issued.scope) };
    }
    if (request.method === 'GET' && form.code === undefined) return fail(400, 'invalid_request', 'code is required');
    return fail(400, 'unsupported_grant_type', `grant_type ${String(form.grant_type)} is not supported`);
  }

  private revoke(request: RecordedRequest): FakeReply {
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    if (!this.clientAuthenticated(request, form)) return { status: 401, body: { error: 'invalid_client' } };
    const issued = form.token ? this.tokens.get(form.token) : undefined;
    if (issued) issued.revoked = true;
    if (form.token) this.revocations.push(form.token);
    return { status: 200, body: {} };
  }

  private tokenAnswer(scope: string): Record<string, unknown> {
    const answer: Record<string, unknown> = {
      access_token: this.mint('access', scope),
      token_type: 'bearer',
      expires_in: this.accessTokenSeconds,
      scope,
    };
    if (this.options.refreshTokens !== false) answer.refresh_token = this.mint('refresh', scope);
    return answer;
  }

  private mint(kind: 'access' | 'refresh', scope: string): string {
    const token = `${this.server.name}-${kind}-${randomBytes(18).toString('base64url')}`;
    const lifetime = kind === 'access' ? this.accessTokenSeconds * 1000 : 365 * 86_400_000;
    this.tokens.set(token, { token, kind, scope, expiresAt: Date.now() + lifetime, revoked: false });
    return token;
  }

  private clientAuthenticated(request: RecordedRequest, form: Record<string, string | undefined>): boolean {
    const mode = this.options.clientAuth ?? 'either';
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    if (basic?.[1] && mode !== 'body') {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return decodeURIComponent(id ?? '') === this.options.clientId && decodeURIComponent(secret ?? '') === this.options.clientSecret;
    }
    if (mode === 'basic') return false;
    return form.client_id === this.options.clientId && form.client_secret === this.options.clientSecret;
  }
}
