/**
 * A fake Facebook Graph API (v19.0): Facebook Login's manual flow (the dialog at /v19.0/dialog/oauth, the code
 * exchanged by GET /v19.0/oauth/access_token with the client's id and secret as query parameters, no PKCE, no refresh
 * token), `GET /me`, `GET /me/accounts` (the person's Pages with their Page tokens, cursor-paginated) and Page posts:
 * `POST /{page-id}/feed`, `DELETE /{post-id}`, which need the PAGE's token (a user token is refused with error 200,
 * as Facebook does). Errors are Graph's `{ error: { message, type, code, error_subcode, fbtrace_id } }`, with HTTP 400
 * for most causes, so only the code tells them apart. Every answer carries `x-app-usage`, and Page calls
 * `x-page-usage` and `x-business-use-case-usage` (percentages of the limits; `usage` sets them).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { FAKE_CLIENT, keep, kept, type FakeProvider } from '../fake-provider';
import { FakeServer, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';
import { FakeOAuth } from '../oauth';

const V = '/v19.0';

export interface FacebookPage {
  id: string;
  name: string;
  category: string;
  /** What the person may do on the Page; posting needs CREATE_CONTENT. */
  tasks: string[];
}

export interface FacebookPost {
  id: string;
  pageId: string;
  message?: string;
  link?: string;
  createdAt: Date;
  deleted: boolean;
}

export interface FacebookFake extends FakeProvider {
  oauth: FakeOAuth;
  /** The person's Pages, in /me/accounts order. */
  pages: FacebookPage[];
  /** Pages per /me/accounts answer (Facebook's default is 25; lower it to exercise the paging). */
  accountsPageSize: number;
  /** The usage percentages the next answers report (100 or more: throttled), and the minutes to regain access. */
  usage: { app: number; page: number; regainMinutes: number };
  /** Page tokens handed out, by token. */
  pageTokens: Map<string, string>;
}

const PERSON = { id: '10229384756102938', name: 'Sandbox Person' };

function fbtrace(): string {
  return randomBytes(8).toString('base64url');
}

export function graphError(status: number, code: number, message: string, extra: { subcode?: number; type?: string; transient?: boolean } = {}): FakeReply {
  const error: Record<string, unknown> = { message, type: extra.type ?? 'OAuthException', code, fbtrace_id: fbtrace() };
  if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
  if (extra.transient !== undefined) error.is_transient = extra.transient;
  return { status, body: { error } };
}

function errorShape(kind: FaultKind, status: number): FakeReply {
  switch (kind) {
    case 'rate_limit': {
      // Facebook throttles with error code 4 (application) and HTTP 403, not 429; the usage headers say 100 %.
      const reply = graphError(403, 4, '(#4) Application request limit reached', { transient: true });
      return { ...reply, headers: { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 12, total_time: 40 }) } };
    }
    case 'expired_token':
      return graphError(400, 190, 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT.', { subcode: 463 });
    case 'invalid':
      return graphError(status, 100, '(#100) Invalid parameter');
    default:
      return graphError(status, 2, 'An unexpected error has occurred. Please retry your request later.', { transient: true });
  }
}

