/**
 * Google Ads through the Google Ads API's REST interface (https://developers.google.com/google-ads/api/rest/overview):
 * Search campaigns with their budgets, ad groups with location and age targeting, responsive search ads, status
 * changes, and metrics through GAQL.
 *
 * - Version: pinned in every path (`/v17/...`); the base URL is the API host's root.
 * - Writes are the services' `:mutate` calls (`{ operations: [{ create | update, updateMask }] }`), answered with
 *   resource names (`customers/{id}/campaigns/{n}`). Our ids are the last part of a resource name: the campaign's or
 *   ad group's number, and for an ad `{adGroupId}~{adId}` (an ad is named by its ad group and itself).
 * - Money: the API counts in micros of the account currency (int64, written as strings in JSON): cents × 10 000.
 * - A campaign is a Search campaign with manual CPC (so an ad group's bid applies) and its own, unshared daily budget,
 *   created first. Google has no campaign "objective" field for Search; our objective does not change the request.
 *   A campaign is created PAUSED unless asked otherwise; ad groups and ads are created ENABLED, so the campaign alone
 *   decides when spending starts.
 * - Targeting: locations are campaign criteria in Google Ads (an ad group cannot have its own), so an ad group's
 *   countries are added to its campaign, looked up as geo target constants through GAQL; ages are ad group criteria:
 *   the age ranges wholly outside the wanted ages are excluded. Start and end dates are the campaign's too.
 * - Ads: a responsive search ad needs 3 to 15 headlines (30 characters each) and 2 to 4 descriptions (90 each):
 *   the headline holds one headline per line and the body one description per line. There is no image.
 * - Auth: Google OAuth2 (offline access for a refresh token, PKCE, client credentials in the body), scope adwords;
 *   every call also carries our `developer-token` and, when access goes through a manager account,
 *   `login-customer-id`.
 * - Errors: `{ error: { code, message, status, details: [GoogleAdsFailure { errors: [{ errorCode, message,
 *   location, details }] }] } }`, mapped by status and error code; quota errors say their retryDelay.
 */
import { kindOfStatus, ProviderError, type ProviderFailureKind } from '../errors';
import type { ProviderHttp, ProviderProfile, ProviderResponse } from '../http';
import { oauthError } from '../oauth';
import type { ProviderModule } from '../provider';
import { retryAfterSeconds } from '../rate-limits';
import type { AdCampaignInput, AdGroupInput, AdInput, AdInsights, AdLevel, AdsAdapter } from './types';

/** The pinned Google Ads API version (each major version lives about a year). */
export const GOOGLE_ADS_API_VERSION = 'v17';
const V = `/${GOOGLE_ADS_API_VERSION}`;
const DISPLAY_NAME = 'Google Ads';
const MICROS_PER_CENT = 10_000;
/** A quota error without a retryDelay: Google's guidance is to back off for about 30 seconds. */
const DEFAULT_QUOTA_WAIT_SECONDS = 30;
/** Search pages hold 10 000 rows (fixed since v17): a bound on pages followed. */
const MAX_SEARCH_PAGES = 100;
const REAL_AUTH_HOST = 'accounts.google.com';

/** Google's age ranges for demographic targeting, with the ages each holds. */
const AGE_RANGES: [type: string, from: number, to: number][] = [
  ['AGE_RANGE_18_24', 18, 24],
  ['AGE_RANGE_25_34', 25, 34],
  ['AGE_RANGE_35_44', 35, 44],
  ['AGE_RANGE_45_54', 45, 54],
  ['AGE_RANGE_55_64', 55, 64],
  ['AGE_RANGE_65_UP', 65, Number.POSITIVE_INFINITY],
];

/**
 * Error codes that mean our configuration is wrong (developer token, manager account, the customer), not the user's
 * token nor the content: reconnecting or editing would not help.
 */
const CONFIGURATION_ERRORS = new Set([
  'DEVELOPER_TOKEN_PARAMETER_MISSING',
  'DEVELOPER_TOKEN_INVALID',
  'DEVELOPER_TOKEN_NOT_APPROVED',
  'DEVELOPER_TOKEN_PROHIBITED',
  'DEVELOPER_TOKEN_NOT_ON_ALLOWLIST',
  'LOGIN_CUSTOMER_ID_PARAMETER_MISSING',
  'CUSTOMER_NOT_FOUND',
  'CUSTOMER_NOT_ENABLED',
  'NOT_ADS_USER',
  'USER_PERMISSION_DENIED',
]);

