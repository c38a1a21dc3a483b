import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { releaseBreakers } from '@umt/infra';
import { facebookFake } from '@umt/fakes';
import {
  adapterFor,
  anonymousClient,
  authorizationUrl,
  createState,
  exchangeCode,
  PROVIDERS,
  providerClient,
  readIntegrationConfig,
  type OAuthEndpoints,
  type ProviderSettings,
} from '@umt/integrations';
import { failure } from './support';

const facebook = PROVIDERS.facebook;
const SERVICE = 'test-facebook';
const REDIRECT = 'https://app.example.test/connections/facebook/callback';
const SCOPE = 'pages_show_list,pages_read_engagement,pages_manage_posts';
const BRAND_PAGE = '104857392017466';
const SECOND_PAGE = '104857392017467';

let fake: ReturnType<typeof facebookFake>;
let settings: ProviderSettings;
let endpoints: OAuthEndpoints;
let accounts = 0;
let texts = 0;

function connect(scope = SCOPE) {
  const { accessToken } = fake.oauth.issue(scope);
  const options = { service: SERVICE, accountKey: `facebook-test-${(accounts += 1)}` };
  const credentials = { kind: 'oauth2', accessToken } as const;
  return { accessToken, adapter: adapterFor(facebook, settings, credentials, options), http: providerClient(facebook, settings, credentials, options) };
}

const unique = (text: string) => `${text} (${(texts += 1)})`;
const client = () => ({ clientId: settings.clientId ?? '', clientSecret: settings.clientSecret ?? '' });
const stored = () => (fake.store.get('posts') ?? []) as { id: string; pageId: string; message?: string; link?: string; deleted: boolean }[];


