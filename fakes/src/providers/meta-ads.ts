/**
 * A fake Meta Marketing API (Graph API v19.0): Facebook Login's OAuth dialog and its GET token endpoint, `/me`, an ad
 * account's campaigns, ad sets, ad creatives and ads, status updates on an object's node, object reads, and insights
 * with cursor pagination. It checks what Meta checks: the user token (Bearer header or `access_token` parameter) and
 * its ads_management / ads_read permission, the ad account and the objects' ownership, ODAX objectives, the required
 * special_ad_categories, integer budgets and bids in minor units, targeting JSON (countries, ages), optimisation goals
 * that suit the campaign's objective, creatives posted as a known Page. Errors are Graph's
 * `{ error: { message, type, code, error_subcode, is_transient, fbtrace_id } }`; answers carry the usage headers
 * (`X-Business-Use-Case-Usage`, `X-Ad-Account-Usage`), and a rate_limit fault answers like Meta's ads throttling
 * (HTTP 400, code 80004, `estimated_time_to_regain_access` in minutes).
 *
 * The dialog (www.facebook.com) and the Graph host are both served here: the adapter's API and auth URLs are the
 * fake's URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FAKE_CLIENT, keep, type FakeProvider } from '../fake-provider';
import { FakeServer, type Fault, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';
import { FakeOAuth } from '../oauth';

const V = '/v19.0';
/** The ad account the sandbox user manages (`act_1234567890`). */
export const META_FAKE_AD_ACCOUNT = '1234567890';
/** The Facebook Page the sandbox user may advertise as. */
export const META_FAKE_PAGE = '104857600000001';
const USER = { id: '10150000000000001', name: 'Sandbox Advertiser' };