interface GoogleAdsErrorEntry {
  /** One entry, `{ <kind>Error: 'NAME' }`, e.g. `{ campaignError: 'DUPLICATE_CAMPAIGN_NAME' }`. */
  errorCode?: Record<string, string>;
  message?: string;
  location?: { fieldPathElements?: { fieldName?: string; index?: number }[] };
  details?: { quotaErrorDetails?: { rateScope?: string; rateName?: string; retryDelay?: string } };
}

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { '@type'?: string; errors?: GoogleAdsErrorEntry[]; requestId?: string; retryDelay?: string }[];
  };
}

interface SearchRow {
  metrics?: { impressions?: string; clicks?: string; costMicros?: string; conversions?: number };
  geoTargetConstant?: { resourceName?: string; countryCode?: string };
  campaignCriterion?: { location?: { geoTargetConstant?: string } };
}

interface SearchPage {
  results?: SearchRow[];
  nextPageToken?: string;
}

/** A protobuf Duration in JSON ("30s", "1.5s") as whole seconds. */
function durationSeconds(value: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value ?? '');
  return match ? Math.ceil(Number(match[1])) : undefined;
}

function fieldPath(entry: GoogleAdsErrorEntry): string {
  return (entry.location?.fieldPathElements ?? []).map((e) => `${e.fieldName ?? ''}${e.index === undefined ? '' : `[${e.index}]`}`).join('.');
}

/** Maps Google Ads API errors (https://developers.google.com/google-ads/api/docs/best-practices/error-types) to our kinds. */
export function classifyGoogleAds(response: ProviderResponse): ProviderError {
  // The token endpoint answers RFC 6749 errors (`{ error: 'invalid_grant' }`), the API Google's own shape.
  const tokenError = oauthError(DISPLAY_NAME, response);
  if (tokenError) return tokenError;
  const status = response.status;
  const error = (response.body as GoogleErrorBody | undefined)?.error;
  if (!error || typeof error !== 'object') {
    return new ProviderError(DISPLAY_NAME, kindOfStatus(status), `answered HTTP ${status}`, { status, retryAfterSeconds: retryAfterSeconds(response.headers) });
  }
  const details = Array.isArray(error.details) ? error.details : [];
  const failures = details.filter((d) => d['@type']?.endsWith('.GoogleAdsFailure')).flatMap((d) => d.errors ?? []);
  const first = failures[0];
  const [errorKind, errorName] = Object.entries(first?.errorCode ?? {})[0] ?? [];
  const where = first ? fieldPath(first) : '';
  const message = first?.message ? (where ? `${where}: ${first.message}` : first.message) : (error.message ?? `answered HTTP ${status}`);
  const providerCode = errorName ?? error.status ?? String(status);
  const grpcStatus = error.status ?? '';

  let kind: ProviderFailureKind;
  let retryAfter: number | undefined;
  if (errorName && CONFIGURATION_ERRORS.has(errorName)) kind = 'PERMANENT';
  else if (grpcStatus === 'UNAUTHENTICATED' || status === 401) kind = 'AUTH_EXPIRED';
  else if (grpcStatus === 'RESOURCE_EXHAUSTED' || status === 429 || errorKind === 'quotaError') {
    kind = 'RATE_LIMITED';
    const quotaDelay = failures.map((f) => durationSeconds(f.details?.quotaErrorDetails?.retryDelay)).find((s) => s !== undefined);
    const retryInfo = details.map((d) => (d['@type']?.endsWith('google.rpc.RetryInfo') ? durationSeconds(d.retryDelay) : undefined)).find((s) => s !== undefined);
    retryAfter = quotaDelay ?? retryInfo ?? retryAfterSeconds(response.headers) ?? DEFAULT_QUOTA_WAIT_SECONDS;
  } else if (grpcStatus === 'INVALID_ARGUMENT' || grpcStatus === 'FAILED_PRECONDITION' || status === 400) kind = 'INVALID_CONTENT';
  else if (grpcStatus === 'PERMISSION_DENIED' || grpcStatus === 'NOT_FOUND' || status === 403 || status === 404) kind = 'PERMANENT';
  else if (grpcStatus === 'UNAVAILABLE' || grpcStatus === 'INTERNAL' || grpcStatus === 'DEADLINE_EXCEEDED' || status >= 500) kind = 'OUTAGE';
  else kind = kindOfStatus(status);
  return new ProviderError(DISPLAY_NAME, kind, message, { status, providerCode, retryAfterSeconds: retryAfter });
}

