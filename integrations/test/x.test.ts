import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { releaseBreakers } from '@umt/infra';
import { xFake } from '@umt/fakes';
import {
  adapterFor,
  anonymousClient,
  authorizationUrl,
  createPkcePair,
  createState,
  exchangeCode,
  PROVIDERS,
  providerClient,
  readIntegrationConfig,
  refreshTokens,
  revokeToken,
  splitThread,
  type OAuthEndpoints,
  type ProviderSettings,
} from '@umt/integrations';
import { failure } from './support';

const x = PROVIDERS.x;
const SERVICE = 'test-x';
const REDIRECT = 'https://app.example.test/connections/x/callback';
const SCOPE = 'tweet.read tweet.write users.read offline.access';

let fake: ReturnType<typeof xFake>;
let settings: ProviderSettings;
let endpoints: OAuthEndpoints;
let accounts = 0;
let texts = 0;

/** A connected account of its own (its own rate-limit key), with a token the fake issued. */
function connect(scope = SCOPE) {
  const { accessToken } = fake.oauth.issue(scope);
  const options = { service: SERVICE, accountKey: `x-test-${(accounts += 1)}` };
  const credentials = { kind: 'oauth2', accessToken } as const;
  return { accessToken, adapter: adapterFor(x, settings, credentials, options), http: providerClient(x, settings, credentials, options) };
}

/** A text no other test posted (X refuses duplicates). */
const unique = (text: string) => `${text} #${(texts += 1)}`;


