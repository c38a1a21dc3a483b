/**
 * LinkedIn, the versioned Posts API (Community Management): a member's post is `POST /rest/posts` authored by
 * `urn:li:person:<id>`, the id being the OpenID Connect `sub` of `GET /v2/userinfo`. Every /rest call carries
 * `LinkedIn-Version` (YYYYMM) and `X-Restli-Protocol-Version: 2.0.0`. OAuth 2.0 authorization code flow (3-legged)
 * with the client's id and secret in the token request's form; LinkedIn offers PKCE only to approved native apps, so a
 * web client does not use it.
 * https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api,
 * https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow
 */
import { kindOfStatus, ProviderError, type ProviderFailureKind } from '../errors';
import type { ProviderHttp, ProviderResponse } from '../http';
import { oauthError } from '../oauth';
import type { ProviderModule } from '../provider';
import { retryAfterSeconds } from '../rate-limits';
import type { PublishedPost, SocialAdapter, SocialPost } from './types';

const NAME = 'LinkedIn';

/** The Posts API version this adapter is written against (LinkedIn supports a version for at least a year). */
export const LINKEDIN_VERSION = '202505';

/** A post's commentary may hold 3,000 characters. */
const MAX_COMMENTARY = 3000;

/** Headers of every versioned (/rest) call. */
const REST_HEADERS = { 'linkedin-version': LINKEDIN_VERSION, 'x-restli-protocol-version': '2.0.0' };

/** Invalid, expired or revoked token (LinkedIn's serviceErrorCode for 401s). */
const TOKEN_ERRORS = new Set(['INVALID_ACCESS_TOKEN', 'EXPIRED_ACCESS_TOKEN', 'REVOKED_ACCESS_TOKEN']);
/** Our version header is missing or no longer served: our configuration, not the content. */
const VERSION_ERRORS = new Set(['VERSION_MISSING', 'NONEXISTENT_VERSION', 'VERSION_NOT_SUPPORTED']);

interface LinkedInError {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
}

/**
 * LinkedIn's API errors are `{ status, serviceErrorCode, code, message }`; its OAuth endpoints answer RFC 6749
 * `{ error, error_description }`.
 */
export function classifyLinkedIn(response: ProviderResponse): ProviderError {
  const oauth = oauthError(NAME, response);
  if (oauth) return oauth;
  const body: LinkedInError = typeof response.body === 'object' && response.body !== null ? response.body : {};
  const code = body.code ?? (body.serviceErrorCode !== undefined ? String(body.serviceErrorCode) : undefined);
  let kind: ProviderFailureKind = kindOfStatus(response.status);
  if (response.status === 401 || (body.code && TOKEN_ERRORS.has(body.code))) kind = 'AUTH_EXPIRED';
  else if (body.code && VERSION_ERRORS.has(body.code)) kind = 'PERMANENT';
  else if (response.status === 426) kind = 'PERMANENT'; // "upgrade required": the version we pin was sunset
  return new ProviderError(NAME, kind, body.message ?? `answered HTTP ${response.status}`, {
    status: response.status,
    providerCode: code,
    retryAfterSeconds: kind === 'RATE_LIMITED' ? (retryAfterSeconds(response.headers) ?? secondsToUtcMidnight()) : undefined,
  });
}

/** LinkedIn's limits are per day and reset at midnight UTC; its 429s carry no Retry-After. */
function secondsToUtcMidnight(now = new Date()): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}

/**
 * The commentary is LinkedIn's "little text": `\ | { } @ [ ] ( ) < > # * _ ~` are markup and must be escaped, or the
 * text is cut or garbled (an unescaped "(" drops what follows). A hashtag is written as the hashtag template, so it
 * stays a hashtag rather than an escaped '#'.
 */