const profile: ProviderProfile = {
  id: 'google_ads',
  displayName: DISPLAY_NAME,
  classify: classifyGoogleAds,
  // The API sends no rate-limit headers: its quota errors carry the wait (read by classify).
  rateLimit: () => undefined,
};

function refuse(message: string): never {
  throw new ProviderError(DISPLAY_NAME, 'INVALID_CONTENT', message);
}

/** A customer id as the API wants it: ten digits, without the dashes of the "123-456-7890" display form. */
function customerId(account: string): string {
  const id = account.replace(/-/g, '').trim();
  if (!/^\d{10}$/.test(id)) refuse(`a Google Ads customer id is 10 digits (got ${JSON.stringify(account)})`);
  return id;
}

/** A numeric id: it goes into resource names and GAQL, so digits only. */
function numericId(id: string, what: string): string {
  if (!/^\d+$/.test(id)) refuse(`a ${what} id is digits (got ${JSON.stringify(id)})`);
  return id;
}

/** An ad's id, `{adGroupId}~{adId}`, as its two numbers. */
function adIds(id: string): [adGroupId: string, adId: string] {
  const match = /^(\d+)~(\d+)$/.exec(id);
  if (!match?.[1] || !match[2]) refuse(`a Google Ads ad id is {adGroupId}~{adId} (got ${JSON.stringify(id)})`);
  return [match[1], match[2]];
}

const lastSegment = (resourceName: string) => resourceName.slice(resourceName.lastIndexOf('/') + 1);
const micros = (cents: number) => String(Math.round(cents * MICROS_PER_CENT));
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A date in the account's time zone as the API writes dates; we have the instant, so its UTC day. */
const apiDate = (date: Date) => date.toISOString().slice(0, 10);
const number = (value: string | number | undefined) => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
};

type MutateService = 'campaignBudgets' | 'campaigns' | 'adGroups' | 'adGroupAds' | 'campaignCriteria' | 'adGroupCriteria';

async function mutate(http: ProviderHttp, customer: string, service: MutateService, operations: Record<string, unknown>[]): Promise<string[]> {
  const response = await http.request<{ results?: { resourceName?: string }[] }>({
    method: 'POST',
    path: `${V}/customers/${customer}/${service}:mutate`,
    json: { operations },
  });
  const names = (response.body?.results ?? []).map((r) => r.resourceName ?? '');
  if (names.length !== operations.length || names.some((n) => !n)) {
    throw new ProviderError(DISPLAY_NAME, 'PERMANENT', `${service}:mutate answered without the resource names`);
  }
  return names;
}

/** Every row of a GAQL query, following `nextPageToken`. */
async function search(http: ProviderHttp, customer: string, query: string): Promise<SearchRow[]> {
  const rows: SearchRow[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_SEARCH_PAGES; page += 1) {
    const response = await http.request<SearchPage>({
      method: 'POST',
      path: `${V}/customers/${customer}/googleAds:search`,
      json: pageToken ? { query, pageToken } : { query },
    });
    rows.push(...(response.body?.results ?? []));
    pageToken = response.body?.nextPageToken;
    if (!pageToken) return rows;
  }
  throw new ProviderError(DISPLAY_NAME, 'PERMANENT', `a search did not end after ${MAX_SEARCH_PAGES} pages`);
}

