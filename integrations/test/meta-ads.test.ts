/**
 * The Meta Marketing API adapter against the fake Graph API: the requests each operation sends (paths, Bearer token,
 * form fields, JSON-encoded structures), insights summed across cursor pages, Graph errors mapped to our kinds
 * (throttling from the usage headers, then refused locally), and Facebook Login's GET token exchange.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { releaseBreakers } from '@umt/infra';
import { metaAdsFake } from '@umt/fakes';
import {
  adapterFor,
  anonymousClient,
  authorizationUrl,
  createState,
  exchangeCode,
  PROVIDERS,
  providerClient,
  readIntegrationConfig,
  type AdsAdapter,
  type OAuthEndpoints,
  type ProviderResponse,
  type ProviderSettings,
} from '@umt/integrations';
import { failure } from './support';

const SERVICE = 'test-meta-ads';
const OUTAGE_SERVICE = 'test-meta-ads-outage';
const metaAds = PROVIDERS.meta_ads;
const REDIRECT_URI = 'https://app.example/integrations/meta_ads/callback';

type Fake = ReturnType<typeof metaAdsFake>;
let fake: Fake;
let settings: ProviderSettings;
let token: string;
let account: string;
let keys = 0;

/** An adapter for the fake's ad account, with rate limits of its own unless a key is given. */
function ads(options: { accessToken?: string; accountKey?: string; service?: string; settings?: ProviderSettings } = {}): AdsAdapter {
  return adapterFor(metaAds, options.settings ?? settings, { kind: 'oauth2', accessToken: options.accessToken ?? token }, {
    service: options.service ?? SERVICE,
    accountKey: options.accountKey ?? `meta-test-${(keys += 1)}`,
  });
}


const form = (fakeRequest: { body: unknown }) => fakeRequest.body as Record<string, string>;
const stored = <T = Record<string, unknown>>(collection: string) => (fake.store.get(collection) ?? []) as T[];

function endpoints(): OAuthEndpoints {
  if (metaAds.auth.kind !== 'oauth2') throw new Error('Meta Ads uses OAuth2');
  return metaAds.auth.endpoints(settings);
}

beforeAll(async () => {
  fake = metaAdsFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.meta_ads;
  token = fake.oauth.issue('ads_management,ads_read').accessToken;
  account = fake.adAccountId;
});

afterAll(async () => {
  await fake.server.stop();
  releaseBreakers(SERVICE);
  releaseBreakers(OUTAGE_SERVICE);
});

beforeEach(() => {
  fake.server.reset();
  fake.server.clearRequests();
  fake.insightsPageSize = 500;
});

async function campaignAdSetAd(adapter = ads()) {
  const campaign = await adapter.createCampaign(account, { name: 'Spring launch', objective: 'TRAFFIC', dailyBudgetCents: 2500 });
  const adSet = await adapter.createAdGroup(account, { campaignId: campaign.id, name: 'DE and US, 25-44', targeting: { countries: ['US', 'DE'], ageMin: 25, ageMax: 44 } });
  const ad = await adapter.createAd(account, { adGroupId: adSet.id, name: 'Launch ad', headline: 'Spring is here', body: 'Everything 20% off this week.', linkUrl: 'https://shop.example/spring' });
  return { campaign, adSet, ad };
}

