/**
 * Facebook Pages, through the Graph API (version pinned in every path): a post is `POST /{page-id}/feed` with
 * `message` and `link`, made with the Page's own access token, which `GET /me/accounts` hands out for the person's
 * user token. OAuth 2.0 through Facebook Login's manual flow: the dialog on www.facebook.com, the code exchanged at
 * `GET /{version}/oauth/access_token` with the client's id and secret as query parameters. The standard web flow
 * has no PKCE (Facebook offers it only in its OIDC / Limited Login flows), and no refresh token: a user token is
 * renewed by the person logging in again.
 * https://developers.facebook.com/docs/pages-api/posts, https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow,
 * https://developers.facebook.com/docs/graph-api/guides/error-handling, https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 *
 * Which Page: INTEGRATION_FACEBOOK_PAGE_ID when set (a deployment that posts for one brand; the person must have
 * shared that Page), otherwise the first Page of `/me/accounts` on which the person may create content (task
 * CREATE_CONTENT). Facebook's consent dialog asks the person which Pages to share with the app, so connecting one Page
 * means choosing it there.
 */
import { kindOfStatus, ProviderError, type ProviderFailureKind } from '../errors';
import type { ProviderHttp, ProviderResponse } from '../http';
import type { ProviderModule } from '../provider';
import { retryAfterSeconds, type RateLimitState } from '../rate-limits';
import type { PublishedPost, SocialAdapter, SocialPost } from './types';

const NAME = 'Facebook';

/** The Graph API version every path names (each version is served for about two years after its release). */
export const GRAPH_VERSION = 'v19.0';

/** Facebook's limit for a post's text. */
const MAX_MESSAGE = 63_206;
/** How long to hold calls when Facebook says "throttled" without saying until when. */
const DEFAULT_THROTTLE_SECONDS = 60;
/** /me/accounts pages read at most, looking for a Page to post on. */
const MAX_ACCOUNT_PAGES = 20;

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Throttling: application (4), user (17), Page (32), custom (613), and the business use case codes (80001-80014). */
const THROTTLED = new Set([4, 17, 32, 613]);
/** Subcodes of the code exchange: the code expired (36007), the redirect_uri differs (36008), the code was used (36009). */
const DEAD_CODE = new Set([36007, 36008, 36009]);

/**
 * Graph errors are `{ error: { message, type, code, error_subcode, fbtrace_id } }`, often with HTTP 400 whatever the
 * cause, so the code decides: 190 (and 102) an invalid or expired token, 4/17/32/613/800xx throttling, 100 an invalid
 * parameter (subcode 33: no such object, or not visible to us), 10 and 200-299 missing permissions, 1/2 Facebook's
 * own failure. The token endpoint answers in the same shape.
 */
export function classifyFacebook(response: ProviderResponse): ProviderError {
  const error = (response.body as { error?: GraphError } | undefined)?.error;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const kind = code === undefined ? kindOfStatus(response.status) : kindOfGraphCode(code, error?.error_subcode, error?.message ?? '', response.status);
  const message = error?.error_user_msg ?? error?.message ?? `answered HTTP ${response.status}`;
  return new ProviderError(NAME, kind, message, {
    status: response.status,
    providerCode: code === undefined ? undefined : error?.error_subcode ? `${code}/${error.error_subcode}` : String(code),
    retryAfterSeconds: kind === 'RATE_LIMITED' ? (regainAccessSeconds(response.headers) ?? retryAfterSeconds(response.headers) ?? DEFAULT_THROTTLE_SECONDS) : undefined,
  });
}

