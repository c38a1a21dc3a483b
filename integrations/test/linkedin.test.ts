import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { releaseBreakers } from '@umt/infra';
import { linkedinFake } from '@umt/fakes';
import {
  adapterFor,
  anonymousClient,
  authorizationUrl,
  createState,
  exchangeCode,
  PROVIDERS,
  providerClient,
  readIntegrationConfig,
  refreshTokens,
  type OAuthEndpoints,
  type ProviderSettings,
} from '@umt/integrations';
import { failure } from './support';

const linkedin = PROVIDERS.linkedin;
const SERVICE = 'test-linkedin';
const REDIRECT = 'https://app.example.test/connections/linkedin/callback';
const SCOPE = 'openid profile w_member_social';
const MEMBER = 'xK3v9QmZ2a';

let fake: ReturnType<typeof linkedinFake>;
let settings: ProviderSettings;
let endpoints: OAuthEndpoints;
let accounts = 0;
let texts = 0;

function connect(scope = SCOPE) {
  const { accessToken } = fake.oauth?.issue(scope) ?? { accessToken: '' };
  const options = { service: SERVICE, accountKey: `linkedin-test-${(accounts += 1)}` };
  const credentials = { kind: 'oauth2', accessToken } as const;
  return { accessToken, adapter: adapterFor(linkedin, settings, credentials, options), http: providerClient(linkedin, settings, credentials, options) };
}

const unique = (text: string) => `${text} (${(texts += 1)})`;
const client = () => ({ clientId: settings.clientId ?? '', clientSecret: settings.clientSecret ?? '' });


async function codeFor(state = createState()): Promise<string> {
  const answer = await fetch(authorizationUrl(endpoints, client(), { redirectUri: REDIRECT, state }), { redirect: 'manual' });
  const back = new URL(answer.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe(state);
  return back.searchParams.get('code') ?? '';
}

interface StoredPost {
  urn: string;
  author: string;
  commentary: string;
  text: string;
  visibility: string;
  version: string;
  deleted: boolean;
}
const posts = () => (fake.store.get('posts') ?? []) as StoredPost[];

beforeAll(async () => {
  fake = linkedinFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.linkedin;
  if (linkedin.auth.kind !== 'oauth2') throw new Error('LinkedIn is an OAuth2 provider');
  endpoints = linkedin.auth.endpoints(settings);
});

afterEach(() => fake.server.reset());

afterAll(async () => {
  releaseBreakers(SERVICE);
  await fake.server.stop();
});

describe('LinkedIn OAuth 2.0', () => {
  it('sends the person to the consent page with state and the scopes (no PKCE: LinkedIn web apps have none)', () => {
    const state = createState();
    const url = new URL(authorizationUrl(endpoints, client(), { redirectUri: REDIRECT, state, codeChallenge: 'ignored' }));
    expect(url.origin + url.pathname).toBe(`${fake.server.url}/oauth/v2/authorization`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: settings.clientId, redirect_uri: REDIRECT, scope: SCOPE, state });
  });

  it('exchanges the code with the client credentials in the form, and the token identifies the member', async () => {
    const code = await codeFor();
    const tokens = await exchangeCode(anonymousClient(linkedin, settings, SERVICE), endpoints, client(), { code, redirectUri: REDIRECT });
    expect(tokens).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), scopes: SCOPE.split(' ') });
    const [exchange] = fake.server.received('/oauth/v2/accessToken', 'POST');
    expect(exchange?.headers.authorization).toBeUndefined();
    expect(exchange?.body).toEqual({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: settings.clientId, client_secret: settings.clientSecret });

    const http = providerClient(linkedin, settings, { kind: 'oauth2', accessToken: tokens.accessToken }, { service: SERVICE, accountKey: 'linkedin-oauth' });
    expect(await linkedin.identify(http)).toEqual({ id: MEMBER, name: 'Sandbox Member' });
    expect(fake.server.received('/v2/userinfo').at(-1)?.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
  });

  it('refuses a used code and a different redirect URI as a dead grant', async () => {
    const http = anonymousClient(linkedin, settings, SERVICE);
    const code = await codeFor();
    await exchangeCode(http, endpoints, client(), { code, redirectUri: REDIRECT });
    expect(await failure(exchangeCode(http, endpoints, client(), { code, redirectUri: REDIRECT }))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'invalid_grant' });
    const other = await codeFor();
    expect(await failure(exchangeCode(http, endpoints, client(), { code: other, redirectUri: 'https://elsewhere.test/cb' }))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'invalid_grant' });
    expect(await failure(exchangeCode(http, endpoints, { ...client(), clientSecret: 'wrong' }, { code: await codeFor(), redirectUri: REDIRECT }))).toMatchObject({
      kind: 'PERMANENT',
      providerCode: 'invalid_client',
    });
  });

  it('refreshes a token', async () => {
    const { refreshToken } = fake.oauth?.issue(SCOPE) ?? { refreshToken: '' };
    const tokens = await refreshTokens(anonymousClient(linkedin, settings, SERVICE), endpoints, client(), refreshToken);
    expect(tokens.accessToken).toBeTruthy();
    expect(fake.server.received('/oauth/v2/accessToken').at(-1)?.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    });
  });
});

