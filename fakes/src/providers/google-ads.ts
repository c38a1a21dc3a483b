/**
 * A fake Google Ads API (REST, v17) with Google's OAuth2 endpoints: `customers:listAccessibleCustomers`, the
 * `:mutate` calls of campaign budgets, campaigns, ad groups, ad group ads, campaign and ad group criteria, and
 * `googleAds:search` with a small GAQL (SELECT ... FROM campaign | ad_group | ad_group_ad | campaign_criterion |
 * geo_target_constant WHERE ... [ORDER BY] [LIMIT]) paginated with `nextPageToken`.
 *
 * It checks what Google checks: the bearer token and its adwords scope, the `developer-token` header, ten-digit
 * customer ids and access to them (a client account only through its manager in `login-customer-id`), operation
 * shapes (one of create / update / remove, an updateMask for updates), field names (unknown JSON fields are refused,
 * snake_case and lowerCamelCase both accepted as proto JSON is), int64 values as strings or integers, micros that are
 * whole cents, unique budget and campaign names, responsive search ads' 3-15 headlines of 30 characters and 2-4
 * descriptions of 90, GAQL fields and the date range that `segments.date` requires; mutates are atomic. Errors are
 * Google's `{ error: { code, message, status, details: [GoogleAdsFailure] } }` (JSON-level problems, as Google's front
 * end answers them, without the GoogleAdsFailure).
 *
 * Real Google serves the consent page (accounts.google.com), the token endpoints (oauth2.googleapis.com) and the API
 * (googleads.googleapis.com) on three hosts; the fake serves /o/oauth2/v2/auth, /token, /revoke and /v17 on one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FAKE_CLIENT, keep, type FakeProvider } from '../fake-provider';
import { FakeServer, type Fault, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';
import { FakeOAuth } from '../oauth';

const VERSION = 'v17';
const V = `/${VERSION}`;
const FAILURE_TYPE = `type.googleapis.com/google.ads.googleads.${VERSION}.errors.GoogleAdsFailure`;
const SCOPE = 'https://www.googleapis.com/auth/adwords';
/** The account the sandbox user reaches directly. */
export const GOOGLE_ADS_FAKE_CUSTOMER = '1234567890';
/** A manager (MCC) account the user reaches directly, and its client account reachable only through it. */
export const GOOGLE_ADS_FAKE_MANAGER = '9998887777';
export const GOOGLE_ADS_FAKE_CLIENT_CUSTOMER = '5556667777';
/** The developer token the fake accepts (22 characters, like Google's). */
export const GOOGLE_ADS_FAKE_DEVELOPER_TOKEN = 'FAKEdevTOKEN0123456789';
const MICROS_UNIT = 10_000; // one cent of a two-decimal currency
const NAME_MAX = 255;
const HEADLINE_MAX = 30;
const DESCRIPTION_MAX = 90;

/** Country geo target constants (their ids are 2000 + the ISO 3166 numeric code). */
const COUNTRIES: Record<string, { id: number; name: string }> = {
  US: { id: 2840, name: 'United States' },
  GB: { id: 2826, name: 'United Kingdom' },
  DE: { id: 2276, name: 'Germany' },
  FR: { id: 2250, name: 'France' },
  ES: { id: 2724, name: 'Spain' },
  IT: { id: 2380, name: 'Italy' },
  NL: { id: 2528, name: 'Netherlands' },
  CA: { id: 2124, name: 'Canada' },
  AU: { id: 2036, name: 'Australia' },
  JP: { id: 2392, name: 'Japan' },
  IN: { id: 2356, name: 'India' },
  BR: { id: 2076, name: 'Brazil' },
};
/** Age range criteria and their fixed criterion ids. */
const AGE_RANGES: Record<string, number> = {
  AGE_RANGE_18_24: 503001,
  AGE_RANGE_25_34: 503002,
  AGE_RANGE_35_44: 503003,
  AGE_RANGE_45_54: 503004,
  AGE_RANGE_55_64: 503005,
  AGE_RANGE_65_UP: 503006,
  AGE_RANGE_UNDETERMINED: 503999,
};
const CHANNEL_TYPES = ['SEARCH', 'DISPLAY', 'SHOPPING', 'VIDEO', 'MULTI_CHANNEL', 'PERFORMANCE_MAX', 'DEMAND_GEN'];
const BIDDING = ['manualCpc', 'manualCpm', 'maximizeConversions', 'maximizeConversionValue', 'targetSpend', 'targetCpa', 'targetRoas', 'targetImpressionShare'];
const STATUSES = ['ENABLED', 'PAUSED'];

export interface FakeGoogleBudget {
  resourceName: string;
  id: string;
  customer: string;
  name: string;
  amountMicros: string;
  deliveryMethod: string;
  explicitlyShared: boolean;
  status: 'ENABLED' | 'REMOVED';
}

export interface FakeGoogleCampaign {
  resourceName: string;
  id: string;
  customer: string;
  name: string;
  status: string;
  advertisingChannelType: string;
  campaignBudget: string;
  bidding: string;
  networkSettings?: Record<string, unknown>;
  startDate?: string;
  endDate?: string;
  createdOn: string;
}

export interface FakeGoogleAdGroup {
  resourceName: string;
  id: string;
  customer: string;
  campaign: string;
  name: string;
  status: string;
  type: string;
  cpcBidMicros?: string;
  createdOn: string;
}

export interface FakeGoogleAdGroupAd {
  resourceName: string;
  customer: string;
  adGroup: string;
  status: string;
  ad: { id: string; finalUrls: string[]; responsiveSearchAd: { headlines: { text: string }[]; descriptions: { text: string }[] } };
  createdOn: string;
}

export interface FakeGoogleCriterion {
  resourceName: string;
  customer: string;
  /** The campaign (campaign criteria) or ad group (ad group criteria) it belongs to. */
  parent: string;
  criterionId: string;
  negative: boolean;
  type: 'LOCATION' | 'AGE_RANGE';
  location?: { geoTargetConstant: string };
  ageRange?: { type: string };
  status: 'ENABLED' | 'REMOVED';
}

export interface FakeGoogleDay {
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
}

export interface GoogleAdsFake extends FakeProvider {
  oauth: FakeOAuth;
  customerId: string;
  developerToken: string;
  /** Rows per search page (Google's is fixed at 10 000; tests lower it to see several pages). */
  searchPageSize: number;
  /**
   * What the fake reports for a campaign, ad group (their numbers) or ad (`{adGroupId}~{adId}`) on a day; null for a
   * day without traffic (GAQL returns no row for it).
   */
  dailyMetrics(key: string, date: string): FakeGoogleDay | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

interface AdsErrorEntry {
  errorCode: Record<string, string>;
  message: string;
  location?: { fieldPathElements: { fieldName: string; index?: number }[] };
  trigger?: { stringValue: string };
  details?: Record<string, unknown>;
}

/** A field path such as ['operations', 0, 'create', 'name'] as Google's location. */
function location(path: (string | number)[]): AdsErrorEntry['location'] {
  const elements: { fieldName: string; index?: number }[] = [];
  for (const part of path) {
    const last = elements[elements.length - 1];
    if (typeof part === 'number' && last) last.index = part;
    else elements.push({ fieldName: snake(str(part)) });
  }
  return { fieldPathElements: elements };
}

function entry(kind: string, name: string, message: string, path?: (string | number)[]): AdsErrorEntry {
  return { errorCode: { [kind]: name }, message, ...(path ? { location: location(path) } : {}) };
}

const HTTP_OF: Record<string, number> = { INVALID_ARGUMENT: 400, UNAUTHENTICATED: 401, PERMISSION_DENIED: 403, NOT_FOUND: 404, RESOURCE_EXHAUSTED: 429, INTERNAL: 500, UNAVAILABLE: 503 };

function failure(status: string, errors: AdsErrorEntry[], message?: string, extraDetails: Record<string, unknown>[] = []): FakeReply {
  const code = HTTP_OF[status] ?? 400;
  return {
    status: code,
    body: {
      error: {
        code,
        message: message ?? (status === 'INVALID_ARGUMENT' ? 'Request contains an invalid argument.' : status === 'PERMISSION_DENIED' ? 'The caller does not have permission' : 'The request failed.'),
        status,
        details: [{ '@type': FAILURE_TYPE, errors, requestId: randomBytes(8).toString('base64url') }, ...extraDetails],
      },
    },
  };
}

/** A problem Google's front end finds in the JSON itself (unknown field, bad int64 or enum): no GoogleAdsFailure. */
function badJson(message: string, field: string): FakeReply {
  return {
    status: 400,
    body: {
      error: {
        code: 400,
        message,
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: message }] }],
      },
    },
  };
}