export function toLittleText(text: string): string {
  const escape = (plain: string) => plain.replace(/[\\|{}@[\]()<>#*_~]/g, (char) => `\\${char}`);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/(?<![\p{L}\p{N}_&#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu)) {
    out += escape(text.slice(last, match.index)) + `{hashtag|\\#|${escape(match[1] ?? '')}}`;
    last = match.index + match[0].length;
  }
  return out + escape(text.slice(last));
}

interface UserInfo {
  sub?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
}

async function userInfo(http: ProviderHttp): Promise<UserInfo & { sub: string }> {
  // OpenID Connect userinfo: unversioned, no LinkedIn-Version header.
  const answer = await http.request<UserInfo>({ path: '/v2/userinfo' });
  const sub = answer.body?.sub;
  if (typeof sub !== 'string' || !sub) throw new ProviderError(NAME, 'OUTAGE', 'userinfo answered without a member id', { status: answer.status });
  return { ...answer.body, sub };
}

function adapter(http: ProviderHttp): SocialAdapter {
  // The member's urn, asked once per adapter (a failed lookup is asked again).
  let author: Promise<string> | undefined;
  const authorUrn = () => {
    author ??= userInfo(http).then(
      (info) => `urn:li:person:${info.sub}`,
      (error: unknown) => {
        author = undefined;
        throw error;
      },
    );
    return author;
  };

  return {
    maxLength: MAX_COMMENTARY,
    async publish(post: SocialPost): Promise<PublishedPost> {
      // The Posts API does not scrape a URL for an article card (it wants a title and a thumbnail we do not have):
      // the link goes in the text, where LinkedIn makes it clickable.
      const text = post.link && !post.text.includes(post.link) ? `${post.text.trim()}\n\n${post.link}` : post.text;
      if (!text.trim()) throw new ProviderError(NAME, 'INVALID_CONTENT', 'a post needs some text');
      if ([...text].length > MAX_COMMENTARY) throw new ProviderError(NAME, 'INVALID_CONTENT', `a post may hold ${MAX_COMMENTARY} characters`);
      const answer = await http.request({
        method: 'POST',
        path: '/rest/posts',
        headers: REST_HEADERS,
        json: {
          author: await authorUrn(),
          commentary: toLittleText(text),
          visibility: 'PUBLIC',
          distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        },
      });
      // 201 with an empty body: the post's urn (urn:li:share:… or urn:li:ugcPost:…) is in x-restli-id.
      const urn = answer.headers.get('x-restli-id');
      if (!urn) throw new ProviderError(NAME, 'OUTAGE', 'the post was accepted without an id', { status: answer.status });
      return { externalId: urn, partIds: [urn], url: `https://www.linkedin.com/feed/update/${urn}/` };
    },
    async delete(externalId: string): Promise<void> {
      try {
        await http.request({ method: 'DELETE', path: `/rest/posts/${encodeURIComponent(externalId)}`, headers: REST_HEADERS });
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) return; // already gone
        throw error;
      }
    },
  };
}

export const linkedin: ProviderModule<SocialAdapter> = {
  id: 'linkedin',
  displayName: NAME,
  category: 'SOCIAL',
  channel: 'LINKEDIN',
  defaults: { apiUrl: 'https://api.linkedin.com', authUrl: 'https://www.linkedin.com' },
  profile: {
    id: 'linkedin',
    displayName: NAME,
    classify: classifyLinkedIn,
    // LinkedIn sends no rate-limit headers: its limits are daily quotas, seen only as a 429.
    rateLimit: () => undefined,
  },
  auth: {
    kind: 'oauth2',
    endpoints: (settings) => ({
      authorizeUrl: `${settings.authUrl}/oauth/v2/authorization`,
      tokenUrl: `${settings.authUrl}/oauth/v2/accessToken`,
      revokeUrl: `${settings.authUrl}/oauth/v2/revoke`,
      // OpenID Connect (openid profile) for userinfo, w_member_social to post as the member.
      scopes: ['openid', 'profile', 'w_member_social'],
      clientAuth: 'body',
      pkce: false,
    }),
  },
  authorize(headers, credentials) {
    if (credentials.kind !== 'oauth2') throw new ProviderError(NAME, 'PERMANENT', 'LinkedIn needs an OAuth 2.0 token');
    headers.set('authorization', `Bearer ${credentials.accessToken}`);
  },
  async identify(http) {
    const info = await userInfo(http);
    const name = info.name ?? ([info.given_name, info.family_name].filter(Boolean).join(' ') || info.sub);
    return { id: info.sub, name };
  },
  adapter: (http) => adapter(http),
};
