/**
 * Meta ads (Facebook, Instagram) through the Marketing API, the ads part of the Graph API
 * (https://developers.facebook.com/docs/marketing-apis/): campaigns, ad sets, ad creatives and ads under an ad account
 * (`act_<id>`), status changes, insights.
 *
 * - Version: pinned in every path (`/v19.0/...`); the base URL is the Graph host's root.
 * - Objects: a campaign (objective from the ODAX set, daily budget in the account currency's minor units, i.e. our
 *   cents for two-decimal currencies), ad sets (targeting, optimisation, schedule), creatives (a link ad posted as the
 *   configured Facebook Page), ads (an ad set and a creative). A campaign is created PAUSED unless asked otherwise;
 *   its ad sets and ads are created ACTIVE, so the campaign alone decides when spending starts.
 * - The Facebook Page the creatives speak as is a provider setting: INTEGRATION_META_ADS_PAGE_ID (`extra.PAGE_ID`).
 *   The ads interface has no page, and an organisation runs its ads from one page.
 * - Writes are form-encoded like the documented calls, structured values (targeting, object_story_spec) as JSON text.
 * - Auth: Facebook Login (OAuth2 authorization code; the token endpoint is a GET on the Graph host), scopes
 *   ads_management and ads_read; the user token goes in `Authorization: Bearer` (Graph also takes an
 *   `access_token` parameter, which would put it in URLs and logs).
 * - Errors: Graph's `{ error: { message, type, code, error_subcode, is_transient, fbtrace_id } }`, mapped by code.
 * - Rate limits: Business Use Case limits (`X-Business-Use-Case-Usage`, `estimated_time_to_regain_access` in
 *   minutes) and the ad account limit (`X-Ad-Account-Usage`, `reset_time_duration` in seconds); throttling answers
 *   are HTTP 400 with codes 4, 17, 32, 613 or 80000-80014, not 429.
 */
import { kindOfStatus, ProviderError, type ProviderFailureKind } from '../errors';
import type { ProviderHttp, ProviderProfile, ProviderResponse } from '../http';
import type { ProviderModule, ProviderSettings } from '../provider';
import { retryAfterSeconds, type RateLimitState } from '../rate-limits';
import type { AdCampaignInput, AdGroupInput, AdInput, AdInsights, AdLevel, AdObjective, AdsAdapter } from './types';

/** The pinned Graph API version (Meta supports a version for about two years after its release). */
export const META_GRAPH_VERSION = 'v19.0';
const V = `/${META_GRAPH_VERSION}`;
const DISPLAY_NAME = 'Meta Ads';
/** A throttling answer without usage headers: Meta asks to "wait a bit"; a minute is its usual window. */
const DEFAULT_THROTTLE_SECONDS = 60;
/** Insights rows per page (one row per day: a month fits in one page). */
const INSIGHTS_PAGE_SIZE = 100;
/** A bound on pages followed: 37 months (the insights retention) of daily rows is 12 pages. */
const MAX_INSIGHTS_PAGES = 50;

/** Our objectives in Meta's outcome-based (ODAX) set, the only objectives new campaigns accept since v17. */
const OBJECTIVES: Record<AdObjective, string> = {
  AWARENESS: 'OUTCOME_AWARENESS',
  TRAFFIC: 'OUTCOME_TRAFFIC',
  ENGAGEMENT: 'OUTCOME_ENGAGEMENT',
  LEADS: 'OUTCOME_LEADS',
  SALES: 'OUTCOME_SALES',
};

/**
 * The ad set's optimisation goal for its campaign's objective. Leads and sales would optimise for conversions, which
 * needs a pixel or a lead form (promoted_object) we do not manage: they optimise for link clicks to the landing page,
 * which both objectives accept for a website destination.
 */
const OPTIMIZATION_GOALS: Record<string, string> = {
  OUTCOME_AWARENESS: 'REACH',
  OUTCOME_TRAFFIC: 'LINK_CLICKS',
  OUTCOME_ENGAGEMENT: 'POST_ENGAGEMENT',
  OUTCOME_LEADS: 'LINK_CLICKS',
  OUTCOME_SALES: 'LINK_CLICKS',
};

/**
 * Action types counted as conversions: Meta's aggregated types (each already sums its pixel, app and on-Facebook
 * variants, so the variants such as `offsite_conversion.fb_pixel_purchase` are not added again).
 */