export function facebookFake(): FacebookFake {
  const server = new FakeServer('facebook', errorShape);
  const oauth = new FakeOAuth(server, {
    paths: { authorize: `${V}/dialog/oauth`, token: `${V}/oauth/access_token` },
    clientId: FAKE_CLIENT.id,
    clientSecret: FAKE_CLIENT.secret,
    requirePkce: false,
    clientAuth: 'body',
    tokenMethod: 'GET',
    refreshTokens: false,
    accessTokenSeconds: 5_184_000,
    account: PERSON,
    // The token endpoint answers in Graph's shape: a dead code is code 100 with a subcode, a bad secret code 1.
    tokenError: (_status, error, description) => {
      if (error === 'invalid_client') return graphError(400, 1, 'Error validating client secret.');
      if (error === 'invalid_grant') {
        const subcode = /redirect_uri/.test(description) ? 36008 : /used/.test(description) ? 36009 : 36007;
        return graphError(400, 100, `Error validating verification code. ${description}`, { subcode });
      }
      return graphError(400, 100, `Missing or invalid parameter: ${description}`);
    },
  });
  const fake: FacebookFake = {
    id: 'facebook',
    server,
    oauth,
    store: new Map(),
    pages: [
      { id: '104857392017465', name: 'Sandbox Analytics Page', category: 'Business', tasks: ['ANALYZE'] },
      { id: '104857392017466', name: 'Sandbox Brand Page', category: 'Brand', tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] },
      { id: '104857392017467', name: 'Sandbox Second Brand', category: 'Brand', tasks: ['ANALYZE', 'CREATE_CONTENT'] },
    ],
    accountsPageSize: 25,
    usage: { app: 3, page: 2, regainMinutes: 0 },
    pageTokens: new Map(),
    env: () => ({
      INTEGRATION_FACEBOOK_API_URL: server.url,
      INTEGRATION_FACEBOOK_AUTH_URL: server.url,
      INTEGRATION_FACEBOOK_CLIENT_ID: FAKE_CLIENT.id,
      INTEGRATION_FACEBOOK_CLIENT_SECRET: FAKE_CLIENT.secret,
    }),
  };

  const usageHeaders = (pageId?: string): Record<string, string> => {
    const pct = (n: number) => ({ call_count: n, total_cputime: Math.floor(n / 4), total_time: Math.floor(n / 2) });
    const headers: Record<string, string> = { 'x-app-usage': JSON.stringify(pct(fake.usage.app)) };
    if (pageId) {
      headers['x-page-usage'] = JSON.stringify(pct(fake.usage.page));
      headers['x-business-use-case-usage'] = JSON.stringify({
        [pageId]: [{ type: 'pages', ...pct(fake.usage.page), estimated_time_to_regain_access: fake.usage.regainMinutes }],
      });
    }
    return headers;
  };
  const withUsage = (reply: FakeReply, pageId?: string): FakeReply => ({ ...reply, headers: { ...usageHeaders(pageId), ...reply.headers } });
  const scopes = (scope: string) => new Set(scope.split(/[ ,]+/).filter(Boolean));
  /** At 100 % of the app's limits every call is refused with code 4. */
  const appThrottled = (): FakeReply | undefined =>
    fake.usage.app >= 100 ? withUsage(graphError(403, 4, '(#4) Application request limit reached', { transient: true })) : undefined;

  /** The token of the request (header, or the access_token parameter Graph also takes). */
  function token(request: RecordedRequest): string | undefined {
    return /^(?:Bearer|OAuth) (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? request.query.get('access_token') ?? undefined;
  }

  /** A valid user token: its scopes; or Graph's code 190. */
  function user(request: RecordedRequest): { ok: true; scope: Set<string> } | { ok: false; reply: FakeReply } {
    const value = token(request);
    // FakeOAuth checks the bearer header; a token passed as a parameter is checked the same way.
    const auth = oauth.bearer(value ? { ...request, headers: { ...request.headers, authorization: `Bearer ${value}` } } : request);
    if (!auth.ok) {
      return { ok: false, reply: server.tokensExpired ? auth.reply : graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token') };
    }
    return { ok: true, scope: scopes(auth.scope) };
  }

  const pageOfToken = (request: RecordedRequest) => {
    const value = token(request);
    return value && !server.tokensExpired ? fake.pageTokens.get(value) : undefined;
  };

  server.route('GET', `${V}/me`, (request) => {
    const throttled = appThrottled();
    if (throttled) return throttled;
    const pageId = pageOfToken(request);
    const page = pageId ? fake.pages.find((p) => p.id === pageId) : undefined;
    let subject: { id: string; name: string };
    if (page) subject = page;
    else {
      const auth = user(request);
      if (!auth.ok) return auth.reply;
      subject = PERSON;
    }
    const fields = (request.query.get('fields') ?? 'id,name').split(',');
    const body = Object.fromEntries(fields.filter((f) => f === 'id' || f === 'name').map((f) => [f, subject[f]]));
    return withUsage({ status: 200, body: { id: subject.id, ...body } });
  });

  server.route('GET', `${V}/me/accounts`, (request) => {
    const throttled = appThrottled();
    if (throttled) return throttled;
    const auth = user(request);
    if (!auth.ok) return auth.reply;
    if (!auth.scope.has('pages_show_list')) return withUsage({ status: 200, body: { data: [] } }); // Facebook lists nothing without the permission
    const limit = Math.min(Number(request.query.get('limit') ?? fake.accountsPageSize) || fake.accountsPageSize, 100);
    const after = request.query.get('after');
    const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) + 1 : 0;
    if (!Number.isInteger(start) || start < 0) return graphError(400, 100, '(#100) The after parameter is not a valid cursor');
    const slice = fake.pages.slice(start, start + limit);
    const wanted = new Set((request.query.get('fields') ?? 'access_token,category,category_list,name,id,tasks').split(','));
    const data = slice.map((page) => {
      const pageToken = `facebook-page-${randomBytes(18).toString('base64url')}`;
      fake.pageTokens.set(pageToken, page.id);
      const all: Record<string, unknown> = { access_token: pageToken, category: page.category, category_list: [{ id: '2200', name: page.category }], name: page.name, id: page.id, tasks: page.tasks };
      return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key) || key === 'id'));
    });
    const cursor = (index: number) => Buffer.from(String(index)).toString('base64url');
    const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + Math.max(0, slice.length - 1)) } };
    if (start + slice.length < fake.pages.length) {
      const next = new URL(`${server.url}${V}/me/accounts`);
      for (const [key, value] of request.query) if (key !== 'after') next.searchParams.set(key, value);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', cursor(start + slice.length - 1));
      paging.next = next.toString();
    }
    return withUsage({ status: 200, body: { data, paging } });
  });

  server.route('POST', `${V}/:pageId/feed`, (request, params) => {
    const throttled = appThrottled();
    if (throttled) return throttled;
    const pageId = params.pageId ?? '';
    const page = fake.pages.find((p) => p.id === pageId);
    if (!page) return graphError(400, 100, `(#100) Unsupported post request. Object with ID '${pageId}' does not exist`, { subcode: 33 });
    const tokenPage = pageOfToken(request);
    if (tokenPage === undefined) {
      const auth = user(request);
      if (!auth.ok) return auth.reply;
      // A user token, not the Page's: what Facebook answers.
      return withUsage(graphError(403, 200, '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission'));
    }
    if (tokenPage !== pageId) return withUsage(graphError(403, 200, '(#200) The Page token does not belong to this Page'), tokenPage);
    if (!page.tasks.includes('CREATE_CONTENT')) return withUsage(graphError(403, 200, '(#200) The user does not have permission to create content on this Page'), pageId);
    if (fake.usage.page >= 100) {
      return withUsage(graphError(400, 32, 'Page request limit reached', { transient: true }), pageId);
    }
    const form = (request.body ?? {}) as Record<string, unknown>;
    const message = typeof form.message === 'string' ? form.message : undefined;
    const link = typeof form.link === 'string' ? form.link : undefined;
    if (!message && !link) return withUsage(graphError(400, 100, '(#100) Missing message or attachment'), pageId);
    if (message && [...message].length > 63_206) return withUsage(graphError(400, 100, '(#100) The message is too long'), pageId);
    if (link !== undefined && !/^https?:\/\/[^\s]+$/.test(link)) return withUsage(graphError(400, 100, '(#100) The parameter link is invalid'), pageId);
    const posts = kept<FacebookPost>(fake, 'posts');
    if (message && posts.some((p) => !p.deleted && p.pageId === pageId && p.message === message && p.link === link)) {
      return withUsage(graphError(400, 506, 'Duplicate status message'), pageId);
    }
    const id = `${pageId}_${String(122_100_000_000_000_000n + BigInt(randomInt(1, 2 ** 47)))}`;
    keep<FacebookPost>(fake, 'posts', { id, pageId, message, link, createdAt: new Date(), deleted: false });
    return withUsage({ status: 200, body: { id } }, pageId);
  });

  server.route('DELETE', `${V}/:postId`, (request, params) => {
    const throttled = appThrottled();
    if (throttled) return throttled;
    const postId = params.postId ?? '';
    const post = kept<FacebookPost>(fake, 'posts').find((p) => p.id === postId && !p.deleted);
    const tokenPage = pageOfToken(request);
    if (tokenPage === undefined) {
      const auth = user(request);
      if (!auth.ok) return auth.reply;
    }
    if (!post) {
      return withUsage(graphError(400, 100, `Unsupported delete request. Object with ID '${postId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 }));
    }
    if (tokenPage !== post.pageId) return withUsage(graphError(403, 200, '(#200) Permissions error'), post.pageId);
    post.deleted = true;
    return withUsage({ status: 200, body: { success: true } }, post.pageId);
  });

  return fake;
}