describe('Meta Ads adapter: objects', () => {
  it('creates a paused campaign with its objective, budget in minor units and the special ad categories', async () => {
    const { id } = await ads().createCampaign(`act_${account}`, { name: 'Spring launch', objective: 'TRAFFIC', dailyBudgetCents: 2500 });

    const [request] = fake.server.received(`/v19.0/act_${account}/campaigns`, 'POST');
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.query.get('access_token')).toBeNull(); // the token stays out of URLs
    expect(form(request!)).toEqual({ name: 'Spring launch', objective: 'OUTCOME_TRAFFIC', status: 'PAUSED', special_ad_categories: '[]', daily_budget: '2500' });
    expect(stored('campaigns')).toContainEqual(expect.objectContaining({ id, objective: 'OUTCOME_TRAFFIC', status: 'PAUSED', daily_budget: 2500, special_ad_categories: [] }));
  });

  it('maps every objective to its ODAX objective and creates an active campaign when asked', async () => {
    const adapter = ads();
    for (const [objective, expected] of [
      ['AWARENESS', 'OUTCOME_AWARENESS'],
      ['ENGAGEMENT', 'OUTCOME_ENGAGEMENT'],
      ['LEADS', 'OUTCOME_LEADS'],
      ['SALES', 'OUTCOME_SALES'],
    ] as const) {
      const { id } = await adapter.createCampaign(account, { name: `Objective ${objective}`, objective, dailyBudgetCents: 1000, status: 'ACTIVE' });
      expect(stored('campaigns')).toContainEqual(expect.objectContaining({ id, objective: expected, status: 'ACTIVE' }));
    }
  });

  it("creates an ad set whose optimisation goal suits the campaign's objective, with targeting JSON, bid and schedule", async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(account, { name: 'Awareness', objective: 'AWARENESS', dailyBudgetCents: 5000 });
    fake.server.clearRequests();
    const startAt = new Date('2031-03-01T08:00:00.000Z');
    const endAt = new Date('2031-03-31T22:00:00.000Z');
    const { id } = await adapter.createAdGroup(account, {
      campaignId: campaign.id,
      name: 'Germany, 25-44',
      bidCents: 150,
      targeting: { countries: ['DE'], ageMin: 25, ageMax: 44 },
      startAt,
      endAt,
    });

    const [read, create] = fake.server.requests;
    expect(read?.method).toBe('GET');
    expect(read?.path).toBe(`/v19.0/${campaign.id}`);
    expect(read?.query.get('fields')).toBe('objective');
    expect(create?.path).toBe(`/v19.0/act_${account}/adsets`);
    const sent = form(create!);
    expect(sent).toMatchObject({
      name: 'Germany, 25-44',
      campaign_id: campaign.id,
      billing_event: 'IMPRESSIONS',
      optimization_goal: 'REACH',
      bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
      bid_amount: '150',
      start_time: '2031-03-01T08:00:00+0000',
      end_time: '2031-03-31T22:00:00+0000',
      status: 'ACTIVE',
    });
    expect(JSON.parse(sent.targeting ?? '')).toEqual({ geo_locations: { countries: ['DE'] }, age_min: 25, age_max: 44 });
    expect(stored('adsets')).toContainEqual(expect.objectContaining({ id, campaign_id: campaign.id, optimization_goal: 'REACH', bid_amount: 150 }));
  });

  it('creates the creative as the configured page, then the ad placing it in the ad set', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(account, { name: 'Sales', objective: 'SALES', dailyBudgetCents: 3000 });
    const adSet = await adapter.createAdGroup(account, { campaignId: campaign.id, name: 'US', targeting: { countries: ['US'] } });
    fake.server.clearRequests();
    const { id } = await adapter.createAd(account, {
      adGroupId: adSet.id,
      name: 'Sale ad',
      headline: 'Spring sale',
      body: 'Everything 20% off this week.',
      linkUrl: 'https://shop.example/sale',
      imageUrl: 'https://cdn.example/sale.jpg',
    });

    const [creativeRequest, adRequest] = fake.server.requests;
    expect(creativeRequest?.path).toBe(`/v19.0/act_${account}/adcreatives`);
    expect(JSON.parse(form(creativeRequest!).object_story_spec ?? '')).toEqual({
      page_id: fake.pageId,
      link_data: { link: 'https://shop.example/sale', message: 'Everything 20% off this week.', name: 'Spring sale', picture: 'https://cdn.example/sale.jpg' },
    });
    const [creative] = stored<{ id: string }>('adcreatives').slice(-1);
    expect(adRequest?.path).toBe(`/v19.0/act_${account}/ads`);
    expect(form(adRequest!)).toEqual({ name: 'Sale ad', adset_id: adSet.id, creative: JSON.stringify({ creative_id: creative?.id }), status: 'ACTIVE' });
    expect(stored('ads')).toContainEqual(expect.objectContaining({ id, adset_id: adSet.id, campaign_id: campaign.id, creative_id: creative?.id, status: 'ACTIVE' }));
  });

  it('pauses and resumes campaigns, ad sets and ads on their own nodes', async () => {
    const adapter = ads();
    const { campaign, adSet, ad } = await campaignAdSetAd(adapter);
    const statusOf = (id: string) => [...stored<{ id: string; status: string }>('campaigns'), ...stored<{ id: string; status: string }>('adsets'), ...stored<{ id: string; status: string }>('ads')].find((o) => o.id === id)?.status;
    for (const [level, id] of [
      ['CAMPAIGN', campaign.id],
      ['AD_GROUP', adSet.id],
      ['AD', ad.id],
    ] as const) {
      fake.server.clearRequests();
      await adapter.pause(account, level, id);
      expect(fake.server.requests.map((r) => [r.method, r.path, form(r).status])).toEqual([['POST', `/v19.0/${id}`, 'PAUSED']]);
      expect(statusOf(id)).toBe('PAUSED');
      await adapter.resume(account, level, id);
      expect(statusOf(id)).toBe('ACTIVE');
    }
  });
});

