/**
 * X (formerly Twitter), API v2: a post is `POST /2/tweets`; a text longer than 280 (as X counts it) becomes a thread,
 * each part a reply to the one before (`reply.in_reply_to_tweet_id`). OAuth 2.0 authorization code flow with PKCE,
 * which X requires; our confidential client authenticates at the token endpoint with HTTP Basic.
 * https://docs.x.com/x-api/posts/manage-tweets/introduction, https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code
 */
import { kindOfStatus, ProviderError, type ProviderFailureKind } from '../errors';
import type { ProviderHttp, ProviderResponse } from '../http';
import { oauthError } from '../oauth';
import type { ProviderModule } from '../provider';
import { retryAfterSeconds, standardRateLimit } from '../rate-limits';
import type { PublishedPost, SocialAdapter, SocialPost } from './types';
import { splitThread, X_MAX_WEIGHTED_LENGTH } from './x-thread';

export { splitThread, xWeightedLength, X_MAX_WEIGHTED_LENGTH, X_URL_WEIGHT, type ThreadOptions } from './x-thread';

const NAME = 'X';

/** X's problem types (RFC 7807 `type`) that say more than the status. */
const PROBLEM = 'https://api.twitter.com/2/problems/';

interface XProblem {
  title?: string;
  detail?: string;
  type?: string;
  status?: number;
  /** Validation failures (and some partial errors) come as a list. */
  errors?: { message?: string; title?: string; detail?: string; type?: string; parameters?: Record<string, unknown> }[];
}

/**
 * X's errors are problem details `{ title, detail, type, status }`, or `{ errors: [...], title, detail, type }` for
 * invalid requests; the token endpoints answer RFC 6749 `{ error, error_description }`.
 */
export function classifyX(response: ProviderResponse): ProviderError {
  const oauth = oauthError(NAME, response);
  if (oauth) return oauth;
  const body: XProblem = typeof response.body === 'object' && response.body !== null ? response.body : {};
  const first = body.errors?.[0];
  const message = body.detail ?? first?.message ?? first?.detail ?? body.title ?? `answered HTTP ${response.status}`;
  const type = body.type ?? first?.type ?? '';
  const providerCode = type.startsWith(PROBLEM) ? type.slice(PROBLEM.length) : (body.title ?? undefined);
  const kind = kindOfX(response.status, type, message);
  return new ProviderError(NAME, kind, message, {
    status: response.status,
    providerCode,
    retryAfterSeconds: kind === 'RATE_LIMITED' ? xRetryAfter(response.headers) : undefined,
  });
}

function kindOfX(status: number, type: string, message: string): ProviderFailureKind {
  if (type === `${PROBLEM}usage-capped`) return 'RATE_LIMITED'; // the project's monthly post cap (a 429)
  if (type === `${PROBLEM}invalid-request` || type === `${PROBLEM}duplicate-rules`) return 'INVALID_CONTENT';
  if (type === `${PROBLEM}unsupported-authentication`) return 'PERMANENT'; // an app-only token where a user token is needed: our bug
  // X refuses a duplicate or an over-long post with a 403 whose detail says so: the content, not the permission.
  if (status === 403 && /duplicate content|too long/i.test(message)) return 'INVALID_CONTENT';
  return kindOfStatus(status);
}

/** X tells when the window resets (`x-rate-limit-reset`, epoch seconds), rarely Retry-After. */
function xRetryAfter(headers: Headers): number {
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (headers.get('x-rate-limit-reset') !== null && Number.isFinite(reset)) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  return retryAfterSeconds(headers) ?? 60;
}

interface TweetAnswer {
  data?: { id?: string; text?: string };
}

/** Posts `post`, as a thread when it is too long; on a failure midway, removes the parts already posted (best effort). */
async function publish(http: ProviderHttp, post: SocialPost): Promise<PublishedPost> {
  const text = post.link && !post.text.includes(post.link) ? `${post.text.trim()} ${post.link}` : post.text;
  const parts = splitThread(text);
  if (parts.length === 0) throw new ProviderError(NAME, 'INVALID_CONTENT', 'a post needs some text');
  const ids: string[] = [];
  try {
    for (const part of parts) {
      const previous = ids.at(-1);
      const answer = await http.request<TweetAnswer>({
        method: 'POST',
        path: '/2/tweets',
        json: previous ? { text: part, reply: { in_reply_to_tweet_id: previous } } : { text: part },
      });
      const id = answer.body?.data?.id;
      if (typeof id !== 'string' || !id) throw new ProviderError(NAME, 'OUTAGE', 'the post was accepted without an id', { status: answer.status });
      ids.push(id);
    }
  } catch (error) {
    // A half-posted thread would be re-posted whole on a retry (and X refuses duplicates): take back what was posted.
    // If a call timed out, X may still have posted that part; nothing here can know it.
    for (const id of ids.reverse()) await remove(http, id).catch(() => undefined);
    throw error;
  }
  const first = ids[0] as string;
  return { externalId: first, partIds: ids, url: `https://x.com/i/web/status/${first}` };
}

/** Deletes one post; a post that is already gone counts as deleted. Deleting a thread's first part leaves its replies. */
async function remove(http: ProviderHttp, id: string): Promise<void> {
  try {
    await http.request({ method: 'DELETE', path: `/2/tweets/${encodeURIComponent(id)}` });
  } catch (error) {
    if (error instanceof ProviderError && error.status === 404) return;
    throw error;
  }
}

export const x: ProviderModule<SocialAdapter> = {
  id: 'x',
  displayName: NAME,
  category: 'SOCIAL',
  channel: 'X',
  // The API and the token endpoints live on api.x.com; the consent page on x.com (INTEGRATION_X_AUTH_URL).
  defaults: { apiUrl: 'https://api.x.com', authUrl: 'https://x.com' },
  profile: {
    id: 'x',
    displayName: NAME,
    classify: classifyX,
    // x-rate-limit-limit / -remaining / -reset (epoch seconds), per endpoint and user.
    rateLimit: standardRateLimit,
  },
  auth: {
    kind: 'oauth2',
    endpoints: (settings) => ({
      authorizeUrl: `${settings.authUrl}/i/oauth2/authorize`,
      tokenUrl: `${settings.apiUrl}/2/oauth2/token`,
      revokeUrl: `${settings.apiUrl}/2/oauth2/revoke`,
      // offline.access is what makes X issue a refresh token (access tokens last two hours).
      scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'],
      clientAuth: 'basic',
      pkce: true,
    }),
  },
  authorize(headers, credentials) {
    if (credentials.kind !== 'oauth2') throw new ProviderError(NAME, 'PERMANENT', 'X needs an OAuth 2.0 user token');
    headers.set('authorization', `Bearer ${credentials.accessToken}`);
  },
  async identify(http) {
    const answer = await http.request<{ data?: { id?: string; name?: string; username?: string } }>({ path: '/2/users/me' });
    const user = answer.body?.data;
    if (!user?.id) throw new ProviderError(NAME, 'OUTAGE', 'the account answer had no id', { status: answer.status });
    return { id: user.id, name: user.name ?? user.username ?? user.id, url: user.username ? `https://x.com/${user.username}` : undefined };
  },
  adapter: (http) => ({
    maxLength: X_MAX_WEIGHTED_LENGTH,
    publish: (post) => publish(http, post),
    delete: (externalId) => remove(http, externalId),
  }),
};