function googleAdsAdapter(http: ProviderHttp): AdsAdapter {
  const setStatus = async (account: string, level: AdLevel, id: string, status: 'PAUSED' | 'ENABLED') => {
    const customer = customerId(account);
    let service: MutateService;
    let resourceName: string;
    if (level === 'CAMPAIGN') [service, resourceName] = ['campaigns', `customers/${customer}/campaigns/${numericId(id, 'campaign')}`];
    else if (level === 'AD_GROUP') [service, resourceName] = ['adGroups', `customers/${customer}/adGroups/${numericId(id, 'ad group')}`];
    else [service, resourceName] = ['adGroupAds', `customers/${customer}/adGroupAds/${adIds(id).join('~')}`];
    await mutate(http, customer, service, [{ update: { resourceName, status }, updateMask: 'status' }]);
  };

  return {
    async createCampaign(account: string, input: AdCampaignInput) {
      const customer = customerId(account);
      // Budget names are unique in an account: the campaign's name alone would collide with an earlier budget.
      const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const [budget = ''] = await mutate(http, customer, 'campaignBudgets', [
        { create: { name: `${input.name} (budget ${suffix})`, amountMicros: micros(input.dailyBudgetCents), deliveryMethod: 'STANDARD', explicitlyShared: false } },
      ]);
      try {
        const [campaign = ''] = await mutate(http, customer, 'campaigns', [
          {
            create: {
              name: input.name,
              status: input.status === 'ACTIVE' ? 'ENABLED' : 'PAUSED',
              advertisingChannelType: 'SEARCH',
              campaignBudget: budget,
              manualCpc: {},
              networkSettings: { targetGoogleSearch: true, targetSearchNetwork: true, targetContentNetwork: false, targetPartnerSearchNetwork: false },
            },
          },
        ]);
        return { id: lastSegment(campaign) };
      } catch (error) {
        // A budget without its campaign is clutter (and its name is taken): removed, best effort.
        await mutate(http, customer, 'campaignBudgets', [{ remove: budget }]).catch(() => undefined);
        throw error;
      }
    },

    async createAdGroup(account: string, input: AdGroupInput) {
      const customer = customerId(account);
      const campaign = `customers/${customer}/campaigns/${numericId(input.campaignId, 'campaign')}`;
      const countries = input.targeting.countries.map((c) => c.trim().toUpperCase());
      const invalidCountry = countries.find((c) => !/^[A-Z]{2}$/.test(c));
      if (invalidCountry !== undefined) refuse(`a country is a two-letter ISO code (got ${JSON.stringify(invalidCountry)})`);
      // Countries first: an unknown one refuses the ad group before anything is created.
      let locations: string[] = [];
      if (countries.length) {
        const rows = await search(
          http,
          customer,
          `SELECT geo_target_constant.resource_name, geo_target_constant.country_code FROM geo_target_constant WHERE geo_target_constant.country_code IN (${countries.map((c) => `'${c}'`).join(', ')}) AND geo_target_constant.target_type = 'Country' AND geo_target_constant.status = 'ENABLED'`,
        );
        const byCountry = new Map(rows.map((r) => [r.geoTargetConstant?.countryCode ?? '', r.geoTargetConstant?.resourceName ?? '']));
        const unknown = countries.filter((c) => !byCountry.get(c));
        if (unknown.length) refuse(`Google Ads has no country ${unknown.join(', ')}`);
        // The campaign may target some of them already (another ad group's): adding one again is refused.
        const targeted = await search(
          http,
          customer,
          `SELECT campaign_criterion.location.geo_target_constant FROM campaign_criterion WHERE campaign.id = ${input.campaignId} AND campaign_criterion.type = 'LOCATION'`,
        );
        const existing = new Set(targeted.map((r) => r.campaignCriterion?.location?.geoTargetConstant));
        locations = [...new Set(countries.map((c) => byCountry.get(c) ?? ''))].filter((l) => !existing.has(l));
      }
      const [adGroup = ''] = await mutate(http, customer, 'adGroups', [
        {
          create: {
            name: input.name,
            campaign,
            status: 'ENABLED',
            type: 'SEARCH_STANDARD',
            cpcBidMicros: input.bidCents === undefined ? undefined : micros(input.bidCents),
          },
        },
      ]);
      try {
        if (locations.length) {
          await mutate(
            http,
            customer,
            'campaignCriteria',
            locations.map((geoTargetConstant) => ({ create: { campaign, location: { geoTargetConstant } } })),
          );
        }
        const { ageMin = 0, ageMax = Number.POSITIVE_INFINITY } = input.targeting;
        const excluded = AGE_RANGES.filter(([, from, to]) => to < ageMin || from > ageMax).map(([type]) => type);
        if (excluded.length) {
          await mutate(
            http,
            customer,
            'adGroupCriteria',
            excluded.map((type) => ({ create: { adGroup, negative: true, ageRange: { type } } })),
          );
        }
        if (input.startAt || input.endAt) {
          const schedule: Record<string, string> = {};
          if (input.startAt) schedule.startDate = apiDate(input.startAt);
          if (input.endAt) schedule.endDate = apiDate(input.endAt);
          await mutate(http, customer, 'campaigns', [{ update: { resourceName: campaign, ...schedule }, updateMask: Object.keys(schedule).join(',') }]);
        }
      } catch (error) {
        // Not targeted as asked: the ad group goes rather than serve to everyone (best effort).
        await mutate(http, customer, 'adGroups', [{ remove: adGroup }]).catch(() => undefined);
        throw error;
      }
      return { id: lastSegment(adGroup) };
    },

    async createAd(account: string, input: AdInput) {
      const customer = customerId(account);
      const adGroup = `customers/${customer}/adGroups/${numericId(input.adGroupId, 'ad group')}`;
      const [ad = ''] = await mutate(http, customer, 'adGroupAds', [
        {
          create: {
            adGroup,
            status: 'ENABLED',
            ad: {
              finalUrls: [input.linkUrl],
              responsiveSearchAd: {
                headlines: lines(input.headline).map((text) => ({ text })),
                descriptions: lines(input.body).map((text) => ({ text })),
              },
            },
          },
        },
      ]);
      return { id: lastSegment(ad) };
    },

    async pause(account: string, level: AdLevel, id: string) {
      await setStatus(account, level, id, 'PAUSED');
    },

    async resume(account: string, level: AdLevel, id: string) {
      await setStatus(account, level, id, 'ENABLED');
    },

    async insights(account: string, level: AdLevel, id: string, range: { since: string; until: string }): Promise<AdInsights> {
      const customer = customerId(account);
      if (!DAY.test(range.since) || !DAY.test(range.until)) refuse(`insights dates are YYYY-MM-DD (got ${range.since} to ${range.until})`);
      let from: string;
      if (level === 'CAMPAIGN') from = `campaign WHERE campaign.id = ${numericId(id, 'campaign')}`;
      else if (level === 'AD_GROUP') from = `ad_group WHERE ad_group.id = ${numericId(id, 'ad group')}`;
      else {
        const [adGroupId, adId] = adIds(id);
        from = `ad_group_ad WHERE ad_group.id = ${adGroupId} AND ad_group_ad.ad.id = ${adId}`;
      }
      const rows = await search(
        http,
        customer,
        `SELECT metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, segments.date FROM ${from} AND segments.date BETWEEN '${range.since}' AND '${range.until}'`,
      );
      let costMicros = 0;
      const totals: AdInsights = { impressions: 0, clicks: 0, spendCents: 0, conversions: 0 };
      for (const row of rows) {
        totals.impressions += number(row.metrics?.impressions);
        totals.clicks += number(row.metrics?.clicks);
        totals.conversions += number(row.metrics?.conversions);
        costMicros += number(row.metrics?.costMicros);
      }
      totals.spendCents = Math.round(costMicros / MICROS_PER_CENT);
      // Conversions are fractional in Google Ads (data-driven attribution splits them).
      totals.conversions = Math.round(totals.conversions * 100) / 100;
      return totals;
    },
  };
}