const CONVERSION_ACTIONS = new Set(['purchase', 'lead', 'complete_registration']);

/** Graph error codes that mean "too many calls" (app, user, page, custom, and the ads Business Use Case codes). */
const THROTTLE_CODES = new Set([4, 17, 32, 341, 613]);
const isAdsThrottle = (code: number) => code >= 80000 && code <= 80014;
/** Code 100 subcodes of the token endpoint: the code is invalid, expired, used or its redirect_uri differs. */
const DEAD_GRANT_SUBCODES = new Set([36007, 36008, 36009]);
/** Permission and policy refusals: no permission (10, 200-299), the app is unknown (101), blocked (368), old API. */
const isPermanentCode = (code: number) => code === 3 || code === 10 || code === 101 || code === 368 || code === 2635 || (code >= 200 && code <= 299);

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

interface GraphPage<T> {
  data?: T[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string };
}

interface InsightsRow {
  impressions?: string;
  clicks?: string;
  spend?: string;
  actions?: { action_type?: string; value?: string }[];
}

function parseJsonHeader(value: string | null): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Seconds until Meta lets calls through again, from its usage headers: the largest `estimated_time_to_regain_access`
 * (minutes) of the Business Use Case usage, or the ad account's `reset_time_duration` (seconds) once it is at 100%.
 */
export function metaThrottleSeconds(headers: Headers): number | undefined {
  let wait: number | undefined;
  const businessUsage = parseJsonHeader(headers.get('x-business-use-case-usage'));
  if (businessUsage && typeof businessUsage === 'object') {
    for (const entries of Object.values(businessUsage as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as { estimated_time_to_regain_access?: unknown }[]) {
        const minutes = Number(entry?.estimated_time_to_regain_access);
        if (Number.isFinite(minutes) && minutes > 0) wait = Math.max(wait ?? 0, minutes * 60);
      }
    }
  }
  const accountUsage = parseJsonHeader(headers.get('x-ad-account-usage')) as { acc_id_util_pct?: unknown; reset_time_duration?: unknown } | undefined;
  const percent = Number(accountUsage?.acc_id_util_pct);
  const reset = Number(accountUsage?.reset_time_duration);
  if (percent >= 100 && Number.isFinite(reset) && reset > 0) wait = Math.max(wait ?? 0, Math.ceil(reset));
  return wait;
}

/** The usage headers as a rate-limit state: nothing left until the reset when Meta says calls are refused. */
function metaRateLimit(headers: Headers): RateLimitState | undefined {
  const wait = metaThrottleSeconds(headers);
  return wait === undefined ? undefined : { remaining: 0, resetAt: new Date(Date.now() + wait * 1000) };
}

/** Maps Graph API errors (https://developers.facebook.com/docs/graph-api/guides/error-handling) to our kinds. */
export function classifyMeta(response: ProviderResponse): ProviderError {
  const body = response.body as { error?: GraphError } | undefined;
  const error = typeof body?.error === 'object' && body.error !== null ? body.error : undefined;
  const status = response.status;
  if (!error) {
    return new ProviderError(DISPLAY_NAME, kindOfStatus(status), `answered HTTP ${status}`, { status, retryAfterSeconds: retryAfterSeconds(response.headers) });
  }
  const code = Number(error.code);
  const subcode = Number(error.error_subcode);
  // error_user_msg is Meta's explanation meant for the advertiser (why a budget or targeting was refused).
  const message = [error.error_user_title, error.error_user_msg ?? error.message].filter(Boolean).join(': ') || `answered HTTP ${status}`;
  const providerCode = Number.isFinite(subcode) ? `${code}/${subcode}` : String(code);
  let kind: ProviderFailureKind;
  let retryAfter: number | undefined;
  if (code === 190 || code === 102) kind = 'AUTH_EXPIRED';
  else if (THROTTLE_CODES.has(code) || isAdsThrottle(code)) {
    kind = 'RATE_LIMITED';
    retryAfter = metaThrottleSeconds(response.headers) ?? retryAfterSeconds(response.headers) ?? DEFAULT_THROTTLE_SECONDS;
  } else if (code === 100 && DEAD_GRANT_SUBCODES.has(subcode)) kind = 'AUTH_EXPIRED';
  else if (code === 100 && subcode === 33) kind = 'PERMANENT'; // the object does not exist or is not ours
  else if (error.is_transient === true || code === 1 || code === 2 || status >= 500) kind = 'OUTAGE';
  else if (code === 100) kind = 'INVALID_CONTENT';
  else if (isPermanentCode(code)) kind = 'PERMANENT';
  else kind = kindOfStatus(status);
  return new ProviderError(DISPLAY_NAME, kind, message, { status, providerCode, retryAfterSeconds: retryAfter });
}