describe('Meta Ads adapter: insights', () => {
  it('sums daily rows across cursor pages, spend in cents, conversions without counting variants twice', async () => {
    const adapter = ads();
    const { campaign } = await adapter.createCampaign(account, { name: 'Insights', objective: 'TRAFFIC', dailyBudgetCents: 2000 }).then((c) => ({ campaign: c }));
    fake.insightsPageSize = 3;
    fake.server.clearRequests();
    const range = { since: '2024-03-01', until: '2024-03-10' };

    const insights = await adapter.insights(account, 'CAMPAIGN', campaign.id, range);

    const expected = { impressions: 0, clicks: 0, spendCents: 0, conversions: 0 };
    let rows = 0;
    for (let day = 1; day <= 10; day += 1) {
      const numbers = fake.dailyInsights(campaign.id, `2024-03-${String(day).padStart(2, '0')}`);
      if (!numbers) continue;
      rows += 1;
      expected.impressions += numbers.impressions;
      expected.clicks += numbers.clicks;
      expected.spendCents += numbers.spendCents;
      expected.conversions += numbers.purchases + numbers.leads;
    }
    expect(insights).toEqual(expected);

    const requests = fake.server.received(`/v19.0/${campaign.id}/insights`, 'GET');
    expect(requests).toHaveLength(Math.ceil(rows / 3));
    expect(requests[0]?.query.get('fields')).toBe('impressions,clicks,spend,actions');
    expect(JSON.parse(requests[0]?.query.get('time_range') ?? '')).toEqual(range);
    expect(requests[0]?.query.get('time_increment')).toBe('1');
    expect(requests[0]?.query.get('after')).toBeNull();
    expect(requests[1]?.query.get('after')).toBeTruthy();
    expect(requests.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
  });

  it('reports zeros for a period without delivery and refuses malformed dates before calling', async () => {
    const adapter = ads();
    const { id } = await adapter.createCampaign(account, { name: 'Quiet', objective: 'TRAFFIC', dailyBudgetCents: 2000 });
    const quietDay = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12'].find(
      (d) => fake.dailyInsights(id, d) === null,
    );
    if (quietDay) await expect(adapter.insights(account, 'CAMPAIGN', id, { since: quietDay, until: quietDay })).resolves.toEqual({ impressions: 0, clicks: 0, spendCents: 0, conversions: 0 });
    fake.server.clearRequests();
    const error = await failure(adapter.insights(account, 'CAMPAIGN', id, { since: '01/03/2024', until: '2024-03-10' }));
    expect(error.kind).toBe('INVALID_CONTENT');
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('Meta Ads adapter: refusals and failures', () => {
  it("maps Meta's validation errors to INVALID_CONTENT with the advertiser-facing message", async () => {
    const adapter = ads();
    const low = await failure(adapter.createCampaign(account, { name: 'Too cheap', objective: 'TRAFFIC', dailyBudgetCents: 50 }));
    expect(low).toMatchObject({ kind: 'INVALID_CONTENT', code: 'PROVIDER_INVALID_CONTENT', status: 400, providerCode: '100/1885272' });
    expect(low.message).toMatch(/budget is too low/i);

    const fractional = await failure(adapter.createCampaign(account, { name: 'Fraction', objective: 'TRAFFIC', dailyBudgetCents: 1234.5 }));
    expect(fractional).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: '100' });

    const campaign = await adapter.createCampaign(account, { name: 'Targeting', objective: 'TRAFFIC', dailyBudgetCents: 2000 });
    const country = await failure(adapter.createAdGroup(account, { campaignId: campaign.id, name: 'Bad country', targeting: { countries: ['usa'] } }));
    expect(country).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: '100/1487756' });
    const ages = await failure(adapter.createAdGroup(account, { campaignId: campaign.id, name: 'Bad ages', targeting: { countries: ['US'], ageMin: 40, ageMax: 30 } }));
    expect(ages.kind).toBe('INVALID_CONTENT');
    expect(stored<{ campaign_id: string }>('adsets').filter((a) => a.campaign_id === campaign.id)).toHaveLength(0);
  });

  it('maps an unknown object to PERMANENT and refuses ids that are not digits without calling', async () => {
    const adapter = ads();
    const missing = await failure(adapter.createAdGroup(account, { campaignId: '999999999', name: 'Orphan', targeting: { countries: ['US'] } }));
    expect(missing).toMatchObject({ kind: 'PERMANENT', providerCode: '100/33' });
    const otherAccount = await failure(adapter.createCampaign('42', { name: 'Not ours', objective: 'TRAFFIC', dailyBudgetCents: 2000 }));
    expect(otherAccount).toMatchObject({ kind: 'PERMANENT', providerCode: '100/33' });

    fake.server.clearRequests();
    expect((await failure(adapter.pause(account, 'CAMPAIGN', '../me'))).kind).toBe('INVALID_CONTENT');
    expect((await failure(adapter.createCampaign('act_12/../34', { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }))).kind).toBe('INVALID_CONTENT');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('needs a configured page for ads', async () => {
    const adapter = ads();
    const { adSet } = await campaignAdSetAd(adapter);
    const noPage = ads({ settings: { ...settings, extra: { ...settings.extra, PAGE_ID: undefined } } });
    fake.server.clearRequests();
    const error = await failure(noPage.createAd(account, { adGroupId: adSet.id, name: 'x', headline: 'x', body: 'x', linkUrl: 'https://shop.example' }));
    expect(error.kind).toBe('PERMANENT');
    expect(error.message).toContain('INTEGRATION_META_ADS_PAGE_ID');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('maps an expired token (190) to AUTH_EXPIRED and a token without ads_management (200) to PERMANENT', async () => {
    fake.server.fault({ kind: 'expired_token' });
    const expired = await failure(ads().createCampaign(account, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }));
    expect(expired).toMatchObject({ kind: 'AUTH_EXPIRED', code: 'PROVIDER_AUTH_EXPIRED', providerCode: '190/463' });
    fake.server.reset();

    const readOnly = fake.oauth.issue('ads_read').accessToken;
    const denied = await failure(ads({ accessToken: readOnly }).createCampaign(account, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }));
    expect(denied).toMatchObject({ kind: 'PERMANENT', code: 'PROVIDER_REJECTED', status: 403, providerCode: '200' });
    // reading is enough with ads_read
    const campaign = await ads().createCampaign(account, { name: 'Readable', objective: 'TRAFFIC', dailyBudgetCents: 2000 });
    await expect(ads({ accessToken: readOnly }).insights(account, 'CAMPAIGN', campaign.id, { since: '2024-01-01', until: '2024-01-02' })).resolves.toBeDefined();
  });

  it('maps Graph outages (codes 1 and 2, transient) to OUTAGE', async () => {
    const adapter = ads({ service: OUTAGE_SERVICE });
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    expect(await failure(adapter.createCampaign(account, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }))).toMatchObject({ kind: 'OUTAGE', status: 503, providerCode: '2' });
    fake.server.fault({ kind: 'fail', status: 500, times: 1 });
    expect(await failure(adapter.createCampaign(account, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }))).toMatchObject({ kind: 'OUTAGE', status: 500, providerCode: '1' });
  });

  it("maps ads throttling (80004) to RATE_LIMITED with Meta's regain time, then refuses calls locally until then", async () => {
    const accountKey = 'meta-throttled-account';
    const adapter = ads({ accountKey });
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 120, times: 1 });
    const throttled = await failure(adapter.createCampaign(account, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }));
    expect(throttled).toMatchObject({ kind: 'RATE_LIMITED', code: 'PROVIDER_RATE_LIMITED', status: 400, providerCode: '80004/2446079', retryAfterSeconds: 120 });

    const before = fake.server.requests.length;
    const refused = await failure(adapter.createCampaign(account, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 2000 }));
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(100);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
    expect(fake.server.requests).toHaveLength(before); // never reached the fake

    // another account is not held back
    await expect(ads().createCampaign(account, { name: 'Other account', objective: 'TRAFFIC', dailyBudgetCents: 2000 })).resolves.toHaveProperty('id');
  });

  it('classifies the documented Graph codes', () => {
    const classify = metaAds.profile.classify!;
    const answer = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): ProviderResponse => ({ status, headers: new Headers(headers), body: { error } });
    expect(classify(answer(400, { code: 17, message: 'User request limit reached' }))).toMatchObject({ kind: 'RATE_LIMITED', retryAfterSeconds: 60, providerCode: '17' });
    expect(classify(answer(403, { code: 4, message: 'Application request limit reached' }))).toMatchObject({ kind: 'RATE_LIMITED' });
    expect(classify(answer(400, { code: 613, message: 'Calls to this api have exceeded the rate limit.' }))).toMatchObject({ kind: 'RATE_LIMITED' });
    expect(
      classify(answer(400, { code: 80004, error_subcode: 2446079, message: 'too many calls' }, { 'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 100, reset_time_duration: 300 }) })),
    ).toMatchObject({ kind: 'RATE_LIMITED', retryAfterSeconds: 300 });
    expect(classify(answer(400, { code: 190, error_subcode: 460, message: 'password changed' }))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: '190/460' });
    expect(classify(answer(400, { code: 100, error_subcode: 36009, message: 'This authorization code has been used.' }))).toMatchObject({ kind: 'AUTH_EXPIRED' });
    expect(classify(answer(400, { code: 100, error_subcode: 33, message: 'does not exist' }))).toMatchObject({ kind: 'PERMANENT' });
    expect(classify(answer(400, { code: 100, error_subcode: 1487390, error_user_title: 'Ad Creative Is Incomplete', error_user_msg: 'Add a link.' }))).toMatchObject({
      kind: 'INVALID_CONTENT',
      message: 'Meta Ads: Ad Creative Is Incomplete: Add a link.',
    });
    expect(classify(answer(403, { code: 10, message: 'Application does not have permission for this action' }))).toMatchObject({ kind: 'PERMANENT' });
    expect(classify(answer(403, { code: 294, message: 'Managing advertisements requires an access token with ads_management' }))).toMatchObject({ kind: 'PERMANENT' });
    expect(classify(answer(500, { code: 1, message: 'An unknown error occurred' }))).toMatchObject({ kind: 'OUTAGE' });
    expect(classify(answer(400, { code: 2601, is_transient: true, message: 'temporary' }))).toMatchObject({ kind: 'OUTAGE' });
    expect(classify({ status: 502, headers: new Headers(), body: '<html>Bad Gateway</html>' })).toMatchObject({ kind: 'OUTAGE' });
  });
});