async function codeFor(): Promise<string> {
  const state = createState();
  const answer = await fetch(authorizationUrl(endpoints, client(), { redirectUri: REDIRECT, state }), { redirect: 'manual' });
  const back = new URL(answer.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe(state);
  return back.searchParams.get('code') ?? '';
}

beforeAll(async () => {
  fake = facebookFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.facebook;
  if (facebook.auth.kind !== 'oauth2') throw new Error('Facebook is an OAuth2 provider');
  endpoints = facebook.auth.endpoints(settings);
});

afterEach(() => {
  fake.server.reset();
  fake.usage = { app: 3, page: 2, regainMinutes: 0 };
  fake.accountsPageSize = 25;
});

afterAll(async () => {
  releaseBreakers(SERVICE);
  await fake.server.stop();
});

describe('Facebook Login (manual flow)', () => {
  it('sends the person to the versioned dialog with state and comma-separated scopes (no PKCE in the web flow)', () => {
    const state = createState();
    const url = new URL(authorizationUrl(endpoints, client(), { redirectUri: REDIRECT, state, codeChallenge: 'ignored' }));
    expect(url.origin + url.pathname).toBe(`${fake.server.url}/v19.0/dialog/oauth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: settings.clientId, redirect_uri: REDIRECT, scope: SCOPE, state });
  });

  it('exchanges the code by GET with the client credentials as query parameters; no refresh token', async () => {
    const code = await codeFor();
    const tokens = await exchangeCode(anonymousClient(facebook, settings, SERVICE), endpoints, client(), { code, redirectUri: REDIRECT });
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeUndefined();
    const [exchange] = fake.server.received('/v19.0/oauth/access_token', 'GET');
    expect(Object.fromEntries(exchange?.query ?? [])).toEqual({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    });

    const http = providerClient(facebook, settings, { kind: 'oauth2', accessToken: tokens.accessToken }, { service: SERVICE, accountKey: 'facebook-oauth' });
    expect(await facebook.identify(http)).toEqual({ id: '10229384756102938', name: 'Sandbox Person' });
    const me = fake.server.received('/v19.0/me', 'GET').at(-1);
    expect(me?.query.get('fields')).toBe('id,name');
    expect(me?.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
  });

  it('maps Graph-shaped token errors: a used code is a dead grant, a wrong secret our configuration', async () => {
    const http = anonymousClient(facebook, settings, SERVICE);
    const code = await codeFor();
    await exchangeCode(http, endpoints, client(), { code, redirectUri: REDIRECT });
    expect(await failure(exchangeCode(http, endpoints, client(), { code, redirectUri: REDIRECT }))).toMatchObject({ kind: 'AUTH_EXPIRED', status: 400, providerCode: '100/36009' });
    const other = await codeFor();
    expect(await failure(exchangeCode(http, endpoints, client(), { code: other, redirectUri: 'https://elsewhere.test/cb' }))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: '100/36008' });
    expect(await failure(exchangeCode(http, endpoints, { ...client(), clientSecret: 'wrong' }, { code: await codeFor(), redirectUri: REDIRECT }))).toMatchObject({ kind: 'PERMANENT', providerCode: '1' });
  });
});

describe('Facebook Page posts', () => {
  it("posts on the first Page the person may post on, with that Page's token", async () => {
    const { adapter, accessToken } = connect();
    const text = unique('Spring launch');
    fake.server.clearRequests();
    const published = await adapter.publish({ text, link: 'https://example.com/spring' });

    expect(fake.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v19.0/me/accounts', `POST /v19.0/${BRAND_PAGE}/feed`]);
    const [accounts] = fake.server.received('/v19.0/me/accounts');
    expect(accounts?.headers.authorization).toBe(`Bearer ${accessToken}`);
    const post = fake.server.received(`/v19.0/${BRAND_PAGE}/feed`)[0];
    const pageToken = /^Bearer (.+)$/.exec(post?.headers.authorization ?? '')?.[1];
    expect(pageToken).not.toBe(accessToken);
    expect(fake.pageTokens.get(pageToken ?? '')).toBe(BRAND_PAGE);
    expect(post?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(post?.body).toEqual({ message: text, link: 'https://example.com/spring' });

    expect(published.externalId).toMatch(new RegExp(`^${BRAND_PAGE}_\\d+$`));
    expect(published).toEqual({ externalId: published.externalId, partIds: [published.externalId], url: `https://www.facebook.com/${published.externalId}` });
    expect(stored().find((p) => p.id === published.externalId)).toMatchObject({ pageId: BRAND_PAGE, message: text, link: 'https://example.com/spring' });

    // The Page is looked up once per adapter.
    await adapter.publish({ text: unique('Second') });
    expect(fake.server.received('/v19.0/me/accounts').length).toBe(1);
  });

  it('follows the /me/accounts cursors to find the Page', async () => {
    fake.accountsPageSize = 1;
    const { adapter } = connect();
    fake.server.clearRequests();
    const published = await adapter.publish({ text: unique('Paged') });
    const lookups = fake.server.received('/v19.0/me/accounts');
    expect(lookups.length).toBe(2);
    expect(lookups[0]?.query.get('after')).toBeNull();
    expect(lookups[1]?.query.get('after')).toBeTruthy();
    expect(published.externalId.startsWith(`${BRAND_PAGE}_`)).toBe(true);
  });

  it('posts on the configured Page (INTEGRATION_FACEBOOK_PAGE_ID) when there is one', async () => {
    const configured = readIntegrationConfig({ ...fake.env(), INTEGRATION_FACEBOOK_PAGE_ID: SECOND_PAGE }).providers.facebook;
    const { accessToken } = fake.oauth.issue(SCOPE);
    const adapter = adapterFor(facebook, configured, { kind: 'oauth2', accessToken }, { service: SERVICE, accountKey: 'facebook-configured' });
    const published = await adapter.publish({ text: unique('On the second brand') });
    expect(published.externalId.startsWith(`${SECOND_PAGE}_`)).toBe(true);
    expect(fake.server.received(`/v19.0/${SECOND_PAGE}/feed`, 'POST').length).toBe(1);

    const unknown = readIntegrationConfig({ ...fake.env(), INTEGRATION_FACEBOOK_PAGE_ID: '999' }).providers.facebook;
    const elsewhere = adapterFor(facebook, unknown, { kind: 'oauth2', accessToken }, { service: SERVICE, accountKey: 'facebook-unknown' });
    expect(await failure(elsewhere.publish({ text: unique('Nowhere') }))).toMatchObject({ kind: 'PERMANENT' });
  });

  it('refuses for good when the person shared no Page to post on', async () => {
    const pages = fake.pages.splice(1); // only the analytics Page is left
    try {
      const { adapter } = connect();
      expect(await failure(adapter.publish({ text: unique('Nowhere') }))).toMatchObject({ kind: 'PERMANENT', code: 'PROVIDER_REJECTED' });
    } finally {
      fake.pages.push(...pages);
    }
  });

  it("deletes a post with its Page's token", async () => {
    const { adapter } = connect();
    const { externalId } = await adapter.publish({ text: unique('Short-lived') });
    await adapter.delete(externalId);
    const request = fake.server.received(`/v19.0/${externalId}`, 'DELETE')[0];
    expect(fake.pageTokens.get(/^Bearer (.+)$/.exec(request?.headers.authorization ?? '')?.[1] ?? '')).toBe(BRAND_PAGE);
    expect(stored().find((p) => p.id === externalId)?.deleted).toBe(true);
    // Graph cannot tell "gone" from "not visible to you" (code 100, subcode 33): that is not taken for a deletion.
    expect(await failure(adapter.delete(externalId))).toMatchObject({ kind: 'PERMANENT', providerCode: '100/33' });
  });
});

describe('Facebook failures', () => {
  it('maps by the Graph error code, whatever the HTTP status', async () => {
    const { adapter, http } = connect();
    await adapter.publish({ text: unique('warm up') });
    fake.server.fault({ kind: 'fail', status: 500, times: 1 });
    expect(await failure(adapter.publish({ text: unique('outage') }))).toMatchObject({ kind: 'OUTAGE', code: 'PROVIDER_UNAVAILABLE', providerCode: '2' });
    fake.server.fault({ kind: 'invalid', times: 1 });
    expect(await failure(adapter.publish({ text: unique('invalid') }))).toMatchObject({ kind: 'INVALID_CONTENT', status: 400, providerCode: '100' });
    fake.server.fault({ kind: 'expired_token' });
    expect(await failure(facebook.identify(http))).toMatchObject({ kind: 'AUTH_EXPIRED', code: 'PROVIDER_AUTH_EXPIRED', status: 400, providerCode: '190/463' });
  });

  it('maps a duplicate as invalid content, and posting with the user token as a permission error', async () => {
    const { adapter, http } = connect();
    const text = unique('Said once');
    await adapter.publish({ text });
    expect(await failure(adapter.publish({ text }))).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: '506' });
    const asUser = await failure(http.request({ method: 'POST', path: `/v19.0/${BRAND_PAGE}/feed`, form: { message: unique('as user') } }));
    expect(asUser).toMatchObject({ kind: 'PERMANENT', status: 403, providerCode: '200' });
  });

  it('after throttling (code 4, not a 429), refuses the next call locally', async () => {
    const { adapter } = connect();
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
    const throttled = await failure(adapter.publish({ text: unique('busy') }));
    expect(throttled).toMatchObject({ kind: 'RATE_LIMITED', code: 'PROVIDER_RATE_LIMITED', status: 403, providerCode: '4' });
    const count = fake.server.requests.length;
    expect(await failure(adapter.publish({ text: unique('still busy') }))).toMatchObject({ kind: 'RATE_LIMITED' });
    expect(fake.server.requests.length).toBe(count);
  });

  it("waits as long as x-business-use-case-usage's estimated_time_to_regain_access says", async () => {
    const { adapter } = connect();
    await adapter.publish({ text: unique('warm up') });
    fake.usage = { app: 10, page: 100, regainMinutes: 7 };
    const throttled = await failure(adapter.publish({ text: unique('page busy') }));
    expect(throttled).toMatchObject({ kind: 'RATE_LIMITED', providerCode: '32', retryAfterSeconds: 420 });
    const count = fake.server.requests.length;
    const refused = await failure(adapter.publish({ text: unique('page still busy') }));
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(400);
    expect(fake.server.requests.length).toBe(count);
  });
});