const profile: ProviderProfile = {
  id: 'meta_ads',
  displayName: DISPLAY_NAME,
  classify: classifyMeta,
  rateLimit: metaRateLimit,
};

function refuse(message: string): never {
  throw new ProviderError(DISPLAY_NAME, 'INVALID_CONTENT', message);
}

/** The ad account's number (with or without its `act_` prefix): it becomes part of a path, so digits only. */
function accountPath(account: string): string {
  const id = account.trim().replace(/^act_/, '');
  if (!/^\d+$/.test(id)) refuse(`an ad account id is digits, optionally prefixed with act_ (got ${JSON.stringify(account)})`);
  return `${V}/act_${id}`;
}

function objectId(id: string, what: string): string {
  if (!/^\d+$/.test(id)) refuse(`a ${what} id is digits (got ${JSON.stringify(id)})`);
  return id;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Graph's own datetime form (ISO 8601 with a numeric offset, no milliseconds). */
function graphTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** A decimal amount in currency units ("12.34") as cents. */
function toCents(amount: string | undefined): number {
  const value = Number(amount ?? 0);
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
}

const count = (value: string | undefined) => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
};

function created(response: ProviderResponse<{ id?: string }>, what: string): { id: string } {
  const id = response.body?.id;
  if (typeof id !== 'string' || !id) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', `the ${what} was created without an id in the answer`);
  return { id };
}