/** The consent step: the fake approves at once and redirects back with the code and the state. */
async function consent(url: string): Promise<URL> {
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

beforeAll(async () => {
  fake = xFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.x;
  if (x.auth.kind !== 'oauth2') throw new Error('X is an OAuth2 provider');
  endpoints = x.auth.endpoints(settings);
});

afterEach(() => fake.server.reset());

afterAll(async () => {
  releaseBreakers(SERVICE);
  await fake.server.stop();
});

describe('X OAuth 2.0 with PKCE', () => {
  it('sends the person to the consent page with state and an S256 challenge, and exchanges the code with its verifier', async () => {
    const pkce = createPkcePair();
    const state = createState();
    const url = new URL(authorizationUrl(endpoints, { clientId: settings.clientId ?? '' }, { redirectUri: REDIRECT, state, codeChallenge: pkce.challenge }));
    expect(url.origin + url.pathname).toBe(`${fake.server.url}/i/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: REDIRECT,
      scope: SCOPE,
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });

    const back = await consent(url.toString());
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code') ?? '';
    const client = { clientId: settings.clientId ?? '', clientSecret: settings.clientSecret ?? '' };
    const tokens = await exchangeCode(anonymousClient(x, settings, SERVICE), endpoints, client, { code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scopes).toEqual(SCOPE.split(' '));
    expect((tokens.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7000_000); // two hours

    const [exchange] = fake.server.received('/2/oauth2/token', 'POST');
    // A confidential client: HTTP Basic, nothing secret in the form, the verifier in it.
    expect(exchange?.headers.authorization).toBe(`Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`);
    expect(exchange?.body).toEqual({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier });

    // The token works: identify.
    const me = await x.identify(providerClient(x, settings, { kind: 'oauth2', accessToken: tokens.accessToken }, { service: SERVICE, accountKey: 'x-oauth' }));
    expect(me).toEqual({ id: '1849302756104912896', name: 'UMT Sandbox', url: 'https://x.com/umt_sandbox' });
  });

  it('refuses a wrong verifier as a dead grant', async () => {
    const pkce = createPkcePair();
    const url = authorizationUrl(endpoints, { clientId: settings.clientId ?? '' }, { redirectUri: REDIRECT, state: createState(), codeChallenge: pkce.challenge });
    const code = (await consent(url)).searchParams.get('code') ?? '';
    const client = { clientId: settings.clientId ?? '', clientSecret: settings.clientSecret ?? '' };
    const error = await failure(exchangeCode(anonymousClient(x, settings, SERVICE), endpoints, client, { code, redirectUri: REDIRECT, codeVerifier: createPkcePair().verifier }));
    expect(error).toMatchObject({ kind: 'AUTH_EXPIRED', code: 'PROVIDER_AUTH_EXPIRED', providerCode: 'invalid_grant', status: 400 });
  });

  it('refreshes (the old refresh token then no longer works) and revokes', async () => {
    const { refreshToken } = fake.oauth.issue(SCOPE);
    const client = { clientId: settings.clientId ?? '', clientSecret: settings.clientSecret ?? '' };
    const http = anonymousClient(x, settings, SERVICE);
    const before = fake.oauth.refreshCount;
    const tokens = await refreshTokens(http, endpoints, client, refreshToken);
    expect(fake.oauth.refreshCount).toBe(before + 1);
    expect(tokens.refreshToken).not.toBe(refreshToken);
    expect(fake.server.received('/2/oauth2/token').at(-1)?.body).toEqual({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(await failure(refreshTokens(http, endpoints, client, refreshToken))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'invalid_grant' });

    expect(await revokeToken(http, endpoints, client, tokens.accessToken, 'access_token')).toBe(true);
    expect(fake.oauth.revocations).toContain(tokens.accessToken);
    const revoked = providerClient(x, settings, { kind: 'oauth2', accessToken: tokens.accessToken }, { service: SERVICE, accountKey: 'x-revoked' });
    expect(await failure(x.identify(revoked))).toMatchObject({ kind: 'AUTH_EXPIRED', status: 401 });
  });
});

describe('X posts', () => {
  it('posts a short text as one post with the user token', async () => {
    const { adapter, accessToken } = connect();
    const text = unique('Launch day: our spring collection is live.');
    const published = await adapter.publish({ text });
    const [request] = fake.server.received('/2/tweets', 'POST');
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({ text });
    expect(published).toEqual({ externalId: expect.any(String), partIds: [published.externalId], url: `https://x.com/i/web/status/${published.externalId}` });
    expect(fake.store.get('tweets')).toContainEqual(expect.objectContaining({ id: published.externalId, text, inReplyToId: undefined }));
    fake.server.clearRequests();
  });

  it('shares a link by appending it to the text', async () => {
    const { adapter } = connect();
    const text = unique('Read the announcement');
    await adapter.publish({ text, link: 'https://example.com/blog/spring' });
    expect(fake.server.received('/2/tweets', 'POST').at(-1)?.body).toEqual({ text: `${text} https://example.com/blog/spring` });
  });

  it('posts a long text as a thread, each part replying to the one before', async () => {
    const { adapter } = connect();
    const sentence = 'Every part of this announcement is a full sentence so that the thread reads well on X.';
    const text = unique(Array.from({ length: 10 }, () => sentence).join(' ') + ' https://example.com/a/very/long/link/that/counts/as/twenty-three');
    fake.server.clearRequests();
    const published = await adapter.publish({ text });

    const posts = fake.server.received('/2/tweets', 'POST').map((r) => r.body as { text: string; reply?: { in_reply_to_tweet_id: string } });
    expect(posts.length).toBe(published.partIds.length);
    expect(posts.length).toBeGreaterThan(1);
    expect(posts[0]?.reply).toBeUndefined();
    posts.slice(1).forEach((post, i) => expect(post.reply).toEqual({ in_reply_to_tweet_id: published.partIds[i] }));
    posts.forEach((post, i) => expect(post.text.endsWith(` ${i + 1}/${posts.length}`)).toBe(true));

    // The fake kept the chain: one conversation, in order.
    const tweets = (fake.store.get('tweets') as { id: string; inReplyToId?: string; conversationId: string; text: string }[]).filter((t) => published.partIds.includes(t.id));
    expect(tweets.map((t) => t.id)).toEqual(published.partIds);
    expect(new Set(tweets.map((t) => t.conversationId))).toEqual(new Set([published.externalId]));
    expect(tweets.slice(1).map((t) => t.inReplyToId)).toEqual(published.partIds.slice(0, -1));
    // No word lost or cut.
    expect(tweets.map((t) => t.text.replace(/ \d+\/\d+$/, '')).join(' ')).toBe(text);
  });

  it('takes back the parts already posted when a later part is refused', async () => {
    const { adapter } = connect();
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`);
    const text = unique(words.join(' '));
    // Post what will be the thread's second part first: X refuses it as a duplicate.
    const parts = splitThread(text);
    await connect().adapter.publish({ text: parts[1] ?? '' });
    const deletes = fake.server.received('/2/tweets/', 'DELETE').length;

    const error = await failure(adapter.publish({ text }));
    expect(error).toMatchObject({ kind: 'INVALID_CONTENT', status: 403 });
    const first = (fake.store.get('tweets') as { text: string; deleted: boolean }[]).find((t) => t.text === parts[0]);
    expect(first?.deleted).toBe(true);
    expect(fake.server.received('/2/tweets/', 'DELETE').length).toBe(deletes + 1);
  });

  it('deletes a post, and a post already gone counts as deleted', async () => {
    const { adapter, accessToken } = connect();
    const { externalId } = await adapter.publish({ text: unique('Short-lived') });
    await adapter.delete(externalId);
    const request = fake.server.received(`/2/tweets/${externalId}`, 'DELETE')[0];
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect((fake.store.get('tweets') as { id: string; deleted: boolean }[]).find((t) => t.id === externalId)?.deleted).toBe(true);
    await expect(adapter.delete(externalId)).resolves.toBeUndefined();
  });
});

describe('X failures', () => {
  it('maps an outage, an invalid request and an expired token', async () => {
    const { adapter } = connect();
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    expect(await failure(adapter.publish({ text: unique('outage') }))).toMatchObject({ kind: 'OUTAGE', code: 'PROVIDER_UNAVAILABLE', status: 503 });

    fake.server.fault({ kind: 'invalid', times: 1 });
    expect(await failure(adapter.publish({ text: unique('invalid') }))).toMatchObject({ kind: 'INVALID_CONTENT', code: 'PROVIDER_INVALID_CONTENT', providerCode: 'invalid-request' });

    fake.server.fault({ kind: 'expired_token' });
    expect(await failure(adapter.publish({ text: unique('expired') }))).toMatchObject({ kind: 'AUTH_EXPIRED', code: 'PROVIDER_AUTH_EXPIRED', status: 401 });
  });

  it('maps what X refuses in the content: too long, duplicate; and a missing scope as permanent', async () => {
    const { adapter, http } = connect();
    // Past the splitter, straight to the API: X counts and refuses.
    const tooLong = await failure(http.request({ method: 'POST', path: '/2/tweets', json: { text: 'y'.repeat(281) } }));
    expect(tooLong).toMatchObject({ kind: 'INVALID_CONTENT', status: 403 });
    expect(tooLong.message).toMatch(/too long/);

    const text = unique('Said once');
    await adapter.publish({ text });
    expect(await failure(adapter.publish({ text }))).toMatchObject({ kind: 'INVALID_CONTENT', status: 403 });

    const readOnly = connect('tweet.read users.read');
    expect(await failure(readOnly.adapter.publish({ text: unique('no scope') }))).toMatchObject({ kind: 'PERMANENT', code: 'PROVIDER_REJECTED', providerCode: 'client-forbidden' });
  });

  it('after a 429 with a wait, refuses the next call locally until then', async () => {
    const { adapter } = connect();
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
    expect(await failure(adapter.publish({ text: unique('busy') }))).toMatchObject({ kind: 'RATE_LIMITED', code: 'PROVIDER_RATE_LIMITED', status: 429, retryAfterSeconds: 30 });
    const count = fake.server.requests.length;
    const refused = await failure(adapter.publish({ text: unique('still busy') }));
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(25);
    expect(fake.server.requests.length).toBe(count);
  });

  it('stops when x-rate-limit-remaining reaches 0, until x-rate-limit-reset, without asking X', async () => {
    const { adapter } = connect();
    const limit = fake.limits['POST /2/tweets'];
    fake.limits['POST /2/tweets'] = 2;
    try {
      await adapter.publish({ text: unique('one') });
      await adapter.publish({ text: unique('two') }); // answered with x-rate-limit-remaining: 0
      const count = fake.server.requests.length;
      const refused = await failure(adapter.publish({ text: unique('three') }));
      expect(refused.kind).toBe('RATE_LIMITED');
      expect(refused.retryAfterSeconds).toBeGreaterThan(800); // the 15-minute window
      expect(fake.server.requests.length).toBe(count);
    } finally {
      fake.limits['POST /2/tweets'] = limit;
    }
  });
});
