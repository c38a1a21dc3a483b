/**
 * The Google Ads API adapter against the fake REST API: the mutate and search requests each operation sends
 * (Bearer token, developer-token and login-customer-id headers, operations, micros as int64 strings, GAQL), metrics
 * summed across search pages, Google's errors mapped to our kinds (quota errors' retryDelay, then refused locally),
 * and the OAuth2 authorization code flow with PKCE, refresh and revocation against the fake's Google endpoints.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { releaseBreakers } from '@umt/infra';
import { googleAdsFake } from '@umt/fakes';
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
  type AdsAdapter,
  type OAuthEndpoints,
  type ProviderResponse,
  type ProviderSettings,
} from '@umt/integrations';
import { failure } from './support';

const SERVICE = 'test-google-ads';
const OUTAGE_SERVICE = 'test-google-ads-outage';
const googleAds = PROVIDERS.google_ads;
const SCOPE = 'https://www.googleapis.com/auth/adwords';
const REDIRECT_URI = 'https://app.example/integrations/google_ads/callback';

type Fake = ReturnType<typeof googleAdsFake>;
let fake: Fake;
let settings: ProviderSettings;
let token: string;
let customer: string;
let keys = 0;

function ads(options: { accessToken?: string; accountKey?: string; service?: string; settings?: ProviderSettings } = {}): AdsAdapter {
  return adapterFor(googleAds, options.settings ?? settings, { kind: 'oauth2', accessToken: options.accessToken ?? token }, {
    service: options.service ?? SERVICE,
    accountKey: options.accountKey ?? `google-test-${(keys += 1)}`,
  });
}


type Json = Record<string, unknown>;
const json = (request: { body: unknown } | undefined) => (request?.body ?? {}) as { operations?: Json[]; query?: string; pageToken?: string };
const stored = <T = Json>(collection: string) => (fake.store.get(collection) ?? []) as T[];
let names = 0;
const unique = (name: string) => `${name} #${(names += 1)}`;

function endpoints(): OAuthEndpoints {
  if (googleAds.auth.kind !== 'oauth2') throw new Error('Google Ads uses OAuth2');
  return googleAds.auth.endpoints(settings);
}

beforeAll(async () => {
  fake = googleAdsFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.google_ads;
  token = fake.oauth.issue(SCOPE).accessToken;
  customer = fake.customerId;
});

afterAll(async () => {
  await fake.server.stop();
  releaseBreakers(SERVICE);
  releaseBreakers(OUTAGE_SERVICE);
});

beforeEach(() => {
  fake.server.reset();
  fake.server.clearRequests();
  fake.searchPageSize = 10_000;
});

describe('Google Ads adapter: objects', () => {
  it('creates a budget in micros, then a paused Search campaign with manual CPC on it', async () => {
    const { id } = await ads().createCampaign('123-456-7890', { name: 'Spring launch', objective: 'TRAFFIC', dailyBudgetCents: 2550 });

    const [budgetRequest, campaignRequest] = fake.server.requests;
    expect(budgetRequest?.method).toBe('POST');
    expect(budgetRequest?.path).toBe(`/v17/customers/${customer}/campaignBudgets:mutate`);
    expect(budgetRequest?.headers).toMatchObject({ authorization: `Bearer ${token}`, 'developer-token': fake.developerToken, 'content-type': 'application/json' });
    expect(budgetRequest?.headers['login-customer-id']).toBeUndefined();
    const budgetCreate = json(budgetRequest).operations?.[0]?.create as Json;
    expect(budgetCreate).toMatchObject({ amountMicros: '25500000', deliveryMethod: 'STANDARD', explicitlyShared: false });
    expect(budgetCreate.name).toMatch(/^Spring launch \(budget \w+\)$/);

    const budget = stored<{ resourceName: string }>('campaignBudgets').slice(-1)[0];
    expect(campaignRequest?.path).toBe(`/v17/customers/${customer}/campaigns:mutate`);
    expect(json(campaignRequest).operations).toEqual([
      {
        create: {
          name: 'Spring launch',
          status: 'PAUSED',
          advertisingChannelType: 'SEARCH',
          campaignBudget: budget?.resourceName,
          manualCpc: {},
          networkSettings: { targetGoogleSearch: true, targetSearchNetwork: true, targetContentNetwork: false, targetPartnerSearchNetwork: false },
        },
      },
    ]);
    expect(stored('campaigns')).toContainEqual(expect.objectContaining({ resourceName: `customers/${customer}/campaigns/${id}`, status: 'PAUSED', campaignBudget: budget?.resourceName, bidding: 'manualCpc' }));
  });

  it('removes the budget again when the campaign is refused (a duplicate name)', async () => {
    const adapter = ads();
    const name = unique('Duplicate');
    await adapter.createCampaign(customer, { name, objective: 'SALES', dailyBudgetCents: 1000, status: 'ACTIVE' });
    fake.server.clearRequests();
    const error = await failure(adapter.createCampaign(customer, { name, objective: 'SALES', dailyBudgetCents: 1000 }));
    expect(error).toMatchObject({ kind: 'INVALID_CONTENT', status: 400, providerCode: 'DUPLICATE_CAMPAIGN_NAME' });
    expect(error.message).toBe('Google Ads: operations[0].create.name: A campaign with this name already exists.');
    const removal = fake.server.requests[2];
    expect(removal?.path).toBe(`/v17/customers/${customer}/campaignBudgets:mutate`);
    const removed = json(removal).operations?.[0]?.remove;
    expect(stored('campaignBudgets')).toContainEqual(expect.objectContaining({ resourceName: removed, status: 'REMOVED' }));
  });

  it('creates an ad group with its bid, adds its countries to the campaign, excludes ages outside the range and dates the campaign', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Targeted'), objective: 'LEADS', dailyBudgetCents: 5000 });
    fake.server.clearRequests();
    const { id } = await adapter.createAdGroup(customer, {
      campaignId: campaign.id,
      name: 'US and Germany, 25-44',
      bidCents: 135,
      targeting: { countries: ['us', 'DE'], ageMin: 25, ageMax: 44 },
      startAt: new Date('2031-03-01T00:00:00Z'),
      endAt: new Date('2031-03-31T00:00:00Z'),
    });
    const campaignName = `customers/${customer}/campaigns/${campaign.id}`;
    const adGroupName = `customers/${customer}/adGroups/${id}`;
    const calls = fake.server.requests.map((r) => r.path.split('/').pop());
    expect(calls).toEqual(['googleAds:search', 'googleAds:search', 'adGroups:mutate', 'campaignCriteria:mutate', 'adGroupCriteria:mutate', 'campaigns:mutate']);
    const [geoLookup, targeted, adGroupRequest, locations, ages, schedule] = fake.server.requests;
    expect(json(geoLookup).query).toContain("geo_target_constant.country_code IN ('US', 'DE')");
    expect(json(targeted).query).toContain(`FROM campaign_criterion WHERE campaign.id = ${campaign.id}`);
    expect(json(adGroupRequest).operations).toEqual([{ create: { name: 'US and Germany, 25-44', campaign: campaignName, status: 'ENABLED', type: 'SEARCH_STANDARD', cpcBidMicros: '1350000' } }]);
    expect(json(locations).operations).toEqual([
      { create: { campaign: campaignName, location: { geoTargetConstant: 'geoTargetConstants/2840' } } },
      { create: { campaign: campaignName, location: { geoTargetConstant: 'geoTargetConstants/2276' } } },
    ]);
    expect(json(ages).operations?.map((o) => (o.create as { ageRange: { type: string } }).ageRange.type)).toEqual(['AGE_RANGE_18_24', 'AGE_RANGE_45_54', 'AGE_RANGE_55_64', 'AGE_RANGE_65_UP']);
    expect(json(ages).operations?.every((o) => (o.create as Json).negative === true && (o.create as Json).adGroup === adGroupName)).toBe(true);
    expect(json(schedule).operations).toEqual([{ update: { resourceName: campaignName, startDate: '2031-03-01', endDate: '2031-03-31' }, updateMask: 'startDate,endDate' }]);
    expect(stored('campaigns')).toContainEqual(expect.objectContaining({ id: campaign.id, startDate: '2031-03-01', endDate: '2031-03-31' }));
    expect(stored('adGroups')).toContainEqual(expect.objectContaining({ resourceName: adGroupName, cpcBidMicros: '1350000' }));

    // a second ad group adds only the countries the campaign does not target yet
    fake.server.clearRequests();
    await adapter.createAdGroup(customer, { campaignId: campaign.id, name: 'France too', targeting: { countries: ['US', 'FR'] } });
    const more = fake.server.received(`/v17/customers/${customer}/campaignCriteria:mutate`);
    expect(json(more[0]).operations).toEqual([{ create: { campaign: campaignName, location: { geoTargetConstant: 'geoTargetConstants/2250' } } }]);
    expect(fake.server.received(`/v17/customers/${customer}/adGroupCriteria:mutate`)).toHaveLength(0); // no age limits
  });

  it('refuses an unknown country before creating anything', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Nowhere'), objective: 'TRAFFIC', dailyBudgetCents: 1000 });
    fake.server.clearRequests();
    const error = await failure(adapter.createAdGroup(customer, { campaignId: campaign.id, name: 'Atlantis', targeting: { countries: ['US', 'ZZ'] } }));
    expect(error.kind).toBe('INVALID_CONTENT');
    expect(error.message).toContain('ZZ');
    expect(fake.server.requests.map((r) => r.path.split('/').pop())).toEqual(['googleAds:search']);
  });

  it('creates a responsive search ad from one headline and one description per line; its id names the ad group too', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Ads'), objective: 'SALES', dailyBudgetCents: 3000 });
    const adGroup = await adapter.createAdGroup(customer, { campaignId: campaign.id, name: 'All', targeting: { countries: [] } });
    fake.server.clearRequests();
    const { id } = await adapter.createAd(customer, {
      adGroupId: adGroup.id,
      name: 'Sale ad',
      headline: 'Spring sale\nEverything 20% off\n  Free delivery  ',
      body: 'Shop the spring collection today.\nOrders ship within 24 hours.',
      linkUrl: 'https://shop.example/sale',
      imageUrl: 'https://cdn.example/ignored.jpg',
    });
    expect(id).toMatch(new RegExp(`^${adGroup.id}~\\d+$`));
    const [request] = fake.server.requests;
    expect(request?.path).toBe(`/v17/customers/${customer}/adGroupAds:mutate`);
    expect(json(request).operations).toEqual([
      {
        create: {
          adGroup: `customers/${customer}/adGroups/${adGroup.id}`,
          status: 'ENABLED',
          ad: {
            finalUrls: ['https://shop.example/sale'],
            responsiveSearchAd: {
              headlines: [{ text: 'Spring sale' }, { text: 'Everything 20% off' }, { text: 'Free delivery' }],
              descriptions: [{ text: 'Shop the spring collection today.' }, { text: 'Orders ship within 24 hours.' }],
            },
          },
        },
      },
    ]);
    expect(stored('adGroupAds')).toContainEqual(expect.objectContaining({ resourceName: `customers/${customer}/adGroupAds/${id}` }));
  });

  it("maps the API's refusal of a short or too long ad to INVALID_CONTENT", async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Bad ads'), objective: 'SALES', dailyBudgetCents: 3000 });
    const adGroup = await adapter.createAdGroup(customer, { campaignId: campaign.id, name: 'All', targeting: { countries: [] } });
    const few = await failure(adapter.createAd(customer, { adGroupId: adGroup.id, name: 'x', headline: 'Only one headline', body: 'One.\nTwo.', linkUrl: 'https://shop.example' }));
    expect(few).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'TOO_FEW' });
    expect(few.message).toContain('operations[0].create.ad.responsive_search_ad.headlines');
    const long = await failure(
      adapter.createAd(customer, { adGroupId: adGroup.id, name: 'x', headline: 'One\nTwo\nThis headline is far longer than thirty characters', body: 'One.\nTwo.', linkUrl: 'https://shop.example' }),
    );
    expect(long).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'TOO_LONG' });
    const url = await failure(adapter.createAd(customer, { adGroupId: adGroup.id, name: 'x', headline: 'One\nTwo\nThree', body: 'One.\nTwo.', linkUrl: 'not a url' }));
    expect(url).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'INVALID_URL' });
    expect(stored<{ adGroup: string }>('adGroupAds').filter((a) => a.adGroup.endsWith(`/${adGroup.id}`))).toHaveLength(0);
  });

  it('pauses and resumes with update operations masked to the status', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Switch'), objective: 'TRAFFIC', dailyBudgetCents: 3000 });
    const adGroup = await adapter.createAdGroup(customer, { campaignId: campaign.id, name: 'All', targeting: { countries: [] } });
    const ad = await adapter.createAd(customer, { adGroupId: adGroup.id, name: 'x', headline: 'One\nTwo\nThree', body: 'One.\nTwo.', linkUrl: 'https://shop.example' });
    const cases = [
      ['CAMPAIGN', campaign.id, 'campaigns', `customers/${customer}/campaigns/${campaign.id}`],
      ['AD_GROUP', adGroup.id, 'adGroups', `customers/${customer}/adGroups/${adGroup.id}`],
      ['AD', ad.id, 'adGroupAds', `customers/${customer}/adGroupAds/${ad.id}`],
    ] as const;
    for (const [level, id, service, resourceName] of cases) {
      fake.server.clearRequests();
      await adapter.pause(customer, level, id);
      const [request] = fake.server.requests;
      expect(request?.path).toBe(`/v17/customers/${customer}/${service}:mutate`);
      expect(json(request).operations).toEqual([{ update: { resourceName, status: 'PAUSED' }, updateMask: 'status' }]);
      expect(stored<{ resourceName: string; status: string }>(service).find((r) => r.resourceName === resourceName)?.status).toBe('PAUSED');
      await adapter.resume(customer, level, id);
      expect(stored<{ resourceName: string; status: string }>(service).find((r) => r.resourceName === resourceName)?.status).toBe('ENABLED');
    }
    expect((await failure(adapter.pause(customer, 'AD', ad.id.split('~')[1] ?? ''))).kind).toBe('INVALID_CONTENT'); // an ad id names its ad group
    expect((await failure(adapter.pause(customer, 'CAMPAIGN', '999'))).providerCode).toBe('RESOURCE_NOT_FOUND');
  });
});

describe('Google Ads adapter: insights', () => {
  it('sums daily GAQL rows across pages: cost micros to cents, fractional conversions', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Insights'), objective: 'TRAFFIC', dailyBudgetCents: 3000 });
    fake.searchPageSize = 2;
    fake.server.clearRequests();
    const range = { since: '2024-03-01', until: '2024-03-07' };
    const insights = await adapter.insights(customer, 'CAMPAIGN', campaign.id, range);

    let rows = 0;
    let micros = 0;
    const expected = { impressions: 0, clicks: 0, spendCents: 0, conversions: 0 };
    for (let day = 1; day <= 7; day += 1) {
      const m = fake.dailyMetrics(campaign.id, `2024-03-0${day}`);
      if (!m) continue;
      rows += 1;
      expected.impressions += m.impressions;
      expected.clicks += m.clicks;
      expected.conversions += m.conversions;
      micros += m.costMicros;
    }
    expected.spendCents = micros / 10_000;
    expect(insights).toEqual(expected);

    const requests = fake.server.received(`/v17/customers/${customer}/googleAds:search`);
    expect(requests).toHaveLength(Math.max(1, Math.ceil(rows / 2)));
    expect(json(requests[0]).query).toBe(
      `SELECT metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, segments.date FROM campaign WHERE campaign.id = ${campaign.id} AND segments.date BETWEEN '2024-03-01' AND '2024-03-07'`,
    );
    expect(json(requests[0]).pageToken).toBeUndefined();
    expect(json(requests[1]).pageToken).toBeTruthy();
    expect(json(requests[1]).query).toBe(json(requests[0]).query);
  });

  it('queries ad groups and ads by their own ids', async () => {
    const adapter = ads();
    const campaign = await adapter.createCampaign(customer, { name: unique('Levels'), objective: 'TRAFFIC', dailyBudgetCents: 3000 });
    const adGroup = await adapter.createAdGroup(customer, { campaignId: campaign.id, name: 'All', targeting: { countries: [] } });
    const ad = await adapter.createAd(customer, { adGroupId: adGroup.id, name: 'x', headline: 'One\nTwo\nThree', body: 'One.\nTwo.', linkUrl: 'https://shop.example' });
    fake.server.clearRequests();
    const range = { since: '2024-05-01', until: '2024-05-03' };
    const groupInsights = await adapter.insights(customer, 'AD_GROUP', adGroup.id, range);
    const adInsights = await adapter.insights(customer, 'AD', ad.id, range);
    const [groupQuery, adQuery] = fake.server.requests.map((r) => json(r).query);
    expect(groupQuery).toContain(`FROM ad_group WHERE ad_group.id = ${adGroup.id} AND segments.date BETWEEN`);
    const [groupId, adId] = ad.id.split('~');
    expect(adQuery).toContain(`FROM ad_group_ad WHERE ad_group.id = ${groupId} AND ad_group_ad.ad.id = ${adId} AND segments.date BETWEEN`);
    const sum = (key: string) =>
      ['2024-05-01', '2024-05-02', '2024-05-03'].reduce((total, date) => total + (fake.dailyMetrics(key, date)?.impressions ?? 0), 0);
    expect(groupInsights.impressions).toBe(sum(adGroup.id));
    expect(adInsights.impressions).toBe(sum(ad.id));
  });
});

describe('Google Ads adapter: access and failures', () => {
  it('reaches a client account through its manager with login-customer-id; without it, PERMANENT', async () => {
    const clientCustomer = '555-666-7777';
    const denied = await failure(ads().createCampaign(clientCustomer, { name: unique('Client'), objective: 'TRAFFIC', dailyBudgetCents: 1000 }));
    expect(denied).toMatchObject({ kind: 'PERMANENT', status: 403, providerCode: 'USER_PERMISSION_DENIED' });

    const viaManager = { ...settings, extra: { ...settings.extra, LOGIN_CUSTOMER_ID: '999-888-7777' } };
    fake.server.clearRequests();
    await ads({ settings: viaManager }).createCampaign(clientCustomer, { name: unique('Client'), objective: 'TRAFFIC', dailyBudgetCents: 1000 });
    expect(fake.server.requests[0]?.path).toBe('/v17/customers/5556667777/campaignBudgets:mutate');
    expect(fake.server.requests.every((r) => r.headers['login-customer-id'] === '9998887777')).toBe(true);
  });

  it('maps a missing or refused developer token to PERMANENT (our configuration, not the account)', async () => {
    const missing = await failure(ads({ settings: { ...settings, extra: { ...settings.extra, DEVELOPER_TOKEN: undefined } } }).createCampaign(customer, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }));
    expect(missing).toMatchObject({ kind: 'PERMANENT', status: 400, providerCode: 'DEVELOPER_TOKEN_PARAMETER_MISSING' });
    expect(fake.server.requests[0]?.headers['developer-token']).toBeUndefined();
    const refused = await failure(ads({ settings: { ...settings, extra: { ...settings.extra, DEVELOPER_TOKEN: 'someone-elses-token' } } }).createCampaign(customer, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }));
    expect(refused).toMatchObject({ kind: 'PERMANENT', status: 403, providerCode: 'DEVELOPER_TOKEN_PROHIBITED' });
  });

  it('refuses customer and object ids that are not digits before calling', async () => {
    const adapter = ads();
    const badCustomer = await failure(adapter.createCampaign('12345', { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }));
    expect(badCustomer.kind).toBe('INVALID_CONTENT');
    const injection = await failure(adapter.insights(customer, 'CAMPAIGN', '1 OR campaign.id > 0', { since: '2024-01-01', until: '2024-01-02' }));
    expect(injection.kind).toBe('INVALID_CONTENT');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('maps an expired token to AUTH_EXPIRED and a token without the adwords scope to PERMANENT', async () => {
    fake.server.fault({ kind: 'expired_token' });
    const expired = await failure(ads().createCampaign(customer, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }));
    expect(expired).toMatchObject({ kind: 'AUTH_EXPIRED', code: 'PROVIDER_AUTH_EXPIRED', status: 401, providerCode: 'OAUTH_TOKEN_INVALID' });
    fake.server.reset();
    const narrow = fake.oauth.issue('openid email').accessToken;
    const scope = await failure(ads({ accessToken: narrow }).createCampaign(customer, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }));
    expect(scope).toMatchObject({ kind: 'PERMANENT', status: 403, providerCode: 'PERMISSION_DENIED' });
  });

  it('maps UNAVAILABLE and INTERNAL to OUTAGE', async () => {
    const adapter = ads({ service: OUTAGE_SERVICE });
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    expect(await failure(adapter.createCampaign(customer, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }))).toMatchObject({ kind: 'OUTAGE', status: 503, providerCode: 'TRANSIENT_ERROR' });
    fake.server.fault({ kind: 'fail', status: 500, times: 1 });
    expect(await failure(adapter.createCampaign(customer, { name: 'x', objective: 'TRAFFIC', dailyBudgetCents: 1000 }))).toMatchObject({ kind: 'OUTAGE', status: 500, providerCode: 'INTERNAL_ERROR' });
  });

  it("maps a quota error to RATE_LIMITED with its retryDelay, then refuses the account's calls locally", async () => {
    const accountKey = 'google-throttled-account';
    const adapter = ads({ accountKey });
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 45, times: 1 });
    const throttled = await failure(adapter.insights(customer, 'CAMPAIGN', '1', { since: '2024-01-01', until: '2024-01-02' }));
    expect(throttled).toMatchObject({ kind: 'RATE_LIMITED', code: 'PROVIDER_RATE_LIMITED', status: 429, providerCode: 'RESOURCE_TEMPORARILY_EXHAUSTED', retryAfterSeconds: 45 });

    const before = fake.server.requests.length;
    const refused = await failure(adapter.insights(customer, 'CAMPAIGN', '1', { since: '2024-01-01', until: '2024-01-02' }));
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(40);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(45);
    expect(fake.server.requests).toHaveLength(before);
    await expect(ads().insights(customer, 'CAMPAIGN', '1', { since: '2024-01-01', until: '2024-01-02' })).resolves.toEqual({ impressions: 0, clicks: 0, spendCents: 0, conversions: 0 });
  });

  it('classifies GoogleAdsFailure answers', () => {
    const classify = googleAds.profile.classify!;
    const answer = (status: number, grpc: string, errorCode?: Record<string, string>, extra: Json[] = []): ProviderResponse => ({
      status,
      headers: new Headers(),
      body: {
        error: {
          code: status,
          message: 'failed',
          status: grpc,
          details: [...(errorCode ? [{ '@type': 'type.googleapis.com/google.ads.googleads.v17.errors.GoogleAdsFailure', errors: [{ errorCode, message: 'why' }] }] : []), ...extra],
        },
      },
    });
    expect(classify(answer(401, 'UNAUTHENTICATED'))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'UNAUTHENTICATED' });
    expect(classify(answer(401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_EXPIRED' }))).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'OAUTH_TOKEN_EXPIRED' });
    expect(classify(answer(401, 'UNAUTHENTICATED', { authenticationError: 'CUSTOMER_NOT_FOUND' }))).toMatchObject({ kind: 'PERMANENT' });
    expect(classify(answer(429, 'RESOURCE_EXHAUSTED', { quotaError: 'RESOURCE_EXHAUSTED' }))).toMatchObject({ kind: 'RATE_LIMITED', retryAfterSeconds: 30 });
    expect(classify(answer(429, 'RESOURCE_EXHAUSTED', undefined, [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12.5s' }]))).toMatchObject({ kind: 'RATE_LIMITED', retryAfterSeconds: 13 });
    expect(classify(answer(400, 'INVALID_ARGUMENT', { rangeError: 'TOO_LOW' }))).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'TOO_LOW' });
    expect(classify(answer(403, 'PERMISSION_DENIED', { authorizationError: 'USER_PERMISSION_DENIED' }))).toMatchObject({ kind: 'PERMANENT' });
    expect(classify(answer(404, 'NOT_FOUND'))).toMatchObject({ kind: 'PERMANENT' });
    expect(classify(answer(503, 'UNAVAILABLE'))).toMatchObject({ kind: 'OUTAGE' });
    expect(classify(answer(504, 'DEADLINE_EXCEEDED'))).toMatchObject({ kind: 'OUTAGE' });
    expect(classify({ status: 400, headers: new Headers(), body: { error: 'invalid_grant', error_description: 'Bad Request' } })).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'invalid_grant' });
  });
});

describe('Google Ads: OAuth2 with PKCE', () => {
  it('authorizes with state and an S256 challenge, exchanges with the verifier, refuses a wrong one, refreshes, identifies and revokes', async () => {
    const client = { clientId: settings.clientId!, clientSecret: settings.clientSecret! };
    const http = anonymousClient(googleAds, settings, SERVICE);
    const authorize = async () => {
      const pkce = createPkcePair();
      const state = createState();
      const url = new URL(authorizationUrl(endpoints(), client, { redirectUri: REDIRECT_URI, state, codeChallenge: pkce.challenge }));
      expect(`${url.origin}${url.pathname}`).toBe(`${fake.server.url}/o/oauth2/v2/auth`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: REDIRECT_URI,
        scope: SCOPE,
        state,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        access_type: 'offline',
        prompt: 'consent',
      });
      const answer = await fetch(url, { redirect: 'manual' });
      expect(answer.status).toBe(302);
      await answer.arrayBuffer(); // the connection is released, not left to the garbage collector
      const back = new URL(answer.headers.get('location') ?? '');
      expect(back.searchParams.get('state')).toBe(state);
      return { code: back.searchParams.get('code') ?? '', verifier: pkce.verifier };
    };

    // a wrong verifier is refused, and the code is spent
    const first = await authorize();
    const wrong = await failure(exchangeCode(http, endpoints(), client, { code: first.code, redirectUri: REDIRECT_URI, codeVerifier: createPkcePair().verifier }));
    expect(wrong).toMatchObject({ kind: 'AUTH_EXPIRED', status: 400, providerCode: 'invalid_grant' });
    expect((await failure(exchangeCode(http, endpoints(), client, { code: first.code, redirectUri: REDIRECT_URI, codeVerifier: first.verifier }))).providerCode).toBe('invalid_grant');

    // the right verifier gives tokens; the client authenticates in the form body
    const second = await authorize();
    fake.server.clearRequests();
    const tokens = await exchangeCode(http, endpoints(), client, { code: second.code, redirectUri: REDIRECT_URI, codeVerifier: second.verifier });
    expect(tokens).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), scopes: [SCOPE] });
    const [exchange] = fake.server.requests;
    expect(exchange?.path).toBe('/token');
    expect(exchange?.headers.authorization).toBeUndefined();
    expect(exchange?.body).toMatchObject({ grant_type: 'authorization_code', code: second.code, code_verifier: second.verifier, client_id: client.clientId, client_secret: client.clientSecret });

    // refresh
    const refreshed = await refreshTokens(http, endpoints(), client, tokens.refreshToken!);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(fake.oauth.refreshCount).toBe(1);

    // identify with the token: the first accessible customer
    fake.server.clearRequests();
    const api = providerClient(googleAds, settings, { kind: 'oauth2', accessToken: refreshed.accessToken }, { service: SERVICE, accountKey: 'google-identify' });
    await expect(googleAds.identify(api)).resolves.toEqual({ id: customer, name: customer });
    expect(fake.server.requests[0]?.path).toBe('/v17/customers:listAccessibleCustomers');
    expect(fake.server.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${refreshed.accessToken}`, 'developer-token': fake.developerToken });

    // revoke: the token no longer works
    await expect(revokeToken(http, endpoints(), client, refreshed.accessToken, 'access_token')).resolves.toBe(true);
    expect(fake.oauth.revocations).toContain(refreshed.accessToken);
    expect((await failure(googleAds.identify(api))).kind).toBe('AUTH_EXPIRED');
  });

  it("uses Google's token and revocation hosts when the authorization URL is Google's", () => {
    if (googleAds.auth.kind !== 'oauth2') throw new Error('Google Ads uses OAuth2');
    const real = googleAds.auth.endpoints({ ...settings, authUrl: 'https://accounts.google.com' });
    expect(real).toMatchObject({
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      revokeUrl: 'https://oauth2.googleapis.com/revoke',
      pkce: true,
      clientAuth: 'body',
    });
  });
});