describe('LinkedIn posts', () => {
  it("posts as the member through the versioned Posts API, the member's urn from userinfo", async () => {
    const { adapter, accessToken } = connect();
    const text = unique('Spring launch');
    fake.server.clearRequests();
    const published = await adapter.publish({ text });

    expect(fake.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/userinfo', 'POST /rest/posts']);
    const request = fake.server.received('/rest/posts', 'POST')[0];
    expect(request?.headers).toMatchObject({ authorization: `Bearer ${accessToken}`, 'x-restli-protocol-version': '2.0.0', 'content-type': 'application/json' });
    expect(request?.headers['linkedin-version']).toMatch(/^20\d{4}$/);
    expect(request?.body).toEqual({
      author: `urn:li:person:${MEMBER}`,
      commentary: text.replace(/[()]/g, (c) => `\\${c}`),
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    });
    expect(published.externalId).toMatch(/^urn:li:share:\d+$/);
    expect(published).toEqual({ externalId: published.externalId, partIds: [published.externalId], url: `https://www.linkedin.com/feed/update/${published.externalId}/` });
    expect(posts().find((p) => p.urn === published.externalId)).toMatchObject({ text, author: `urn:li:person:${MEMBER}`, visibility: 'PUBLIC' });

    // The member's urn is asked once per adapter.
    await adapter.publish({ text: unique('Second post') });
    expect(fake.server.received('/v2/userinfo').length).toBe(1);
  });

  it('escapes the little-text markup and keeps hashtags as hashtags, so LinkedIn shows the text as written', async () => {
    const { adapter } = connect();
    const text = unique('New (and improved) [beta] features: 50% off <today> for @team_members ~ *bold* claims | a\\b #SpringLaunch #2025goals');
    const published = await adapter.publish({ text });
    const stored = posts().find((p) => p.urn === published.externalId);
    expect(stored?.text).toBe(text);
    expect(stored?.commentary).toContain('{hashtag|\\#|SpringLaunch}');
    expect(stored?.commentary).toContain('\\(and improved\\)');
  });

  it('shares a link in the text, and refuses an over-long text before calling', async () => {
    const { adapter } = connect();
    const text = unique('Read the announcement');
    const published = await adapter.publish({ text, link: 'https://example.com/blog/spring_launch' });
    expect(posts().find((p) => p.urn === published.externalId)?.text).toBe(`${text}\n\nhttps://example.com/blog/spring_launch`);

    const count = fake.server.requests.length;
    expect(await failure(adapter.publish({ text: 'a'.repeat(3001) }))).toMatchObject({ kind: 'INVALID_CONTENT' });
    expect(fake.server.requests.length).toBe(count);
  });

  it('deletes a post by its url-encoded urn, and a post already gone counts as deleted', async () => {
    const { adapter } = connect();
    const { externalId } = await adapter.publish({ text: unique('Short-lived') });
    await adapter.delete(externalId);
    const request = fake.server.received('/rest/posts/', 'DELETE').at(-1);
    expect(request?.path).toBe(`/rest/posts/${encodeURIComponent(externalId)}`);
    expect(request?.headers['x-restli-protocol-version']).toBe('2.0.0');
    expect(request?.headers['linkedin-version']).toMatch(/^20\d{4}$/);
    expect(posts().find((p) => p.urn === externalId)?.deleted).toBe(true);
    await expect(adapter.delete(externalId)).resolves.toBeUndefined();
  });
});

describe('LinkedIn failures', () => {
  it('maps an outage, invalid content, an expired token', async () => {
    const { adapter } = connect();
    await adapter.publish({ text: unique('warm up') }); // the urn is known: the faults below hit the post itself
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    expect(await failure(adapter.publish({ text: unique('outage') }))).toMatchObject({ kind: 'OUTAGE', code: 'PROVIDER_UNAVAILABLE', status: 503 });
    fake.server.fault({ kind: 'invalid', status: 422, times: 1 });
    expect(await failure(adapter.publish({ text: unique('invalid') }))).toMatchObject({ kind: 'INVALID_CONTENT', status: 422, providerCode: 'UNPROCESSABLE_ENTITY' });
    fake.server.fault({ kind: 'expired_token' });
    expect(await failure(adapter.publish({ text: unique('expired') }))).toMatchObject({ kind: 'AUTH_EXPIRED', status: 401, providerCode: 'EXPIRED_ACCESS_TOKEN' });
  });

  it('maps a duplicate as invalid content, a missing permission and a missing version header as permanent', async () => {
    const { adapter, http } = connect();
    const text = unique('Said once');
    await adapter.publish({ text });
    expect(await failure(adapter.publish({ text }))).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'DUPLICATE_POST' });

    const noPosting = connect('openid profile');
    expect(await failure(noPosting.adapter.publish({ text: unique('no scope') }))).toMatchObject({ kind: 'PERMANENT', status: 403, providerCode: 'ACCESS_DENIED' });

    const unversioned = await failure(http.request({ method: 'POST', path: '/rest/posts', headers: { 'x-restli-protocol-version': '2.0.0' }, json: {} }));
    expect(unversioned).toMatchObject({ kind: 'PERMANENT', status: 400, providerCode: 'VERSION_MISSING' });
  });

  it('after a 429 with a wait, refuses the next call locally until then', async () => {
    const { adapter } = connect();
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 40, times: 1 });
    expect(await failure(adapter.publish({ text: unique('busy') }))).toMatchObject({ kind: 'RATE_LIMITED', code: 'PROVIDER_RATE_LIMITED', retryAfterSeconds: 40, providerCode: 'TOO_MANY_REQUESTS' });
    const count = fake.server.requests.length;
    const refused = await failure(adapter.publish({ text: unique('still busy') }));
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(fake.server.requests.length).toBe(count);
  });

  it('without Retry-After, waits for the daily reset at midnight UTC', () => {
    const error = linkedin.profile.classify?.({
      status: 429,
      headers: new Headers(),
      body: { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.' },
    });
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    expect(error?.kind).toBe('RATE_LIMITED');
    expect(Math.abs((error?.retryAfterSeconds ?? 0) - (midnight - now.getTime()) / 1000)).toBeLessThan(5);
  });
});