function metaAdapter(http: ProviderHttp, settings: ProviderSettings): AdsAdapter {
  const setStatus = async (id: string, status: 'ACTIVE' | 'PAUSED') => {
    // Campaigns, ad sets and ads are all updated by posting to the object's node; the level needs no other path.
    const response = await http.request<{ success?: boolean }>({ method: 'POST', path: `${V}/${objectId(id, 'campaign, ad set or ad')}`, form: { status } });
    if (response.body?.success === false) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', `the status of ${id} was not changed`);
  };

  return {
    async createCampaign(account: string, input: AdCampaignInput) {
      const response = await http.request<{ id?: string }>({
        method: 'POST',
        path: `${accountPath(account)}/campaigns`,
        form: {
          name: input.name,
          objective: OBJECTIVES[input.objective],
          status: input.status ?? 'PAUSED',
          // Required on every campaign: the declaration that it is not a housing, employment, credit or political ad.
          special_ad_categories: '[]',
          // The campaign budget (Advantage campaign budget), in the currency's minor units, an integer.
          daily_budget: String(input.dailyBudgetCents),
        },
      });
      return created(response, 'campaign');
    },

    async createAdGroup(account: string, input: AdGroupInput) {
      const path = accountPath(account);
      // The optimisation goal must suit the campaign's objective, which only the campaign knows.
      const campaign = await http.request<{ objective?: string }>({ path: `${V}/${objectId(input.campaignId, 'campaign')}`, query: { fields: 'objective' } });
      const optimizationGoal = OPTIMIZATION_GOALS[campaign.body?.objective ?? ''] ?? 'LINK_CLICKS';
      const targeting: Record<string, unknown> = { geo_locations: { countries: input.targeting.countries } };
      if (input.targeting.ageMin !== undefined) targeting.age_min = input.targeting.ageMin;
      if (input.targeting.ageMax !== undefined) targeting.age_max = input.targeting.ageMax;
      const response = await http.request<{ id?: string }>({
        method: 'POST',
        path: `${path}/adsets`,
        form: {
          name: input.name,
          campaign_id: input.campaignId,
          billing_event: 'IMPRESSIONS',
          optimization_goal: optimizationGoal,
          targeting: JSON.stringify(targeting),
          // A bid is a cap per result; without one Meta bids for the lowest cost.
          bid_strategy: input.bidCents === undefined ? undefined : 'LOWEST_COST_WITH_BID_CAP',
          bid_amount: input.bidCents === undefined ? undefined : String(input.bidCents),
          start_time: input.startAt ? graphTime(input.startAt) : undefined,
          end_time: input.endAt ? graphTime(input.endAt) : undefined,
          status: 'ACTIVE',
        },
      });
      return created(response, 'ad set');
    },

    async createAd(account: string, input: AdInput) {
      const path = accountPath(account);
      const pageId = settings.extra.PAGE_ID;
      if (!pageId) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'no Facebook Page is configured for ads (INTEGRATION_META_ADS_PAGE_ID)');
      const linkData: Record<string, string> = { link: input.linkUrl, message: input.body, name: input.headline };
      if (input.imageUrl) linkData.picture = input.imageUrl;
      // The creative first (what the ad says, posted as the page), then the ad placing it in the ad set.
      const creative = created(
        await http.request<{ id?: string }>({
          method: 'POST',
          path: `${path}/adcreatives`,
          form: { name: `${input.name} (creative)`, object_story_spec: JSON.stringify({ page_id: pageId, link_data: linkData }) },
        }),
        'ad creative',
      );
      const response = await http.request<{ id?: string }>({
        method: 'POST',
        path: `${path}/ads`,
        form: { name: input.name, adset_id: input.adGroupId, creative: JSON.stringify({ creative_id: creative.id }), status: 'ACTIVE' },
      });
      return created(response, 'ad');
    },

    async pause(_account: string, _level: AdLevel, id: string) {
      await setStatus(id, 'PAUSED');
    },

    async resume(_account: string, _level: AdLevel, id: string) {
      await setStatus(id, 'ACTIVE');
    },

    async insights(_account: string, _level: AdLevel, id: string, range: { since: string; until: string }): Promise<AdInsights> {
      if (!DAY.test(range.since) || !DAY.test(range.until)) refuse(`insights dates are YYYY-MM-DD (got ${range.since} to ${range.until})`);
      const totals: AdInsights = { impressions: 0, clicks: 0, spendCents: 0, conversions: 0 };
      let after: string | undefined;
      for (let page = 0; page < MAX_INSIGHTS_PAGES; page += 1) {
        const response = await http.request<GraphPage<InsightsRow>>({
          path: `${V}/${objectId(id, 'campaign, ad set or ad')}/insights`,
          query: {
            fields: 'impressions,clicks,spend,actions',
            time_range: JSON.stringify({ since: range.since, until: range.until }),
            time_increment: 1,
            limit: INSIGHTS_PAGE_SIZE,
            after,
          },
        });
        for (const row of response.body?.data ?? []) {
          totals.impressions += count(row.impressions);
          totals.clicks += count(row.clicks);
          totals.spendCents += toCents(row.spend);
          for (const action of row.actions ?? []) if (CONVERSION_ACTIONS.has(action.action_type ?? '')) totals.conversions += count(action.value);
        }
        // Graph gives `next` only while there is more; the cursor is followed on our own base URL rather than the
        // absolute `next` link, so the token never goes to a host taken from an answer.
        after = response.body?.paging?.cursors?.after;
        if (!response.body?.paging?.next || !after) return totals;
      }
      throw new ProviderError(DISPLAY_NAME, 'PERMANENT', `insights of ${id} did not end after ${MAX_INSIGHTS_PAGES} pages`);
    },
  };
}

export const metaAds: ProviderModule<AdsAdapter> = {
  id: 'meta_ads',
  displayName: DISPLAY_NAME,
  category: 'ADS',
  defaults: { apiUrl: 'https://graph.facebook.com', authUrl: 'https://www.facebook.com' },
  extraSettings: ['PAGE_ID'],
  profile,
  auth: {
    kind: 'oauth2',
    endpoints: (settings) => ({
      // The login dialog is on www.facebook.com, the token exchange on the Graph host.
      authorizeUrl: `${settings.authUrl}${V}/dialog/oauth`,
      tokenUrl: `${settings.apiUrl}${V}/oauth/access_token`,
      scopes: ['ads_management', 'ads_read'],
      scopeSeparator: ',',
      clientAuth: 'body',
      // Facebook documents PKCE only for its OIDC login flow (still "in testing"), not for the permissions flow.
      pkce: false,
      tokenMethod: 'GET',
    }),
  },
  authorize(headers, credentials) {
    if (credentials.kind === 'oauth2') headers.set('authorization', `Bearer ${credentials.accessToken}`);
  },
  async identify(http) {
    const response = await http.request<{ id?: string; name?: string }>({ path: `${V}/me`, query: { fields: 'id,name' } });
    const id = response.body?.id;
    if (!id) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'the identity answer has no id');
    return { id, name: response.body?.name ?? id };
  },
  adapter: metaAdapter,
};