export const googleAds: ProviderModule<AdsAdapter> = {
  id: 'google_ads',
  displayName: DISPLAY_NAME,
  category: 'ADS',
  defaults: { apiUrl: 'https://googleads.googleapis.com', authUrl: `https://${REAL_AUTH_HOST}` },
  extraSettings: ['DEVELOPER_TOKEN', 'LOGIN_CUSTOMER_ID'],
  profile,
  auth: {
    kind: 'oauth2',
    endpoints: (settings) => {
      // Google's consent page is on accounts.google.com, its token and revocation endpoints on oauth2.googleapis.com;
      // any other authorization base (a fake, a proxy) serves all three.
      const real = new URL(settings.authUrl).hostname === REAL_AUTH_HOST;
      const tokenBase = real ? 'https://oauth2.googleapis.com' : settings.authUrl;
      return {
        authorizeUrl: `${settings.authUrl}/o/oauth2/v2/auth`,
        tokenUrl: `${tokenBase}/token`,
        revokeUrl: `${tokenBase}/revoke`,
        scopes: ['https://www.googleapis.com/auth/adwords'],
        clientAuth: 'body',
        pkce: true,
        // offline: a refresh token; consent: asked again, so a reconnection gets a refresh token too.
        authorizeParams: { access_type: 'offline', prompt: 'consent' },
      };
    },
  },
  authorize(headers, credentials, settings) {
    if (credentials.kind === 'oauth2') headers.set('authorization', `Bearer ${credentials.accessToken}`);
    const developerToken = settings.extra.DEVELOPER_TOKEN;
    if (developerToken) headers.set('developer-token', developerToken);
    // The manager account access goes through, as digits (the console shows it as 123-456-7890).
    const loginCustomer = settings.extra.LOGIN_CUSTOMER_ID?.replace(/-/g, '').trim();
    if (loginCustomer) headers.set('login-customer-id', loginCustomer);
  },
  async identify(http) {
    const response = await http.request<{ resourceNames?: string[] }>({ path: `${V}/customers:listAccessibleCustomers` });
    const first = response.body?.resourceNames?.[0];
    if (!first) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'no Google Ads account is accessible with this Google account');
    const id = lastSegment(first);
    return { id, name: id };
  },
  adapter: (http) => googleAdsAdapter(http),
};