const OBJECTIVES = ['OUTCOME_AWARENESS', 'OUTCOME_TRAFFIC', 'OUTCOME_ENGAGEMENT', 'OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_APP_PROMOTION'];
/** Optimisation goals each objective accepts (Meta's validation table, reduced to the common goals). */
const GOALS: Record<string, string[]> = {
  OUTCOME_AWARENESS: ['REACH', 'IMPRESSIONS', 'AD_RECALL_LIFT', 'THRUPLAY'],
  OUTCOME_TRAFFIC: ['LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_ENGAGEMENT: ['POST_ENGAGEMENT', 'IMPRESSIONS', 'REACH', 'THRUPLAY', 'PAGE_LIKES'],
  OUTCOME_LEADS: ['LEAD_GENERATION', 'QUALITY_LEAD', 'OFFSITE_CONVERSIONS', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS'],
  OUTCOME_SALES: ['OFFSITE_CONVERSIONS', 'VALUE', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_APP_PROMOTION: ['APP_INSTALLS', 'LINK_CLICKS'],
};
const BILLING_EVENTS = ['IMPRESSIONS', 'LINK_CLICKS', 'THRUPLAY', 'POST_ENGAGEMENT', 'PAGE_LIKES', 'APP_INSTALLS'];
const SPECIAL_AD_CATEGORIES = ['NONE', 'EMPLOYMENT', 'HOUSING', 'CREDIT', 'ISSUES_ELECTIONS_POLITICS', 'ONLINE_GAMBLING_AND_GAMING', 'FINANCIAL_PRODUCTS_SERVICES'];
const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP', 'LOWEST_COST_WITH_MIN_ROAS'];
const CREATE_STATUSES = ['ACTIVE', 'PAUSED'];
const UPDATE_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'];
/** The smallest daily budget for impressions billing in a two-decimal currency: 1.00 (100 minor units). */
const MIN_DAILY_BUDGET = 100;
const NAME_MAX = 400;
const INSIGHTS_FIELDS = ['impressions', 'clicks', 'spend', 'actions', 'reach', 'date_start', 'date_stop', 'account_currency', 'account_id'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface FakeMetaCampaign {
  id: string;
  account_id: string;
  name: string;
  objective: string;
  status: string;
  special_ad_categories: string[];
  daily_budget?: number;
  bid_strategy?: string;
  created_time: string;
}

export interface FakeMetaAdSet {
  id: string;
  account_id: string;
  campaign_id: string;
  name: string;
  billing_event: string;
  optimization_goal: string;
  targeting: { geo_locations: { countries: string[] }; age_min?: number; age_max?: number };
  bid_strategy?: string;
  bid_amount?: number;
  start_time?: string;
  end_time?: string;
  status: string;
}

export interface FakeMetaCreative {
  id: string;
  account_id: string;
  name?: string;
  object_story_spec: { page_id: string; link_data: { link: string; message?: string; name?: string; picture?: string } };
}

export interface FakeMetaAd {
  id: string;
  account_id: string;
  adset_id: string;
  campaign_id: string;
  creative_id: string;
  name: string;
  status: string;
}

export interface FakeMetaDay {
  impressions: number;
  clicks: number;
  spendCents: number;
  purchases: number;
  leads: number;
}

export interface MetaAdsFake extends FakeProvider {
  oauth: FakeOAuth;
  adAccountId: string;
  pageId: string;
  /** The largest insights page the fake gives, whatever `limit` asks (tests lower it to see several pages). */
  insightsPageSize: number;
  /** What the fake reports for an object on a day; null for a day without delivery (Graph omits such rows). */
  dailyInsights(id: string, date: string): FakeMetaDay | null;
}

interface GraphErrorFields {
  message: string;
  code: number;
  type?: string;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

function graphError(status: number, error: GraphErrorFields, headers?: Record<string, string>): FakeReply {
  return {
    status,
    headers,
    body: { error: { type: 'OAuthException', is_transient: false, ...error, fbtrace_id: randomBytes(9).toString('base64url') } },
  };
}

/** "(#100) Invalid parameter" with Meta's advertiser-facing explanation, as the Marketing API answers validation. */
function invalid(userMessage: string, title = 'Invalid parameter', subcode?: number): FakeReply {
  return graphError(400, { message: 'Invalid parameter', code: 100, error_subcode: subcode, error_user_title: title, error_user_msg: userMessage });
}

function unknownObject(id: string, method: string): FakeReply {
  return graphError(400, {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    code: 100,
    error_subcode: 33,
  });
}

function businessUsage(accountId: string, type: string, regainMinutes = 0): Record<string, string> {
  const usage = [{ type, call_count: regainMinutes > 0 ? 100 : 1, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: regainMinutes }];
  return {
    'x-business-use-case-usage': JSON.stringify({ [accountId]: usage }),
    'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: regainMinutes > 0 ? 100 : 0.5, reset_time_duration: regainMinutes * 60, ads_api_access_tier: 'standard_access' }),
  };
}

function errorShape(kind: FaultKind, status: number, fault?: Fault): FakeReply {
  switch (kind) {
    case 'expired_token':
      return graphError(
        400,
        { message: 'Error validating access token: Session has expired on Monday, 01-Jan-24 00:00:00 PST.', code: 190, error_subcode: 463 },
        { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "Error validating access token"' },
      );
    case 'rate_limit': {
      // Meta throttles the ads APIs with a 400 and code 80004, and says when calls resume in its usage header.
      const minutes = Math.max(1, Math.ceil((fault?.retryAfterSeconds ?? 60) / 60));
      return graphError(
        400,
        {
          message: '(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.',
          code: 80004,
          error_subcode: 2446079,
          is_transient: true,
        },
        businessUsage(META_FAKE_AD_ACCOUNT, 'ads_management', minutes),
      );
    }
    case 'invalid':
      return graphError(status, { message: 'Invalid parameter', code: 100, error_user_title: 'Invalid parameter', error_user_msg: 'The request was refused by the fake.' });
    default:
      return status === 500
        ? graphError(500, { message: 'An unknown error occurred', code: 1, is_transient: true })
        : graphError(status, { message: 'Service temporarily unavailable', code: 2, is_transient: true });
  }
}

/** A value from a request as text: strings as they are, anything else as its JSON (never "[object Object]"). */
function str(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : (JSON.stringify(value) ?? '');
}

/** The request's parameters: Graph takes them in the query, a form body or a JSON body alike. */
function params(request: RecordedRequest): Record<string, unknown> {
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  const all: Record<string, unknown> = { ...Object.fromEntries(request.query), ...body };
  delete all.access_token;
  return all;
}

/** A structured parameter: JSON text in a form, or already an object in a JSON body. */
function structured(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

/** An integer parameter (Graph takes "1500" in a form, 1500 in JSON); undefined when absent, NaN when not one. */
function integer(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = str(value);
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** A Graph datetime: ISO 8601 (with an offset like +0000 or +00:00) or a UNIX timestamp. */
function graphTime(value: unknown): Date | undefined {
  const text = str(value);
  if (/^\d+$/.test(text)) return new Date(Number(text) * 1000);
  const parsed = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

function formatGraphTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function days(since: string, until: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${since}T00:00:00Z`); t <= Date.parse(`${until}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Deterministic numbers for an object and a day, so tests can compute what insights must report. */
function dailyInsights(id: string, date: string): FakeMetaDay | null {
  const h = createHash('sha256').update(`${id}:${date}`).digest().readUInt32BE(0);
  if (h % 6 === 0) return null;
  const impressions = 200 + (h % 800);
  return {
    impressions,
    clicks: Math.floor((impressions * (1 + ((h >>> 10) % 4))) / 100),
    spendCents: 150 + ((h >>> 3) % 2000),
    purchases: (h >>> 20) % 3,
    leads: (h >>> 24) % 2,
  };
}

export function metaAdsFake(): MetaAdsFake {
  const server = new FakeServer('meta_ads', errorShape);
  const oauth = new FakeOAuth(server, {
    paths: { authorize: `${V}/dialog/oauth`, token: `${V}/oauth/access_token` },
    clientId: FAKE_CLIENT.id,
    clientSecret: FAKE_CLIENT.secret,
    requirePkce: false,
    // Facebook has no refresh tokens: a user token is exchanged for a long-lived one instead.
    refreshTokens: false,
    account: USER,
    clientAuth: 'body',
    tokenMethod: 'GET',
    tokenError: (_status, error, description) => {
      if (error === 'invalid_client') return graphError(400, { message: 'Error validating application. Invalid application ID.', code: 101 });
      if (error === 'invalid_grant') {
        return /redirect_uri/.test(description)
          ? graphError(400, {
              message: 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
              code: 100,
              error_subcode: 36008,
            })
          : graphError(400, { message: 'This authorization code has been used.', code: 100, error_subcode: 36009 });
      }
      return graphError(400, { message: `Missing or invalid parameter: ${description}`, code: 100 });
    },
  });

  const store = new Map<string, unknown[]>();
  const objects = new Map<string, { type: 'campaign' | 'adset' | 'adcreative' | 'ad'; record: Record<string, unknown> & { account_id: string } }>();
  let sequence = 0;
  const nextId = () => `1202100000${str((sequence += 1)).padStart(8, '0')}`;

  const fake: MetaAdsFake = {
    id: 'meta_ads',
    server,
    oauth,
    store,
    adAccountId: META_FAKE_AD_ACCOUNT,
    pageId: META_FAKE_PAGE,
    insightsPageSize: 500,
    dailyInsights,
    env: () => ({
      INTEGRATION_META_ADS_API_URL: server.url,
      INTEGRATION_META_ADS_AUTH_URL: server.url,
      INTEGRATION_META_ADS_CLIENT_ID: FAKE_CLIENT.id,
      INTEGRATION_META_ADS_CLIENT_SECRET: FAKE_CLIENT.secret,
      INTEGRATION_META_ADS_PAGE_ID: META_FAKE_PAGE,
    }),
  };

  /** The token's check (header or `access_token` parameter) and, for ads calls, its permission. */
  const denied = (request: RecordedRequest, need?: 'read' | 'write'): FakeReply | undefined => {
    const token = request.query.get('access_token');
    const withToken = !request.headers.authorization && token ? { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } } : request;
    const result = oauth.bearer(withToken);
    if (!result.ok) return result.reply;
    if (!need) return undefined;
    const scopes = result.scope.split(/[ ,]+/);
    const accepted = need === 'write' ? ['ads_management'] : ['ads_management', 'ads_read'];
    if (!accepted.some((scope) => scopes.includes(scope))) {
      return graphError(403, { message: `(#200) Requires ${accepted.join(' or ')} permission to manage the object`, code: 200 });
    }
    return undefined;
  };

  const ownAccount = (account: string) => account === META_FAKE_AD_ACCOUNT;

  const save = <T extends { id: string; account_id: string }>(type: 'campaign' | 'adset' | 'adcreative' | 'ad', collection: string, record: T): T => {
    objects.set(record.id, { type, record });
    return keep(fake, collection, record);
  };

  const nameProblem = (name: unknown, required = true): FakeReply | undefined => {
    if (name === undefined && !required) return undefined;
    if (typeof name !== 'string' || !name.trim()) return graphError(400, { message: '(#100) The parameter name is required', code: 100 });
    if (name.length > NAME_MAX) return invalid(`The name must be at most ${NAME_MAX} characters.`, 'Name Too Long');
    return undefined;
  };

  server.route('GET', `${V}/me`, (request) => {
    const refused = denied(request);
    if (refused) return refused;
    const fields = (request.query.get('fields') ?? 'id,name').split(',');
    return { status: 200, body: Object.fromEntries(Object.entries(USER).filter(([key]) => key === 'id' || fields.includes(key))) };
  });

  server.route('POST', `${V}/act_:account/campaigns`, (request, { account = '' }) => {
    const refused = denied(request, 'write');
    if (refused) return refused;
    if (!ownAccount(account)) return unknownObject(`act_${account}`, 'POST');
    const p = params(request);
    const problem = nameProblem(p.name);
    if (problem) return problem;
    if (typeof p.objective !== 'string' || !OBJECTIVES.includes(p.objective)) {
      return graphError(400, { message: `(#100) Objective ${str(p.objective)} is invalid. Use one of: ${OBJECTIVES.join(', ')}.`, code: 100 });
    }
    const status = p.status === undefined ? 'ACTIVE' : str(p.status);
    if (!CREATE_STATUSES.includes(status)) return graphError(400, { message: `(#100) Param status must be one of {${CREATE_STATUSES.join(', ')}}`, code: 100 });
    if (p.special_ad_categories === undefined) return graphError(400, { message: '(#100) The parameter special_ad_categories is required', code: 100 });
    const categories = structured(p.special_ad_categories);
    if (!categories.ok || !Array.isArray(categories.value) || !categories.value.every((c) => typeof c === 'string' && SPECIAL_AD_CATEGORIES.includes(c))) {
      return graphError(400, { message: `(#100) Param special_ad_categories must be an array of: ${SPECIAL_AD_CATEGORIES.join(', ')}`, code: 100 });
    }
    const dailyBudget = integer(p.daily_budget);
    if (dailyBudget !== undefined && Number.isNaN(dailyBudget)) return graphError(400, { message: '(#100) Param daily_budget must be an integer', code: 100 });
    if (dailyBudget !== undefined && dailyBudget < MIN_DAILY_BUDGET) {
      return invalid(`Your budget is too low. The minimum budget for this campaign is ${(MIN_DAILY_BUDGET / 100).toFixed(2)}.`, 'Budget Too Low', 1885272);
    }
    if (p.bid_strategy !== undefined && !BID_STRATEGIES.includes(str(p.bid_strategy))) return graphError(400, { message: `(#100) Param bid_strategy must be one of {${BID_STRATEGIES.join(', ')}}`, code: 100 });
    const campaign = save<FakeMetaCampaign>('campaign', 'campaigns', {
      id: nextId(),
      account_id: account,
      name: str(p.name),
      objective: p.objective,
      status,
      special_ad_categories: categories.value as string[],
      daily_budget: dailyBudget,
      bid_strategy: p.bid_strategy === undefined ? undefined : str(p.bid_strategy),
      created_time: formatGraphTime(new Date()),
    });
    return { status: 200, headers: businessUsage(account, 'ads_management'), body: { id: campaign.id } };
  });

  server.route('POST', `${V}/act_:account/adsets`, (request, { account = '' }) => {
    const refused = denied(request, 'write');
    if (refused) return refused;
    if (!ownAccount(account)) return unknownObject(`act_${account}`, 'POST');
    const p = params(request);
    const problem = nameProblem(p.name);
    if (problem) return problem;
    const campaign = objects.get(str(p.campaign_id));
    if (p.campaign_id === undefined) return graphError(400, { message: '(#100) The parameter campaign_id is required', code: 100 });
    if (!campaign || campaign.type !== 'campaign' || campaign.record.account_id !== account) return invalid(`Campaign ${str(p.campaign_id)} does not exist in this ad account.`, 'Invalid Campaign ID', 1487056);
    const objective = str(campaign.record.objective);
    if (typeof p.billing_event !== 'string' || !BILLING_EVENTS.includes(p.billing_event)) {
      return graphError(400, { message: `(#100) Param billing_event must be one of {${BILLING_EVENTS.join(', ')}}`, code: 100 });
    }
    if (typeof p.optimization_goal !== 'string') return graphError(400, { message: '(#100) The parameter optimization_goal is required', code: 100 });
    if (!(GOALS[objective] ?? []).includes(p.optimization_goal)) {
      return invalid(`Performance goal ${p.optimization_goal} isn't available for the campaign objective ${objective}.`, 'Performance Goal Is Unavailable', 2490408);
    }
    if (p.targeting === undefined) return graphError(400, { message: '(#100) The parameter targeting is required', code: 100 });
    const targeting = structured(p.targeting);
    const spec = (targeting.ok ? targeting.value : undefined) as { geo_locations?: { countries?: unknown }; age_min?: unknown; age_max?: unknown } | undefined;
    if (!spec || typeof spec !== 'object') return invalid('The targeting spec is not valid JSON.', 'Invalid Targeting Spec', 1487079);
    const countries = spec.geo_locations?.countries;
    if (!Array.isArray(countries) || countries.length === 0) return invalid('Your audience must include at least one location.', 'Location Is Required', 1487756);
    if (!countries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c))) return invalid(`Invalid country codes: ${JSON.stringify(countries)}.`, 'Invalid Location', 1487756);
    const ageMin = spec.age_min === undefined ? undefined : Number(spec.age_min);
    const ageMax = spec.age_max === undefined ? undefined : Number(spec.age_max);
    for (const age of [ageMin, ageMax]) {
      if (age !== undefined && (!Number.isInteger(age) || age < 13 || age > 65)) return invalid('Ages must be whole numbers from 13 to 65.', 'Invalid Age', 1487079);
    }
    if (ageMin !== undefined && ageMax !== undefined && ageMax < ageMin) return invalid('The maximum age must be at least the minimum age.', 'Invalid Age Range', 1487079);
    const bidStrategy = p.bid_strategy === undefined ? undefined : str(p.bid_strategy);
    if (bidStrategy !== undefined && !BID_STRATEGIES.includes(bidStrategy)) return graphError(400, { message: `(#100) Param bid_strategy must be one of {${BID_STRATEGIES.join(', ')}}`, code: 100 });
    const bidAmount = integer(p.bid_amount);
    if (bidAmount !== undefined && (Number.isNaN(bidAmount) || bidAmount < 1)) return graphError(400, { message: '(#100) Param bid_amount must be a positive integer', code: 100 });
    if (bidAmount !== undefined && bidStrategy !== 'LOWEST_COST_WITH_BID_CAP' && bidStrategy !== 'COST_CAP') {
      return invalid('A bid amount needs a bid cap or cost cap bid strategy.', 'Bid Amount Not Allowed', 1815857);
    }
    if ((bidStrategy === 'LOWEST_COST_WITH_BID_CAP' || bidStrategy === 'COST_CAP') && bidAmount === undefined) {
      return invalid('The bid strategy needs a bid amount.', 'Bid Amount Required', 1815857);
    }
    const start = p.start_time === undefined ? undefined : graphTime(p.start_time);
    const end = p.end_time === undefined ? undefined : graphTime(p.end_time);
    if ((p.start_time !== undefined && !start) || (p.end_time !== undefined && !end)) return graphError(400, { message: '(#100) Param start_time and end_time must be datetimes', code: 100 });
    if (start && end && end <= start) return invalid('The end time must be after the start time.', 'Invalid Schedule', 1487239);
    const status = p.status === undefined ? 'ACTIVE' : str(p.status);
    if (!CREATE_STATUSES.includes(status)) return graphError(400, { message: `(#100) Param status must be one of {${CREATE_STATUSES.join(', ')}}`, code: 100 });
    const adset = save<FakeMetaAdSet>('adset', 'adsets', {
      id: nextId(),
      account_id: account,
      campaign_id: str(p.campaign_id),
      name: str(p.name),
      billing_event: p.billing_event,
      optimization_goal: p.optimization_goal,
      targeting: { geo_locations: { countries: countries as string[] }, age_min: ageMin, age_max: ageMax },
      bid_strategy: bidStrategy,
      bid_amount: bidAmount,
      start_time: start && formatGraphTime(start),
      end_time: end && formatGraphTime(end),
      status,
    });
    return { status: 200, headers: businessUsage(account, 'ads_management'), body: { id: adset.id } };
  });

  server.route('POST', `${V}/act_:account/adcreatives`, (request, { account = '' }) => {
    const refused = denied(request, 'write');
    if (refused) return refused;
    if (!ownAccount(account)) return unknownObject(`act_${account}`, 'POST');
    const p = params(request);
    const problem = nameProblem(p.name, false);
    if (problem) return problem;
    if (p.object_story_spec === undefined) return invalid('A creative needs an object_story_spec or an object_story_id.', 'Missing Creative Content', 1443048);
    const parsed = structured(p.object_story_spec);
    const spec = (parsed.ok ? parsed.value : undefined) as { page_id?: unknown; link_data?: { link?: unknown; message?: unknown; name?: unknown; picture?: unknown } } | undefined;
    if (!spec || typeof spec !== 'object') return graphError(400, { message: '(#100) Param object_story_spec must be a JSON object', code: 100 });
    const pageId = str(spec.page_id ?? '');
    if (pageId !== META_FAKE_PAGE) return graphError(400, { message: '(#100) Param object_story_spec[page_id] must be a valid Page ID', code: 100 });
    const link = spec.link_data;
    if (!link || typeof link !== 'object') return invalid('The creative has no link_data.', 'Missing Creative Content', 1443048);
    if (!isHttpUrl(link.link)) return invalid('The link of the ad must be a valid http or https URL.', 'Invalid Link', 1443051);
    if (link.picture !== undefined && !isHttpUrl(link.picture)) return invalid('The picture must be a valid http or https URL.', 'Invalid Image', 1443051);
    for (const [field, value] of [['message', link.message], ['name', link.name]] as const) {
      if (value !== undefined && typeof value !== 'string') return graphError(400, { message: `(#100) Param object_story_spec[link_data][${field}] must be a string`, code: 100 });
    }
    const creative = save<FakeMetaCreative>('adcreative', 'adcreatives', {
      id: nextId(),
      account_id: account,
      name: p.name === undefined ? undefined : str(p.name),
      object_story_spec: {
        page_id: pageId,
        link_data: { link: str(link.link), message: link.message as string | undefined, name: link.name as string | undefined, picture: link.picture as string | undefined },
      },
    });
    return { status: 200, headers: businessUsage(account, 'ads_management'), body: { id: creative.id } };
  });

  server.route('POST', `${V}/act_:account/ads`, (request, { account = '' }) => {
    const refused = denied(request, 'write');
    if (refused) return refused;
    if (!ownAccount(account)) return unknownObject(`act_${account}`, 'POST');
    const p = params(request);
    const problem = nameProblem(p.name);
    if (problem) return problem;
    if (p.adset_id === undefined) return graphError(400, { message: '(#100) The parameter adset_id is required', code: 100 });
    const adset = objects.get(str(p.adset_id));
    if (!adset || adset.type !== 'adset' || adset.record.account_id !== account) return invalid(`Ad set ${str(p.adset_id)} does not exist in this ad account.`, 'Invalid Ad Set ID', 1487070);
    if (p.creative === undefined) return graphError(400, { message: '(#100) The parameter creative is required', code: 100 });
    const parsed = structured(p.creative);
    const creativeId = parsed.ok && parsed.value && typeof parsed.value === 'object' ? str((parsed.value as { creative_id?: unknown }).creative_id ?? '') : '';
    const creative = objects.get(creativeId);
    if (!creative || creative.type !== 'adcreative' || creative.record.account_id !== account) return invalid(`Creative ${creativeId || '(none)'} does not exist in this ad account.`, 'Invalid Creative', 1487100);
    const status = p.status === undefined ? 'ACTIVE' : str(p.status);
    if (!CREATE_STATUSES.includes(status)) return graphError(400, { message: `(#100) Param status must be one of {${CREATE_STATUSES.join(', ')}}`, code: 100 });
    const ad = save<FakeMetaAd>('ad', 'ads', {
      id: nextId(),
      account_id: account,
      adset_id: str(p.adset_id),
      campaign_id: str(adset.record.campaign_id),
      creative_id: creativeId,
      name: str(p.name),
      status,
    });
    return { status: 200, headers: businessUsage(account, 'ads_management'), body: { id: ad.id } };
  });

  server.route('GET', `${V}/:id`, (request, { id = '' }) => {
    const refused = denied(request, 'read');
    if (refused) return refused;
    const object = objects.get(id);
    if (!object) return unknownObject(id, 'GET');
    const fields = (request.query.get('fields') ?? 'id').split(',').map((f) => f.trim());
    const unknown = fields.find((f) => f !== 'id' && !(f in object.record));
    if (unknown) return graphError(400, { message: `(#100) Tried accessing nonexisting field (${unknown}) on node type (${object.type})`, code: 100 });
    const body = Object.fromEntries(fields.map((f) => [f, object.record[f]]));
    return { status: 200, headers: businessUsage(object.record.account_id, 'ads_management'), body: { ...body, id } };
  });

  server.route('POST', `${V}/:id`, (request, { id = '' }) => {
    const refused = denied(request, 'write');
    if (refused) return refused;
    const object = objects.get(id);
    if (!object) return unknownObject(id, 'POST');
    const p = params(request);
    if (p.status !== undefined) {
      if (object.type === 'adcreative') return graphError(400, { message: '(#100) Param status is not supported for an ad creative', code: 100 });
      if (!UPDATE_STATUSES.includes(str(p.status))) return graphError(400, { message: `(#100) Param status must be one of {${UPDATE_STATUSES.join(', ')}}`, code: 100 });
      if (object.record.status === 'DELETED') return invalid('A deleted object cannot be changed.', 'Object Deleted', 1487001);
      object.record.status = str(p.status);
    }
    if (p.name !== undefined) {
      const problem = nameProblem(p.name);
      if (problem) return problem;
      object.record.name = str(p.name);
    }
    return { status: 200, headers: businessUsage(object.record.account_id, 'ads_management'), body: { success: true } };
  });

  server.route('GET', `${V}/:id/insights`, (request, { id = '' }) => {
    const refused = denied(request, 'read');
    if (refused) return refused;
    const object = objects.get(id);
    if (!object || object.type === 'adcreative') return unknownObject(`${id}/insights`, 'GET');
    const q = request.query;
    const fields = (q.get('fields') ?? 'impressions,spend').split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !INSIGHTS_FIELDS.includes(f));
    if (unknown) return graphError(400, { message: `(#100) ${unknown} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`, code: 100 });
    const rangeParam = q.get('time_range');
    const parsedRange = rangeParam === null ? { ok: false as const } : structured(rangeParam);
    const range = (parsedRange.ok ? parsedRange.value : undefined) as { since?: unknown; until?: unknown } | undefined;
    if (!range || typeof range.since !== 'string' || typeof range.until !== 'string' || !DAY.test(range.since) || !DAY.test(range.until)) {
      return graphError(400, { message: '(#100) Param time_range must be a JSON object {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}', code: 100 });
    }
    if (range.since > range.until) return graphError(400, { message: '(#100) time_range: since must be on or before until', code: 100 });
    const increment = q.get('time_increment') ?? 'all_days';
    if (increment !== '1' && increment !== 'all_days') return graphError(400, { message: '(#100) Param time_increment must be 1 or all_days in this fake', code: 100 });
    const limit = q.get('limit') === null ? 25 : Number(q.get('limit'));
    if (!Number.isInteger(limit) || limit < 1) return graphError(400, { message: '(#100) Param limit must be a positive integer', code: 100 });
    const after = q.get('after');
    const offset = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) return graphError(400, { message: '(#100) Invalid cursor', code: 100 });

    const delivered = days(range.since, range.until)
      .map((date) => ({ date, day: dailyInsights(id, date) }))
      .filter((entry): entry is { date: string; day: FakeMetaDay } => entry.day !== null);
    const periods =
      increment === '1'
        ? delivered.map(({ date, day }) => ({ start: date, stop: date, day }))
        : delivered.length
          ? [
              {
                start: range.since,
                stop: range.until,
                day: delivered.reduce<FakeMetaDay>(
                  (sum, { day }) => ({
                    impressions: sum.impressions + day.impressions,
                    clicks: sum.clicks + day.clicks,
                    spendCents: sum.spendCents + day.spendCents,
                    purchases: sum.purchases + day.purchases,
                    leads: sum.leads + day.leads,
                  }),
                  { impressions: 0, clicks: 0, spendCents: 0, purchases: 0, leads: 0 },
                ),
              },
            ]
          : [];
    const rows = periods.map(({ start, stop, day }) => {
      const actions = [
        { action_type: 'link_click', value: day.clicks },
        { action_type: 'offsite_conversion.fb_pixel_purchase', value: day.purchases },
        { action_type: 'purchase', value: day.purchases },
        { action_type: 'lead', value: day.leads },
        { action_type: 'page_engagement', value: day.clicks * 2 },
      ]
        .filter((a) => a.value > 0)
        .map((a) => ({ action_type: a.action_type, value: str(a.value) }));
      const all: Record<string, unknown> = {
        impressions: str(day.impressions),
        clicks: str(day.clicks),
        spend: (day.spendCents / 100).toFixed(2),
        reach: str(Math.floor(day.impressions * 0.8)),
        actions,
        account_currency: 'USD',
        account_id: object.record.account_id,
      };
      // Graph reports only the fields asked for, always with the period; rows without actions have no `actions`.
      const row: Record<string, unknown> = Object.fromEntries(fields.filter((f) => f in all && !(f === 'actions' && actions.length === 0)).map((f) => [f, all[f]]));
      return { ...row, date_start: start, date_stop: stop };
    });
    const size = Math.min(limit, fake.insightsPageSize);
    const page = rows.slice(offset, offset + size);
    const headers = businessUsage(object.record.account_id, 'ads_insights');
    if (page.length === 0) return { status: 200, headers, body: { data: [] } };
    const cursor = (n: number) => Buffer.from(str(n)).toString('base64url');
    const paging: Record<string, unknown> = { cursors: { before: cursor(offset), after: cursor(offset + page.length) } };
    if (offset + page.length < rows.length) {
      const next = new URL(`${server.url}${request.path}`);
      for (const [key, value] of q) next.searchParams.set(key, value);
      next.searchParams.set('after', cursor(offset + page.length));
      paging.next = next.toString();
    }
    if (offset > 0) {
      const previous = new URL(`${server.url}${request.path}`);
      for (const [key, value] of q) if (key !== 'after') previous.searchParams.set(key, value);
      previous.searchParams.set('before', cursor(offset));
      paging.previous = previous.toString();
    }
    return { status: 200, headers, body: { data: page, paging } };
  });

  return fake;
}