function errorShape(kind: FaultKind, status: number, fault?: Fault): FakeReply {
  switch (kind) {
    case 'expired_token':
      return failure(
        'UNAUTHENTICATED',
        [entry('authenticationError', 'OAUTH_TOKEN_INVALID', 'Oauth token is invalid.')],
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    case 'rate_limit': {
      const seconds = fault?.retryAfterSeconds ?? 30;
      return failure('RESOURCE_EXHAUSTED', [
        {
          ...entry('quotaError', 'RESOURCE_TEMPORARILY_EXHAUSTED', `Too many requests. Retry in ${seconds} seconds.`),
          details: { quotaErrorDetails: { rateScope: 'ACCOUNT', rateName: 'Number of operations for basic access', retryDelay: `${seconds}s` } },
        },
      ]);
    }
    case 'invalid':
      return failure('INVALID_ARGUMENT', [entry('fieldError', 'INVALID_VALUE', 'The field is not valid.')]);
    default:
      return status === 500
        ? failure('INTERNAL', [entry('internalError', 'INTERNAL_ERROR', 'An internal error has occurred.')], 'Internal error encountered.')
        : { ...failure('UNAVAILABLE', [entry('internalError', 'TRANSIENT_ERROR', 'The service is currently unavailable.')], 'The service is currently unavailable.'), status };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON helpers

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value from a request as text: strings as they are, anything else as its JSON (never "[object Object]"). */
function str(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : (JSON.stringify(value) ?? '');
}

/** Proto JSON accepts a field by its lowerCamelCase or its original snake_case name: normalised to camel here. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [camel(key), normalise(v)]));
}

/** The first field of `object` that the message does not have, as Google's JSON parser reports it. */
function unknownField(object: Json, allowed: string[], at: string): FakeReply | undefined {
  const name = Object.keys(object).find((key) => !allowed.includes(key));
  return name === undefined ? undefined : badJson(`Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`, at);
}

/** An int64 field: Google writes them as strings and takes strings or JSON integers. */
function int64(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return str(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return str(Number(value));
  return undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
const today = () => new Date().toISOString().slice(0, 10);

function days(since: string, until: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${since}T00:00:00Z`); t <= Date.parse(`${until}T00:00:00Z`) && out.length < 4000; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function dailyMetrics(key: string, date: string): FakeGoogleDay | null {
  const h = createHash('sha256').update(`${key}:${date}`).digest().readUInt32BE(0);
  if (h % 7 === 0) return null;
  const impressions = 100 + (h % 900);
  return {
    impressions,
    clicks: Math.floor((impressions * (2 + ((h >>> 9) % 5))) / 100),
    costMicros: (40 + ((h >>> 4) % 3000)) * MICROS_UNIT,
    conversions: ((h >>> 20) % 7) / 2,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// GAQL

type Value = string | number;
interface Condition {
  field: string;
  op: string;
  values: Value[];
}
interface Query {
  fields: string[];
  resource: string;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  limit?: number;
}

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; text: string } | { kind: 'symbol'; text: string };

class GaqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([A-Za-z_][A-Za-z0-9_.]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|(!=|>=|<=|[=<>(),]))/y;
  let at = 0;
  while (at < query.length) {
    if (/^\s*$/.test(query.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(query);
    if (!match) throw new GaqlError('BAD_SYMBOL', `Error in query: unexpected input ${query.slice(at).trim().slice(0, 20)}.`);
    at = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'word', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: 'number', text: match[4] });
    else tokens.push({ kind: 'symbol', text: match[5] ?? '' });
  }
  return tokens;
}

function parseGaql(query: string): Query {
  const tokens = tokenize(query);
  let i = 0;
  const peek = () => tokens[i];
  const keyword = (word: string) => {
    const token = tokens[i];
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      i += 1;
      return true;
    }
    return false;
  };
  const expectKeyword = (word: string, code: string) => {
    if (!keyword(word)) throw new GaqlError(code, `Error in query: expected ${word}${peek() ? ` near ${peek()?.text}` : ' (unexpected end of query)'}.`);
  };
  const field = () => {
    const token = tokens[i];
    if (token?.kind !== 'word') throw new GaqlError(token ? 'BAD_FIELD_NAME' : 'UNEXPECTED_END_OF_QUERY', `Error in query: expected a field name${token ? ` near ${token.text}` : ''}.`);
    i += 1;
    return token.text;
  };
  const value = (): Value => {
    const token = tokens[i];
    if (token?.kind === 'string') {
      i += 1;
      return token.text;
    }
    if (token?.kind === 'number') {
      i += 1;
      return Number(token.text);
    }
    if (token?.kind === 'word') {
      i += 1;
      return token.text; // enum constants are bare words
    }
    throw new GaqlError(token ? 'BAD_VALUE' : 'UNEXPECTED_END_OF_QUERY', 'Error in query: expected a value.');
  };
  const symbol = (text: string) => {
    if (tokens[i]?.kind === 'symbol' && tokens[i]?.text === text) {
      i += 1;
      return true;
    }
    return false;
  };

  expectKeyword('SELECT', 'EXPECTED_SELECT');
  const fields = [field()];
  while (symbol(',')) fields.push(field());
  expectKeyword('FROM', 'EXPECTED_FROM');
  const resource = field();
  const where: Condition[] = [];
  if (keyword('WHERE')) {
    do {
      const name = field();
      if (keyword('BETWEEN')) {
        const from = value();
        expectKeyword('AND', 'EXPECTED_AND');
        where.push({ field: name, op: 'BETWEEN', values: [from, value()] });
      } else if (keyword('NOT') || keyword('IN')) {
        const not = tokens[i - 1]?.text.toUpperCase() === 'NOT';
        if (not && !keyword('IN')) throw new GaqlError('BAD_OPERATOR', `Error in query: expected IN after NOT (${name}).`);
        if (!symbol('(')) throw new GaqlError('EXPECTED_LIST', 'Error in query: IN takes a list in parentheses.');
        const values = [value()];
        while (symbol(',')) values.push(value());
        if (!symbol(')')) throw new GaqlError('EXPECTED_LIST', 'Error in query: the list is not closed.');
        where.push({ field: name, op: not ? 'NOT IN' : 'IN', values });
      } else {
        const token = tokens[i];
        if (token?.kind !== 'symbol' || !['=', '!=', '>', '>=', '<', '<='].includes(token.text)) throw new GaqlError('BAD_OPERATOR', `Error in query: expected an operator after ${name}.`);
        i += 1;
        where.push({ field: name, op: token.text, values: [value()] });
      }
    } while (keyword('AND'));
  }
  const orderBy: Query['orderBy'] = [];
  if (keyword('ORDER')) {
    expectKeyword('BY', 'EXPECTED_BY');
    do {
      const name = field();
      const desc = keyword('DESC');
      if (!desc) keyword('ASC');
      orderBy.push({ field: name, desc });
    } while (symbol(','));
  }
  let limit: number | undefined;
  if (keyword('LIMIT')) {
    const token = tokens[i];
    if (token?.kind !== 'number' || !/^\d+$/.test(token.text) || Number(token.text) < 1) throw new GaqlError('BAD_LIMIT_VALUE', 'Error in query: LIMIT takes a positive integer.');
    i += 1;
    limit = Number(token.text);
  }
  if (keyword('PARAMETERS')) i = tokens.length; // include_drafts and the like: accepted, no effect here
  if (i < tokens.length) throw new GaqlError('UNEXPECTED_INPUT', `Error in query: unexpected input ${tokens[i]?.text}.`);
  return { fields, resource, where, orderBy, limit };
}

const METRICS = ['metrics.impressions', 'metrics.clicks', 'metrics.cost_micros', 'metrics.conversions', 'metrics.ctr', 'metrics.average_cpc'];
/** Fields each resource can select or filter on (its own and those of resources it belongs to). */
const RESOURCE_FIELDS: Record<string, string[]> = {
  campaign: ['campaign.resource_name', 'campaign.id', 'campaign.name', 'campaign.status', 'campaign.advertising_channel_type', 'campaign.start_date', 'campaign.end_date', 'campaign.campaign_budget', 'customer.id', 'segments.date', ...METRICS],
  ad_group: ['ad_group.resource_name', 'ad_group.id', 'ad_group.name', 'ad_group.status', 'ad_group.cpc_bid_micros', 'campaign.id', 'campaign.name', 'customer.id', 'segments.date', ...METRICS],
  ad_group_ad: ['ad_group_ad.resource_name', 'ad_group_ad.ad.id', 'ad_group_ad.status', 'ad_group_ad.ad.final_urls', 'ad_group.id', 'campaign.id', 'customer.id', 'segments.date', ...METRICS],
  campaign_criterion: ['campaign_criterion.resource_name', 'campaign_criterion.criterion_id', 'campaign_criterion.type', 'campaign_criterion.negative', 'campaign_criterion.status', 'campaign_criterion.location.geo_target_constant', 'campaign.id'],
  geo_target_constant: ['geo_target_constant.resource_name', 'geo_target_constant.id', 'geo_target_constant.name', 'geo_target_constant.country_code', 'geo_target_constant.target_type', 'geo_target_constant.status', 'geo_target_constant.canonical_name'],
};

function matches(condition: Condition, actual: unknown): boolean {
  const a = typeof actual === 'number' ? actual : str(actual ?? '');
  const eq = (v: Value) => (typeof a === 'number' ? a === Number(v) : a === str(v));
  switch (condition.op) {
    case '=':
      return eq(condition.values[0] ?? '');
    case '!=':
      return !eq(condition.values[0] ?? '');
    case 'IN':
      return condition.values.some(eq);
    case 'NOT IN':
      return !condition.values.some(eq);
    case 'BETWEEN':
      return str(a) >= str(condition.values[0]) && str(a) <= str(condition.values[1]);
    case '>':
      return str(a) > str(condition.values[0]);
    case '>=':
      return str(a) >= str(condition.values[0]);
    case '<':
      return str(a) < str(condition.values[0]);
    case '<=':
      return str(a) <= str(condition.values[0]);
    default:
      return false;
  }
}

/** Puts `value` at a GAQL field's place in a result row: ad_group_ad.ad.id → { adGroupAd: { ad: { id } } }. */
function place(row: Json, fieldName: string, value: unknown): void {
  const parts = fieldName.split('.').map(camel);
  let node = row;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Json;
  }
  node[parts[parts.length - 1] ?? ''] = value;
}

// ---------------------------------------------------------------------------------------------------------------

export function googleAdsFake(): GoogleAdsFake {
  const server = new FakeServer('google_ads', errorShape);
  const oauth = new FakeOAuth(server, {
    paths: { authorize: '/o/oauth2/v2/auth', token: '/token', revoke: '/revoke' },
    clientId: FAKE_CLIENT.id,
    clientSecret: FAKE_CLIENT.secret,
    requirePkce: false, // Google supports PKCE for web clients without requiring it
    refreshTokens: true,
    account: { id: GOOGLE_ADS_FAKE_CUSTOMER, name: 'Sandbox Advertiser' },
    clientAuth: 'body',
  });
  const store = new Map<string, unknown[]>();
  const byName = new Map<string, Json>();
  let sequence = 0;
  const nextId = () => str(20_000_000_000 + (sequence += 1));

  const fake: GoogleAdsFake = {
    id: 'google_ads',
    server,
    oauth,
    store,
    customerId: GOOGLE_ADS_FAKE_CUSTOMER,
    developerToken: GOOGLE_ADS_FAKE_DEVELOPER_TOKEN,
    searchPageSize: 10_000,
    dailyMetrics,
    env: () => ({
      INTEGRATION_GOOGLE_ADS_API_URL: server.url,
      INTEGRATION_GOOGLE_ADS_AUTH_URL: server.url,
      INTEGRATION_GOOGLE_ADS_CLIENT_ID: FAKE_CLIENT.id,
      INTEGRATION_GOOGLE_ADS_CLIENT_SECRET: FAKE_CLIENT.secret,
      INTEGRATION_GOOGLE_ADS_DEVELOPER_TOKEN: GOOGLE_ADS_FAKE_DEVELOPER_TOKEN,
    }),
  };

  const records = <T>(collection: string) => (store.get(collection) ?? []) as T[];
  const find = <T>(resourceName: unknown): T | undefined => (typeof resourceName === 'string' ? (byName.get(resourceName) as T | undefined) : undefined);

  /** Token, scope, developer token, customer id and access, as Google checks them before anything else. */
  const denied = (request: RecordedRequest, customer?: string): FakeReply | undefined => {
    const token = oauth.bearer(request);
    if (!token.ok) return token.reply;
    if (!token.scope.split(/[ ,]+/).includes(SCOPE)) {
      return {
        status: 403,
        body: {
          error: {
            code: 403,
            message: 'Request had insufficient authentication scopes.',
            status: 'PERMISSION_DENIED',
            details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' }],
          },
        },
      };
    }
    const developerToken = request.headers['developer-token'];
    if (!developerToken) return failure('INVALID_ARGUMENT', [entry('requestError', 'DEVELOPER_TOKEN_PARAMETER_MISSING', 'The developer-token header is required for all requests.')]);
    if (developerToken !== GOOGLE_ADS_FAKE_DEVELOPER_TOKEN) {
      return failure('PERMISSION_DENIED', [entry('authorizationError', 'DEVELOPER_TOKEN_PROHIBITED', 'Developer token is not allowed with the project sent in the request.')]);
    }
    if (customer === undefined) return undefined;
    if (!/^\d{10}$/.test(customer)) return failure('INVALID_ARGUMENT', [entry('requestError', 'INVALID_CUSTOMER_ID', `Invalid customer ID '${customer}'.`)]);
    const login = request.headers['login-customer-id'];
    const permissionDenied = failure(
      'PERMISSION_DENIED',
      [entry('authorizationError', 'USER_PERMISSION_DENIED', "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.")],
      'The caller does not have permission',
    );
    const direct = [GOOGLE_ADS_FAKE_CUSTOMER, GOOGLE_ADS_FAKE_MANAGER];
    if (login !== undefined) {
      if (!/^\d{10}$/.test(login) || !direct.includes(login)) return permissionDenied;
      const reachable = login === customer || (login === GOOGLE_ADS_FAKE_MANAGER && customer === GOOGLE_ADS_FAKE_CLIENT_CUSTOMER);
      return reachable ? undefined : permissionDenied;
    }
    return direct.includes(customer) ? undefined : permissionDenied;
  };

  server.route('GET', `${V}/:call`, (request, { call }) => {
    if (call !== 'customers:listAccessibleCustomers') return { status: 404, body: { error: { code: 404, message: `Method not found: ${call}`, status: 'NOT_FOUND' } } };
    const refused = denied(request);
    if (refused) return refused;
    return { status: 200, body: { resourceNames: [`customers/${GOOGLE_ADS_FAKE_CUSTOMER}`, `customers/${GOOGLE_ADS_FAKE_MANAGER}`] } };
  });

  server.route('POST', `${V}/customers/:customer/:method`, (request, { customer = '', method = '' }) => {
    const refused = denied(request, customer);
    if (refused) return refused;
    if (!isObject(request.body)) return badJson('Invalid JSON payload received. Expected an object.', '');
    const body = normalise(request.body) as Json;
    if (method === 'googleAds:search') return search(customer, body);
    const service = /^(\w+):mutate$/.exec(method)?.[1];
    if (service && service in MUTATORS) return mutate(customer, service, body);
    return { status: 404, body: { error: { code: 404, message: `Method not found: ${method}`, status: 'NOT_FOUND' } } };
  });

  // -------------------------------------------------------------------------------------------------------------
  // Mutates: each operation is checked into a change; the changes apply only when every operation is valid.

  type Change = { resourceName: string; apply: () => void };
  type Checked = { change: Change } | { errors: AdsErrorEntry[] } | { reply: FakeReply };
  interface Operation {
    customer: string;
    index: number;
    create?: Json;
    update?: Json;
    remove?: string;
    updateMask: string[];
    /** Resource names created earlier in the same request (names must be unique among them too). */
    pending: Map<string, Json>;
  }
  type Mutator = (op: Operation) => Checked;

  const invalid = (...errors: AdsErrorEntry[]): Checked => ({ errors });
  const at = (op: Operation, ...path: (string | number)[]) => ['operations', op.index, op.create ? 'create' : op.update ? 'update' : 'remove', ...path];
  const ownName = (op: Operation, name: unknown, kind: string): boolean => typeof name === 'string' && name.startsWith(`customers/${op.customer}/${kind}/`);
  const statusProblem = (op: Operation, value: unknown, allowed = STATUSES): Checked | undefined =>
    value === undefined || allowed.includes(str(value))
      ? undefined
      : {
          reply: badJson(
            `Invalid value at 'operations[${op.index}].${op.create ? 'create' : 'update'}.status' (type.googleapis.com/google.ads.googleads.${VERSION}.enums.Status), "${str(value)}"`,
            `operations[${op.index}].status`,
          ),
        };
  const nameProblem = (op: Operation, name: unknown): AdsErrorEntry | undefined => {
    if (typeof name !== 'string' || !name.trim()) return entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'name'));
    if (name.length > NAME_MAX) return { ...entry('stringLengthError', 'TOO_LONG', 'Too long.', at(op, 'name')), trigger: { stringValue: name } };
    return undefined;
  };
  /** Update and remove name an existing resource of this customer; update needs a mask of known fields. */
  const target = (op: Operation, kind: string, mutable: string[]): { record: Json } | { checked: Checked } => {
    const name = op.update ? op.update.resourceName : op.remove;
    const record = ownName(op, name, kind) ? find<Json>(name) : undefined;
    if (!record || record.status === 'REMOVED') return { checked: invalid(entry('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.', at(op, op.update ? 'resourceName' : 'remove'))) };
    if (op.update) {
      if (op.updateMask.length === 0) return { checked: invalid(entry('fieldError', 'REQUIRED', 'The required field was not present.', ['operations', op.index, 'update_mask'])) };
      const unknown = op.updateMask.find((f) => !mutable.includes(f));
      if (unknown) return { checked: invalid(entry('fieldMaskError', 'FIELD_NOT_FOUND', `The field mask names a field that cannot be updated: ${snake(unknown)}.`, ['operations', op.index, 'update_mask'])) };
    }
    return { record };
  };
  const removal = (record: Json): Change => ({
    resourceName: str(record.resourceName),
    apply: () => {
      record.status = 'REMOVED';
    },
  });
  const updating = (op: Operation, record: Json): Change => ({
    resourceName: str(record.resourceName),
    apply: () => {
      for (const field of op.updateMask) record[field] = op.update?.[field];
    },
  });
  const save = (collection: string, record: Json): Change => ({
    resourceName: str(record.resourceName),
    apply: () => {
      byName.set(str(record.resourceName), record);
      keep(fake, collection, record);
    },
  });

  const MUTATORS: Record<string, Mutator> = {
    campaignBudgets(op) {
      if (op.remove !== undefined || op.update) {
        const found = target(op, 'campaignBudgets', ['name', 'amountMicros']);
        if ('checked' in found) return found.checked;
        if (op.remove !== undefined) {
          const inUse = records<FakeGoogleCampaign>('campaigns').some((c) => c.campaignBudget === found.record.resourceName && c.status !== 'REMOVED');
          if (inUse) return invalid(entry('campaignBudgetError', 'CANNOT_REMOVE_ASSOCIATED_BUDGET', 'A budget used by a campaign cannot be removed.', at(op)));
          return { change: removal(found.record) };
        }
        return { change: updating(op, found.record) };
      }
      const create = op.create ?? {};
      const unknown = unknownField(create, ['resourceName', 'name', 'amountMicros', 'deliveryMethod', 'explicitlyShared', 'period', 'type'], `operations[${op.index}].create`);
      if (unknown) return { reply: unknown };
      const errors: AdsErrorEntry[] = [];
      const problem = nameProblem(op, create.name);
      if (problem) errors.push(problem);
      const taken = [...records<FakeGoogleBudget>('campaignBudgets'), ...op.pending.values()].some(
        (b) => b.customer === op.customer && b.name === create.name && b.status !== 'REMOVED',
      );
      if (!problem && taken) errors.push(entry('campaignBudgetError', 'DUPLICATE_NAME', 'Campaign budget with the same name already exists.', at(op, 'name')));
      const amount = int64(create.amountMicros);
      if (create.amountMicros !== undefined && amount === undefined) return { reply: badJson(`Invalid value at 'operations[${op.index}].create.amount_micros' (TYPE_INT64), ${JSON.stringify(create.amountMicros)}`, 'amount_micros') };
      if (amount === undefined) errors.push(entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'amountMicros')));
      else if (Number(amount) <= 0) errors.push(entry('campaignBudgetError', 'MONEY_AMOUNT_LESS_THAN_CURRENCY_MINIMUM_CPC', 'The budget amount is too small.', at(op, 'amountMicros')));
      else if (Number(amount) % MICROS_UNIT !== 0) errors.push(entry('campaignBudgetError', 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT', 'Budget amount must be a multiple of the minimum currency unit.', at(op, 'amountMicros')));
      const delivery = create.deliveryMethod ?? 'STANDARD';
      if (delivery !== 'STANDARD') errors.push(entry('campaignBudgetError', 'INVALID_DELIVERY_METHOD', 'Only STANDARD delivery is available.', at(op, 'deliveryMethod')));
      if (create.explicitlyShared !== undefined && typeof create.explicitlyShared !== 'boolean') return { reply: badJson(`Invalid value at 'operations[${op.index}].create.explicitly_shared' (TYPE_BOOL)`, 'explicitly_shared') };
      if (errors.length) return invalid(...errors);
      const id = nextId();
      const record: FakeGoogleBudget = {
        resourceName: `customers/${op.customer}/campaignBudgets/${id}`,
        id,
        customer: op.customer,
        name: str(create.name),
        amountMicros: amount ?? '0',
        deliveryMethod: str(delivery),
        explicitlyShared: create.explicitlyShared === true,
        status: 'ENABLED',
      };
      op.pending.set(record.resourceName, record as unknown as Json);
      return { change: save('campaignBudgets', record as unknown as Json) };
    },

    campaigns(op) {
      const dateErrors = (fields: Json, base?: Json): AdsErrorEntry[] => {
        const errors: AdsErrorEntry[] = [];
        for (const field of ['startDate', 'endDate']) {
          if (fields[field] !== undefined && !isDate(fields[field])) errors.push(entry('dateError', 'INVALID_FIELD_VALUES_IN_DATE', 'The date is not YYYY-MM-DD.', at(op, field)));
        }
        const start = (fields.startDate ?? base?.startDate) as string | undefined;
        const end = (fields.endDate ?? base?.endDate) as string | undefined;
        if (!errors.length && start && end && end < start) errors.push(entry('dateRangeError', 'CANNOT_SET_END_DATE_BEFORE_START_DATE', 'The end date is before the start date.', at(op, 'endDate')));
        if (!errors.length && fields.endDate !== undefined && str(fields.endDate) < today()) errors.push(entry('dateRangeError', 'AFTER_MAXIMUM_ALLOWABLE_DATE', 'The end date is in the past.', at(op, 'endDate')));
        return errors;
      };
      if (op.remove !== undefined || op.update) {
        const found = target(op, 'campaigns', ['status', 'name', 'startDate', 'endDate', 'campaignBudget']);
        if ('checked' in found) return found.checked;
        if (op.remove !== undefined) return { change: removal(found.record) };
        const update = op.update ?? {};
        const unknown = unknownField(update, ['resourceName', 'status', 'name', 'startDate', 'endDate', 'campaignBudget'], `operations[${op.index}].update`);
        if (unknown) return { reply: unknown };
        const status = statusProblem(op, update.status);
        if (status) return status;
        const errors = dateErrors(update, found.record);
        if (op.updateMask.includes('name')) {
          const problem = nameProblem(op, update.name);
          if (problem) errors.push(problem);
        }
        return errors.length ? invalid(...errors) : { change: updating(op, found.record) };
      }
      const create = op.create ?? {};
      const unknown = unknownField(
        create,
        ['resourceName', 'name', 'status', 'advertisingChannelType', 'advertisingChannelSubType', 'campaignBudget', 'networkSettings', 'startDate', 'endDate', 'geoTargetTypeSetting', ...BIDDING],
        `operations[${op.index}].create`,
      );
      if (unknown) return { reply: unknown };
      const status = statusProblem(op, create.status);
      if (status) return status;
      const errors: AdsErrorEntry[] = [];
      const problem = nameProblem(op, create.name);
      if (problem) errors.push(problem);
      const taken = [...records<FakeGoogleCampaign>('campaigns'), ...op.pending.values()].some(
        (c) => c.customer === op.customer && c.name === create.name && c.status !== 'REMOVED',
      );
      if (!problem && taken) errors.push(entry('campaignError', 'DUPLICATE_CAMPAIGN_NAME', 'A campaign with this name already exists.', at(op, 'name')));
      if (create.advertisingChannelType === undefined) errors.push(entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'advertisingChannelType')));
      else if (!CHANNEL_TYPES.includes(str(create.advertisingChannelType))) {
        return { reply: badJson(`Invalid value at 'operations[${op.index}].create.advertising_channel_type', "${str(create.advertisingChannelType)}"`, 'advertising_channel_type') };
      }
      const budget = ownName(op, create.campaignBudget, 'campaignBudgets') ? (find<Json>(create.campaignBudget) ?? op.pending.get(str(create.campaignBudget))) : undefined;
      if (create.campaignBudget === undefined) errors.push(entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'campaignBudget')));
      else if (!budget || budget.status === 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.', at(op, 'campaignBudget')));
      const bidding = BIDDING.filter((b) => create[b] !== undefined);
      if (bidding.length === 0) errors.push(entry('fieldError', 'REQUIRED', 'The required field was not present: a bidding strategy.', at(op, 'campaignBiddingStrategy')));
      if (bidding.length > 1) errors.push(entry('fieldError', 'VALUE_MUST_BE_UNSET', 'Only one bidding strategy may be set.', at(op, bidding[1] ?? '')));
      if (bidding.some((b) => !isObject(create[b]))) return { reply: badJson(`Invalid value at 'operations[${op.index}].create': bidding strategies are messages`, 'bidding') };
      if (create.networkSettings !== undefined) {
        if (!isObject(create.networkSettings)) return { reply: badJson(`Invalid value at 'operations[${op.index}].create.network_settings'`, 'network_settings') };
        const unknownSetting = unknownField(create.networkSettings, ['targetGoogleSearch', 'targetSearchNetwork', 'targetContentNetwork', 'targetPartnerSearchNetwork', 'targetYoutube', 'targetGoogleTvNetwork'], `operations[${op.index}].create.network_settings`);
        if (unknownSetting) return { reply: unknownSetting };
        if (create.advertisingChannelType === 'SEARCH' && create.networkSettings.targetGoogleSearch === false) {
          errors.push(entry('campaignError', 'CANNOT_TARGET_SEARCH_NETWORK_WITHOUT_GOOGLE_SEARCH', 'A Search campaign targets Google Search.', at(op, 'networkSettings', 'targetGoogleSearch')));
        }
      }
      errors.push(...dateErrors(create));
      if (errors.length) return invalid(...errors);
      const id = nextId();
      const record: FakeGoogleCampaign = {
        resourceName: `customers/${op.customer}/campaigns/${id}`,
        id,
        customer: op.customer,
        name: str(create.name),
        status: str(create.status ?? 'ENABLED'),
        advertisingChannelType: str(create.advertisingChannelType),
        campaignBudget: str(create.campaignBudget),
        bidding: bidding[0] ?? '',
        networkSettings: create.networkSettings,
        startDate: (create.startDate as string | undefined) ?? today(),
        endDate: create.endDate as string | undefined,
        createdOn: today(),
      };
      op.pending.set(record.resourceName, record as unknown as Json);
      return { change: save('campaigns', record as unknown as Json) };
    },

    adGroups(op) {
      const bidErrors = (value: unknown): AdsErrorEntry[] | FakeReply => {
        if (value === undefined) return [];
        const bid = int64(value);
        if (bid === undefined) return badJson(`Invalid value at 'operations[${op.index}].cpc_bid_micros' (TYPE_INT64), ${JSON.stringify(value)}`, 'cpc_bid_micros');
        if (Number(bid) < MICROS_UNIT) return [entry('biddingError', 'BID_TOO_SMALL', 'Bid is below the minimum.', at(op, 'cpcBidMicros'))];
        if (Number(bid) % MICROS_UNIT !== 0) return [entry('biddingError', 'BID_TOO_MANY_FRACTIONAL_DIGITS', 'Bid has too many fractional digit precision.', at(op, 'cpcBidMicros'))];
        return [];
      };
      if (op.remove !== undefined || op.update) {
        const found = target(op, 'adGroups', ['status', 'name', 'cpcBidMicros']);
        if ('checked' in found) return found.checked;
        if (op.remove !== undefined) return { change: removal(found.record) };
        const update = op.update ?? {};
        const unknown = unknownField(update, ['resourceName', 'status', 'name', 'cpcBidMicros'], `operations[${op.index}].update`);
        if (unknown) return { reply: unknown };
        const status = statusProblem(op, update.status);
        if (status) return status;
        const bid = bidErrors(update.cpcBidMicros);
        if (!Array.isArray(bid)) return { reply: bid };
        if (update.cpcBidMicros !== undefined) update.cpcBidMicros = int64(update.cpcBidMicros);
        return bid.length ? invalid(...bid) : { change: updating(op, found.record) };
      }
      const create = op.create ?? {};
      const unknown = unknownField(create, ['resourceName', 'name', 'campaign', 'status', 'type', 'cpcBidMicros'], `operations[${op.index}].create`);
      if (unknown) return { reply: unknown };
      const status = statusProblem(op, create.status);
      if (status) return status;
      const errors: AdsErrorEntry[] = [];
      const problem = nameProblem(op, create.name);
      if (problem) errors.push(problem);
      const campaign = ownName(op, create.campaign, 'campaigns') ? find<FakeGoogleCampaign>(create.campaign) : undefined;
      if (create.campaign === undefined) errors.push(entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'campaign')));
      else if (!campaign || campaign.status === 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.', at(op, 'campaign')));
      const taken = [...records<FakeGoogleAdGroup>('adGroups'), ...op.pending.values()].some((g) => g.campaign === create.campaign && g.name === create.name && g.status !== 'REMOVED');
      if (!problem && taken) errors.push(entry('adGroupError', 'DUPLICATE_ADGROUP_NAME', 'AdGroup with the same name already exists for the campaign.', at(op, 'name')));
      const type = str(create.type ?? 'SEARCH_STANDARD');
      if (campaign?.advertisingChannelType === 'SEARCH' && type !== 'SEARCH_STANDARD' && type !== 'SEARCH_DYNAMIC_ADS') {
        errors.push(entry('adGroupError', 'AD_GROUP_TYPE_NOT_VALID_FOR_ADVERTISING_CHANNEL_TYPE', 'The ad group type is not valid for the campaign channel type.', at(op, 'type')));
      }
      const bid = bidErrors(create.cpcBidMicros);
      if (!Array.isArray(bid)) return { reply: bid };
      errors.push(...bid);
      if (errors.length) return invalid(...errors);
      const id = nextId();
      const record: FakeGoogleAdGroup = {
        resourceName: `customers/${op.customer}/adGroups/${id}`,
        id,
        customer: op.customer,
        campaign: str(create.campaign),
        name: str(create.name),
        status: str(create.status ?? 'ENABLED'),
        type,
        cpcBidMicros: create.cpcBidMicros === undefined ? undefined : int64(create.cpcBidMicros),
        createdOn: today(),
      };
      op.pending.set(record.resourceName, record as unknown as Json);
      return { change: save('adGroups', record as unknown as Json) };
    },

    adGroupAds(op) {
      if (op.remove !== undefined || op.update) {
        const found = target(op, 'adGroupAds', ['status']);
        if ('checked' in found) return found.checked;
        if (op.remove !== undefined) return { change: removal(found.record) };
        const update = op.update ?? {};
        if (update.ad !== undefined) return invalid(entry('fieldError', 'IMMUTABLE_FIELD', 'The field cannot be modified by update.', at(op, 'ad')));
        const unknown = unknownField(update, ['resourceName', 'status'], `operations[${op.index}].update`);
        if (unknown) return { reply: unknown };
        const status = statusProblem(op, update.status);
        return status ?? { change: updating(op, found.record) };
      }
      const create = op.create ?? {};
      const unknown = unknownField(create, ['resourceName', 'adGroup', 'status', 'ad'], `operations[${op.index}].create`);
      if (unknown) return { reply: unknown };
      const status = statusProblem(op, create.status);
      if (status) return status;
      const errors: AdsErrorEntry[] = [];
      const adGroup = ownName(op, create.adGroup, 'adGroups') ? find<FakeGoogleAdGroup>(create.adGroup) : undefined;
      if (create.adGroup === undefined) errors.push(entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'adGroup')));
      else if (!adGroup || adGroup.status === 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.', at(op, 'adGroup')));
      const ad = create.ad;
      if (!isObject(ad)) return invalid(...errors, entry('fieldError', 'REQUIRED', 'The required field was not present.', at(op, 'ad')));
      const adUnknown = unknownField(ad, ['finalUrls', 'responsiveSearchAd', 'expandedTextAd', 'name', 'trackingUrlTemplate', 'finalMobileUrls'], `operations[${op.index}].create.ad`);
      if (adUnknown) return { reply: adUnknown };
      if (ad.expandedTextAd !== undefined) errors.push(entry('adError', 'CANNOT_CREATE_DEPRECATED_ADS', 'Expanded text ads can no longer be created.', at(op, 'ad', 'expandedTextAd')));
      if (ad.name !== undefined) errors.push(entry('adError', 'CANNOT_SET_FIELD', 'The name field is not supported for this ad type.', at(op, 'ad', 'name')));
      const urls = ad.finalUrls;
      if (!Array.isArray(urls) || urls.length === 0) errors.push(entry('adError', 'FINAL_URL_REQUIRED', 'A final URL is required.', at(op, 'ad', 'finalUrls')));
      else urls.forEach((url, i) => {
        if (!isHttpUrl(url)) errors.push({ ...entry('urlFieldError', 'INVALID_URL', 'The URL is not valid.', at(op, 'ad', 'finalUrls', i)), trigger: { stringValue: str(url) } });
      });
      const rsa = ad.responsiveSearchAd;
      if (!isObject(rsa)) {
        if (ad.expandedTextAd === undefined) errors.push(entry('adError', 'AD_TYPE_REQUIRED', 'An ad type (responsive_search_ad) is required.', at(op, 'ad')));
      } else {
        const assetsUnknown = unknownField(rsa, ['headlines', 'descriptions', 'path1', 'path2'], `operations[${op.index}].create.ad.responsive_search_ad`);
        if (assetsUnknown) return { reply: assetsUnknown };
        for (const [field, min, max, length] of [
          ['headlines', 3, 15, HEADLINE_MAX],
          ['descriptions', 2, 4, DESCRIPTION_MAX],
        ] as const) {
          const assets = rsa[field];
          const list = Array.isArray(assets) ? assets : [];
          if (list.length < min) errors.push(entry('collectionSizeError', 'TOO_FEW', `Too few: a responsive search ad needs at least ${min} ${field}.`, at(op, 'ad', 'responsiveSearchAd', field)));
          if (list.length > max) errors.push(entry('collectionSizeError', 'TOO_MANY', `Too many: a responsive search ad takes at most ${max} ${field}.`, at(op, 'ad', 'responsiveSearchAd', field)));
          list.forEach((asset, i) => {
            const text = isObject(asset) ? asset.text : undefined;
            if (typeof text !== 'string' || !text.trim()) errors.push(entry('stringLengthError', 'EMPTY', 'The specified field should have a least one non-whitespace character in it.', at(op, 'ad', 'responsiveSearchAd', field, i, 'text')));
            else if (text.length > length) errors.push({ ...entry('stringLengthError', 'TOO_LONG', 'Too long.', at(op, 'ad', 'responsiveSearchAd', field, i, 'text')), trigger: { stringValue: text } });
          });
        }
      }
      if (errors.length) return invalid(...errors);
      const adId = nextId();
      const groupId = str(adGroup?.id);
      const record: FakeGoogleAdGroupAd = {
        resourceName: `customers/${op.customer}/adGroupAds/${groupId}~${adId}`,
        customer: op.customer,
        adGroup: str(create.adGroup),
        status: str(create.status ?? 'ENABLED'),
        ad: {
          id: adId,
          finalUrls: urls as string[],
          responsiveSearchAd: rsa as FakeGoogleAdGroupAd['ad']['responsiveSearchAd'],
        },
        createdOn: today(),
      };
      return { change: save('adGroupAds', record as unknown as Json) };
    },

    campaignCriteria(op) {
      if (op.update) return invalid(entry('mutateError', 'MUTATE_NOT_ALLOWED', 'Location criteria cannot be updated; remove and create them.', at(op)));
      if (op.remove !== undefined) {
        const found = target(op, 'campaignCriteria', []);
        return 'checked' in found ? found.checked : { change: removal(found.record) };
      }
      const create = op.create ?? {};
      const unknown = unknownField(create, ['resourceName', 'campaign', 'location', 'negative', 'status'], `operations[${op.index}].create`);
      if (unknown) return { reply: unknown };
      const errors: AdsErrorEntry[] = [];
      const campaign = ownName(op, create.campaign, 'campaigns') ? find<FakeGoogleCampaign>(create.campaign) : undefined;
      if (!campaign || campaign.status === 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.', at(op, 'campaign')));
      const geo = isObject(create.location) ? create.location.geoTargetConstant : undefined;
      const geoId = typeof geo === 'string' ? /^geoTargetConstants\/(\d+)$/.exec(geo)?.[1] : undefined;
      if (!isObject(create.location)) errors.push(entry('criterionError', 'CRITERION_TYPE_REQUIRED', 'A criterion (location) is required.', at(op, 'location')));
      else if (!geoId || !Object.values(COUNTRIES).some((c) => str(c.id) === geoId)) errors.push(entry('criterionError', 'INVALID_GEO_TARGET_CONSTANT', 'The geo target constant is not valid.', at(op, 'location', 'geoTargetConstant')));
      if (create.negative !== undefined && typeof create.negative !== 'boolean') return { reply: badJson(`Invalid value at 'operations[${op.index}].create.negative' (TYPE_BOOL)`, 'negative') };
      const resourceName = `customers/${op.customer}/campaignCriteria/${campaign?.id ?? ''}~${geoId ?? ''}`;
      const existing = find<FakeGoogleCriterion>(resourceName) ?? (op.pending.get(resourceName) as FakeGoogleCriterion | undefined);
      if (!errors.length && existing && existing.status !== 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_ALREADY_EXISTS', 'The resource already exists.', at(op)));
      if (errors.length) return invalid(...errors);
      const record: FakeGoogleCriterion = {
        resourceName,
        customer: op.customer,
        parent: str(create.campaign),
        criterionId: geoId ?? '',
        negative: create.negative === true,
        type: 'LOCATION',
        location: { geoTargetConstant: str(geo) },
        status: 'ENABLED',
      };
      op.pending.set(resourceName, record as unknown as Json);
      return { change: save('campaignCriteria', record as unknown as Json) };
    },

    adGroupCriteria(op) {
      if (op.update) return invalid(entry('mutateError', 'MUTATE_NOT_ALLOWED', 'Age range criteria cannot be updated; remove and create them.', at(op)));
      if (op.remove !== undefined) {
        const found = target(op, 'adGroupCriteria', []);
        return 'checked' in found ? found.checked : { change: removal(found.record) };
      }
      const create = op.create ?? {};
      const unknown = unknownField(create, ['resourceName', 'adGroup', 'ageRange', 'negative', 'status'], `operations[${op.index}].create`);
      if (unknown) return { reply: unknown };
      const errors: AdsErrorEntry[] = [];
      const adGroup = ownName(op, create.adGroup, 'adGroups') ? find<FakeGoogleAdGroup>(create.adGroup) : undefined;
      if (!adGroup || adGroup.status === 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.', at(op, 'adGroup')));
      const type = isObject(create.ageRange) ? str(create.ageRange.type) : undefined;
      if (!isObject(create.ageRange)) errors.push(entry('criterionError', 'CRITERION_TYPE_REQUIRED', 'A criterion (age_range) is required.', at(op, 'ageRange')));
      else if (!type || !(type in AGE_RANGES)) return { reply: badJson(`Invalid value at 'operations[${op.index}].create.age_range.type' (type.googleapis.com/google.ads.googleads.${VERSION}.enums.AgeRangeTypeEnum.AgeRangeType), "${type}"`, 'age_range.type') };
      if (create.negative !== undefined && typeof create.negative !== 'boolean') return { reply: badJson(`Invalid value at 'operations[${op.index}].create.negative' (TYPE_BOOL)`, 'negative') };
      const criterionId = str(AGE_RANGES[type ?? ''] ?? '');
      const resourceName = `customers/${op.customer}/adGroupCriteria/${adGroup?.id ?? ''}~${criterionId}`;
      const existing = find<FakeGoogleCriterion>(resourceName) ?? (op.pending.get(resourceName) as FakeGoogleCriterion | undefined);
      if (!errors.length && existing && existing.status !== 'REMOVED') errors.push(entry('mutateError', 'RESOURCE_ALREADY_EXISTS', 'The resource already exists.', at(op)));
      if (errors.length) return invalid(...errors);
      const record: FakeGoogleCriterion = {
        resourceName,
        customer: op.customer,
        parent: str(create.adGroup),
        criterionId,
        negative: create.negative === true,
        type: 'AGE_RANGE',
        ageRange: { type: type ?? '' },
        status: 'ENABLED',
      };
      op.pending.set(resourceName, record as unknown as Json);
      return { change: save('adGroupCriteria', record as unknown as Json) };
    },
  };

  function mutate(customer: string, service: string, body: Json): FakeReply {
    const mutator = MUTATORS[service];
    if (!mutator) return { status: 404, body: { error: { code: 404, message: `Method not found: ${service}:mutate`, status: 'NOT_FOUND' } } };
    const unknown = unknownField(body, ['operations', 'partialFailure', 'validateOnly', 'responseContentType'], '');
    if (unknown) return unknown;
    const operations = body.operations;
    if (!Array.isArray(operations) || operations.length === 0) return failure('INVALID_ARGUMENT', [entry('fieldError', 'REQUIRED_NONEMPTY_LIST', 'The list must not be empty.', ['operations'])]);
    if (operations.length > 5000) return failure('INVALID_ARGUMENT', [entry('requestError', 'TOO_MANY_MUTATE_OPERATIONS', 'Too many mutate operations in the request.', ['operations'])]);
    const pending = new Map<string, Json>();
    const changes: Change[] = [];
    const errors: AdsErrorEntry[] = [];
    for (const [index, raw] of operations.entries()) {
      if (!isObject(raw)) return badJson(`Invalid value at 'operations[${index}]': expected an object`, `operations[${index}]`);
      const opUnknown = unknownField(raw, ['create', 'update', 'remove', 'updateMask'], `operations[${index}]`);
      if (opUnknown) return opUnknown;
      const kinds = ['create', 'update', 'remove'].filter((k) => raw[k] !== undefined);
      if (kinds.length !== 1) {
        errors.push(entry('requestError', 'OPERATION_REQUIRED', 'Exactly one of create, update or remove is required.', ['operations', index]));
        continue;
      }
      if ((raw.create !== undefined && !isObject(raw.create)) || (raw.update !== undefined && !isObject(raw.update)) || (raw.remove !== undefined && typeof raw.remove !== 'string')) {
        return badJson(`Invalid value at 'operations[${index}].${kinds[0] ?? ''}'`, `operations[${index}]`);
      }
      if (raw.updateMask !== undefined && typeof raw.updateMask !== 'string') return badJson(`Invalid value at 'operations[${index}].update_mask' (type.googleapis.com/google.protobuf.FieldMask)`, 'update_mask');
      const updateMask = typeof raw.updateMask === 'string' ? raw.updateMask.split(',').map((f) => camel(f.trim())).filter(Boolean) : [];
      const checked = mutator({
        customer,
        index,
        create: raw.create,
        update: raw.update,
        remove: raw.remove,
        updateMask,
        pending,
      });
      if ('reply' in checked) return checked.reply;
      if ('errors' in checked) errors.push(...checked.errors);
      else changes.push(checked.change);
    }
    if (errors.length) return failure('INVALID_ARGUMENT', errors);
    if (body.validateOnly === true) return { status: 200, body: {} };
    for (const change of changes) change.apply();
    return { status: 200, body: { results: changes.map((c) => ({ resourceName: c.resourceName })) } };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Search

  /** The rows a resource has before filtering: flat field → value maps (metrics per day when dates are involved). */
  function baseRows(customer: string, query: Query, range: { since: string; until: string } | undefined): Record<string, unknown>[] {
    const wantsMetrics = query.fields.some((f) => f.startsWith('metrics.')) || query.where.some((c) => c.field.startsWith('metrics.'));
    const perDay = query.fields.includes('segments.date');
    const withMetrics = (base: Record<string, unknown>, key: string, createdOn: string): Record<string, unknown>[] => {
      if (!wantsMetrics && !perDay) return [base];
      const dates = days(range?.since ?? createdOn, range?.until ?? today());
      const daily = dates.map((date) => ({ date, day: dailyMetrics(key, date) })).filter((d): d is { date: string; day: FakeGoogleDay } => d.day !== null);
      const metricsOf = (m: FakeGoogleDay) => ({
        'metrics.impressions': str(m.impressions),
        'metrics.clicks': str(m.clicks),
        'metrics.cost_micros': str(m.costMicros),
        'metrics.conversions': m.conversions,
        'metrics.ctr': m.impressions ? m.clicks / m.impressions : 0,
        'metrics.average_cpc': m.clicks ? m.costMicros / m.clicks : 0,
      });
      if (perDay) return daily.map(({ date, day }) => ({ ...base, 'segments.date': date, ...metricsOf(day) }));
      if (!daily.length) return [];
      const sum = daily.reduce(
        (total, { day }) => ({ impressions: total.impressions + day.impressions, clicks: total.clicks + day.clicks, costMicros: total.costMicros + day.costMicros, conversions: total.conversions + day.conversions }),
        { impressions: 0, clicks: 0, costMicros: 0, conversions: 0 },
      );
      return [{ ...base, ...metricsOf(sum) }];
    };
    switch (query.resource) {
      case 'campaign':
        return records<FakeGoogleCampaign>('campaigns')
          .filter((c) => c.customer === customer && c.status !== 'REMOVED')
          .flatMap((c) =>
            withMetrics(
              {
                'campaign.resource_name': c.resourceName,
                'campaign.id': c.id,
                'campaign.name': c.name,
                'campaign.status': c.status,
                'campaign.advertising_channel_type': c.advertisingChannelType,
                'campaign.start_date': c.startDate,
                'campaign.end_date': c.endDate,
                'campaign.campaign_budget': c.campaignBudget,
                'customer.id': customer,
              },
              c.id,
              c.createdOn,
            ),
          );
      case 'ad_group':
        return records<FakeGoogleAdGroup>('adGroups')
          .filter((g) => g.customer === customer && g.status !== 'REMOVED')
          .flatMap((g) => {
            const campaign = find<FakeGoogleCampaign>(g.campaign);
            return withMetrics(
              {
                'ad_group.resource_name': g.resourceName,
                'ad_group.id': g.id,
                'ad_group.name': g.name,
                'ad_group.status': g.status,
                'ad_group.cpc_bid_micros': g.cpcBidMicros,
                'campaign.id': campaign?.id,
                'campaign.name': campaign?.name,
                'customer.id': customer,
              },
              g.id,
              g.createdOn,
            );
          });
      case 'ad_group_ad':
        return records<FakeGoogleAdGroupAd>('adGroupAds')
          .filter((a) => a.customer === customer && a.status !== 'REMOVED')
          .flatMap((a) => {
            const group = find<FakeGoogleAdGroup>(a.adGroup);
            return withMetrics(
              {
                'ad_group_ad.resource_name': a.resourceName,
                'ad_group_ad.ad.id': a.ad.id,
                'ad_group_ad.status': a.status,
                'ad_group_ad.ad.final_urls': a.ad.finalUrls,
                'ad_group.id': group?.id,
                'campaign.id': find<FakeGoogleCampaign>(group?.campaign)?.id,
                'customer.id': customer,
              },
              `${group?.id ?? ''}~${a.ad.id}`,
              a.createdOn,
            );
          });
      case 'campaign_criterion':
        return records<FakeGoogleCriterion>('campaignCriteria')
          .filter((c) => c.customer === customer && c.status !== 'REMOVED')
          .map((c) => ({
            'campaign_criterion.resource_name': c.resourceName,
            'campaign_criterion.criterion_id': c.criterionId,
            'campaign_criterion.type': c.type,
            'campaign_criterion.negative': c.negative,
            'campaign_criterion.status': c.status,
            'campaign_criterion.location.geo_target_constant': c.location?.geoTargetConstant,
            'campaign.id': find<FakeGoogleCampaign>(c.parent)?.id,
          }));
      default:
        return Object.entries(COUNTRIES).map(([code, country]) => ({
          'geo_target_constant.resource_name': `geoTargetConstants/${country.id}`,
          'geo_target_constant.id': str(country.id),
          'geo_target_constant.name': country.name,
          'geo_target_constant.canonical_name': country.name,
          'geo_target_constant.country_code': code,
          'geo_target_constant.target_type': 'Country',
          'geo_target_constant.status': 'ENABLED',
        }));
    }
  }

  /** The finite date range a query's WHERE puts on segments.date, if it does. */
  function dateRange(query: Query): { since: string; until: string } | undefined {
    let since: string | undefined;
    let until: string | undefined;
    for (const c of query.where.filter((w) => w.field === 'segments.date')) {
      const [a, b] = c.values.map(String);
      if (c.op === 'BETWEEN') [since, until] = [a, b];
      else if (c.op === '=') [since, until] = [a, a];
      else if (c.op === '>=' || c.op === '>') since = a;
      else if (c.op === '<=' || c.op === '<') until = a;
    }
    return since && until ? { since, until } : undefined;
  }

  function search(customer: string, body: Json): FakeReply {
    const unknown = unknownField(body, ['query', 'pageToken', 'pageSize', 'validateOnly', 'returnTotalResultsCount', 'summaryRowSetting'], '');
    if (unknown) return unknown;
    if (body.pageSize !== undefined) return failure('INVALID_ARGUMENT', [entry('requestError', 'PAGE_SIZE_NOT_SUPPORTED', 'Setting the page size is not supported. Search Responses will have fixed page size of 10000 rows.', ['page_size'])]);
    if (typeof body.query !== 'string' || !body.query.trim()) return failure('INVALID_ARGUMENT', [entry('queryError', 'QUERY_ERROR', 'Error in query: the query is empty.', ['query'])]);
    const queryError = (code: string, message: string) => failure('INVALID_ARGUMENT', [entry('queryError', code, message)]);
    let query: Query;
    try {
      query = parseGaql(body.query);
    } catch (error) {
      if (error instanceof GaqlError) return queryError(error.code, error.message);
      throw error;
    }
    const allowed = RESOURCE_FIELDS[query.resource];
    if (!allowed) return queryError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Error in query: ${query.resource} is not a resource that can be queried here.`);
    const unknownName = [...query.fields, ...query.where.map((w) => w.field), ...query.orderBy.map((o) => o.field)].find((f) => !allowed.includes(f));
    if (unknownName) return queryError('UNRECOGNIZED_FIELD', `Error in query: unrecognized field in the query: '${unknownName}'.`);
    const range = dateRange(query);
    if (query.fields.includes('segments.date') && !range) return queryError('EXPECTED_FILTERS_ON_DATE_RANGE', 'Error in query: a finite date range must be specified when segments.date is selected.');
    for (const c of query.where.filter((w) => w.field === 'segments.date')) {
      if (!c.values.every(isDate)) return queryError('INVALID_VALUE_WITH_BETWEEN_OPERATOR', `Error in query: segments.date values are 'YYYY-MM-DD' (got ${c.values.join(', ')}).`);
    }
    if (range && range.since > range.until) return queryError('DATE_RANGE_TOO_NARROW', 'Error in query: the date range ends before it starts.');

    let rows = baseRows(customer, query, range).filter((row) => query.where.every((c) => matches(c, row[c.field])));
    for (const order of [...query.orderBy].reverse()) {
      rows = [...rows].sort((a, b) => (str(a[order.field]) < str(b[order.field]) ? -1 : str(a[order.field]) > str(b[order.field]) ? 1 : 0) * (order.desc ? -1 : 1));
    }
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);

    const queryHash = createHash('sha256').update(body.query).digest('base64url').slice(0, 16);
    let offset = 0;
    if (body.pageToken !== undefined) {
      let token: { q?: string; o?: number } | undefined;
      try {
        token = JSON.parse(Buffer.from(str(body.pageToken), 'base64url').toString('utf8')) as { q?: string; o?: number };
      } catch {
        token = undefined;
      }
      if (!token || token.q !== queryHash || !Number.isInteger(token.o)) return failure('INVALID_ARGUMENT', [entry('requestError', 'INVALID_PAGE_TOKEN', 'Page token is invalid.', ['page_token'])]);
      offset = token.o ?? 0;
    }
    const resourceNameField = `${query.resource}.resource_name`;
    const page = rows.slice(offset, offset + fake.searchPageSize).map((row) => {
      const result: Json = {};
      // A row always carries the resource name of the resource queried, selected or not.
      for (const fieldName of new Set([resourceNameField, ...query.fields])) if (row[fieldName] !== undefined) place(result, fieldName, row[fieldName]);
      return result;
    });
    const answer: Json = { fieldMask: query.fields.map((f) => f.split('.').map(camel).join('.')).join(','), requestId: randomBytes(8).toString('base64url'), queryResourceConsumption: str(10 + rows.length) };
    if (page.length) answer.results = page;
    if (offset + page.length < rows.length) answer.nextPageToken = Buffer.from(JSON.stringify({ q: queryHash, o: offset + page.length })).toString('base64url');
    if (body.returnTotalResultsCount === true) answer.totalResultsCount = str(rows.length);
    return { status: 200, body: answer };
  }

  return fake;
}