describe('Meta Ads: Facebook Login', () => {
  it('sends the person to the login dialog with our client, scopes and state', () => {
    const state = createState();
    const url = new URL(authorizationUrl(endpoints(), { clientId: settings.clientId! }, { redirectUri: REDIRECT_URI, state }));
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.server.url}/v19.0/dialog/oauth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: settings.clientId, redirect_uri: REDIRECT_URI, scope: 'ads_management,ads_read', state });
  });

  it("exchanges the code with a GET on the Graph host's token endpoint; a used code or another redirect URI is refused", async () => {
    const client = { clientId: settings.clientId!, clientSecret: settings.clientSecret! };
    const http = anonymousClient(metaAds, settings, SERVICE);
    const authorize = async () => {
      const state = createState();
      const answer = await fetch(authorizationUrl(endpoints(), client, { redirectUri: REDIRECT_URI, state }), { redirect: 'manual' });
      expect(answer.status).toBe(302);
      await answer.arrayBuffer(); // the connection is released, not left to the garbage collector
      const back = new URL(answer.headers.get('location') ?? '');
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
      expect(back.searchParams.get('state')).toBe(state);
      return back.searchParams.get('code') ?? '';
    };

    const code = await authorize();
    fake.server.clearRequests();
    const tokens = await exchangeCode(http, endpoints(), client, { code, redirectUri: REDIRECT_URI });
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeUndefined(); // Facebook has no refresh tokens
    expect(tokens.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const [exchange] = fake.server.requests;
    expect(exchange?.method).toBe('GET');
    expect(exchange?.path).toBe('/v19.0/oauth/access_token');
    expect(Object.fromEntries(exchange!.query)).toMatchObject({ client_id: client.clientId, client_secret: client.clientSecret, code, redirect_uri: REDIRECT_URI });

    const reused = await failure(exchangeCode(http, endpoints(), client, { code, redirectUri: REDIRECT_URI }));
    expect(reused).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: '100/36009' });
    const otherRedirect = await failure(exchangeCode(http, endpoints(), client, { code: await authorize(), redirectUri: 'https://elsewhere.example/callback' }));
    expect(otherRedirect).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: '100/36008' });
    const wrongClient = await failure(exchangeCode(http, endpoints(), { ...client, clientSecret: 'nope' }, { code: await authorize(), redirectUri: REDIRECT_URI }));
    expect(wrongClient).toMatchObject({ kind: 'PERMANENT', providerCode: '101' });

    // the token identifies the person (GET /me with the Bearer header)
    fake.server.clearRequests();
    const identity = await metaAds.identify(providerClient(metaAds, settings, { kind: 'oauth2', accessToken: tokens.accessToken }, { service: SERVICE, accountKey: 'meta-identify' }));
    expect(identity).toEqual({ id: fake.oauth.options.account.id, name: fake.oauth.options.account.name });
    expect(fake.server.requests[0]?.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
    expect(fake.server.requests[0]?.query.get('fields')).toBe('id,name');
  });
});