function kindOfGraphCode(code: number, subcode: number | undefined, message: string, status: number): ProviderFailureKind {
  if (code === 190 || code === 102) return 'AUTH_EXPIRED';
  if (THROTTLED.has(code) || (code >= 80001 && code <= 80014)) return 'RATE_LIMITED';
  if (code === 100) {
    if (subcode !== undefined && DEAD_CODE.has(subcode)) return 'AUTH_EXPIRED'; // the grant is dead: start again
    return subcode === 33 ? 'PERMANENT' : 'INVALID_CONTENT';
  }
  if (code === 506) return 'INVALID_CONTENT'; // duplicate post
  if (code === 10 || (code >= 200 && code <= 299)) return 'PERMANENT';
  if (code === 1 || code === 2) {
    // "Error validating client secret" is code 1 too: our configuration, not an outage to retry.
    return /client secret|application/i.test(message) ? 'PERMANENT' : 'OUTAGE';
  }
  if (code === 101) return 'PERMANENT'; // invalid application id
  return kindOfStatus(status);
}

interface Usage {
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
  estimated_time_to_regain_access?: number;
}

function parseJsonHeader(headers: Headers, name: string): unknown {
  const value = headers.get(name);
  if (!value) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** The usages Facebook reported on an answer: app, Page, and each business use case (by object id). */
function usages(headers: Headers): Usage[] {
  const list: Usage[] = [];
  for (const name of ['x-app-usage', 'x-page-usage', 'x-ad-account-usage']) {
    const usage = parseJsonHeader(headers, name);
    if (usage && typeof usage === 'object') list.push(usage);
  }
  const business = parseJsonHeader(headers, 'x-business-use-case-usage');
  if (business && typeof business === 'object') {
    for (const entries of Object.values(business as Record<string, unknown>)) {
      if (Array.isArray(entries)) list.push(...(entries.filter((e) => e && typeof e === 'object') as Usage[]));
    }
  }
  return list;
}

/** Minutes until access returns, from x-business-use-case-usage, in seconds (when Facebook said). */
function regainAccessSeconds(headers: Headers): number | undefined {
  const minutes = Math.max(0, ...usages(headers).map((u) => Number(u.estimated_time_to_regain_access) || 0));
  return minutes > 0 ? minutes * 60 : undefined;
}

/**
 * Facebook reports usage as percentages of the limits (call count, CPU time, total time) in x-app-usage,
 * x-page-usage and x-business-use-case-usage. At 100 % calls are refused: hold them until the business use case's
 * `estimated_time_to_regain_access` (minutes), or a minute when no header says.
 */
export function facebookRateLimit(headers: Headers, now = Date.now()): RateLimitState | undefined {
  const list = usages(headers);
  if (list.length === 0) return undefined;
  const highest = Math.max(0, ...list.map((u) => Math.max(Number(u.call_count) || 0, Number(u.total_cputime) || 0, Number(u.total_time) || 0)));
  if (highest < 100) return {};
  return { remaining: 0, resetAt: new Date(now + (regainAccessSeconds(headers) ?? DEFAULT_THROTTLE_SECONDS) * 1000) };
}

interface PageAccount {
  id: string;
  name: string;
  access_token: string;
  tasks?: string[];
}

interface AccountsAnswer {
  data?: Partial<PageAccount>[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** The Page to post on, with its token: the first one the person may create content on (or the one named `pageId`). */
async function findPage(http: ProviderHttp, pageId?: string): Promise<PageAccount> {
  let after: string | undefined;
  for (let page = 0; page < MAX_ACCOUNT_PAGES; page += 1) {
    const answer = await http.request<AccountsAnswer>({
      path: `/${GRAPH_VERSION}/me/accounts`,
      query: { fields: 'id,name,access_token,tasks', after },
    });
    for (const account of answer.body?.data ?? []) {
      if (!account.id || !account.access_token) continue;
      if (pageId ? account.id === pageId : (account.tasks ?? []).includes('CREATE_CONTENT')) {
        return { id: account.id, name: account.name ?? account.id, access_token: account.access_token, tasks: account.tasks };
      }
    }
    after = answer.body?.paging?.next ? answer.body.paging.cursors?.after : undefined;
    if (!after) break;
  }
  throw new ProviderError(NAME, 'PERMANENT', pageId ? `the Page ${pageId} is not among the Pages this account shared` : 'this account shared no Page it may post on');
}

function adapter(http: ProviderHttp, configuredPage: string | undefined): SocialAdapter {
  // The Page and its token, looked up once per adapter (a failed lookup is made again).
  let chosen: Promise<PageAccount> | undefined;
  const page = () => {
    chosen ??= findPage(http, configuredPage).catch((error: unknown) => {
      chosen = undefined;
      throw error;
    });
    return chosen;
  };
  const asPage = (account: PageAccount) => http.with({ authorize: (headers) => headers.set('authorization', `Bearer ${account.access_token}`) });

  return {
    maxLength: MAX_MESSAGE,
    async publish(post: SocialPost): Promise<PublishedPost> {
      if (!post.text.trim() && !post.link) throw new ProviderError(NAME, 'INVALID_CONTENT', 'a post needs a message or a link');
      if (post.text.length > MAX_MESSAGE) throw new ProviderError(NAME, 'INVALID_CONTENT', `a post may hold ${MAX_MESSAGE} characters`);
      const account = await page();
      const answer = await asPage(account).request<{ id?: string }>({
        method: 'POST',
        path: `/${GRAPH_VERSION}/${encodeURIComponent(account.id)}/feed`,
        form: { message: post.text.trim() ? post.text : undefined, link: post.link },
      });
      const id = answer.body?.id;
      if (typeof id !== 'string' || !id) throw new ProviderError(NAME, 'OUTAGE', 'the post was accepted without an id', { status: answer.status });
      // The id is "{page-id}_{post-id}", which facebook.com resolves.
      return { externalId: id, partIds: [id], url: `https://www.facebook.com/${id}` };
    },
    async delete(externalId: string): Promise<void> {
      // A Page post is deleted with that Page's token: the Page is the id's prefix.
      const pageId = externalId.includes('_') ? externalId.split('_')[0] : undefined;
      const current = await page();
      const account = !pageId || pageId === current.id ? current : await findPage(http, pageId);
      await asPage(account).request({ method: 'DELETE', path: `/${GRAPH_VERSION}/${encodeURIComponent(externalId)}` });
    },
  };
}

export const facebook: ProviderModule<SocialAdapter> = {
  id: 'facebook',
  displayName: NAME,
  category: 'SOCIAL',
  channel: 'FACEBOOK',
  defaults: { apiUrl: 'https://graph.facebook.com', authUrl: 'https://www.facebook.com' },
  extraSettings: ['PAGE_ID'],
  profile: {
    id: 'facebook',
    displayName: NAME,
    classify: classifyFacebook,
    rateLimit: (headers) => facebookRateLimit(headers),
  },
  auth: {
    kind: 'oauth2',
    endpoints: (settings) => ({
      authorizeUrl: `${settings.authUrl}/${GRAPH_VERSION}/dialog/oauth`,
      tokenUrl: `${settings.apiUrl}/${GRAPH_VERSION}/oauth/access_token`,
      // To list the person's Pages (with their tokens), and to post on them.
      scopes: ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts'],
      scopeSeparator: ',',
      clientAuth: 'body',
      pkce: false,
      tokenMethod: 'GET',
    }),
  },
  authorize(headers, credentials) {
    if (credentials.kind !== 'oauth2') throw new ProviderError(NAME, 'PERMANENT', 'Facebook needs an OAuth 2.0 token');
    // The Graph API takes the token as a bearer header as well as an access_token parameter; a header stays out of logs.
    headers.set('authorization', `Bearer ${credentials.accessToken}`);
  },
  async identify(http) {
    const answer = await http.request<{ id?: string; name?: string }>({ path: `/${GRAPH_VERSION}/me`, query: { fields: 'id,name' } });
    const id = answer.body?.id;
    if (!id) throw new ProviderError(NAME, 'OUTAGE', 'the account answer had no id', { status: answer.status });
    return { id, name: answer.body?.name ?? id };
  },
  adapter: (http, settings) => adapter(http, settings.extra.PAGE_ID),
};
