/**
 * A fake LinkedIn: the OAuth 2.0 endpoints of www.linkedin.com (client id and secret in the form, no PKCE for web
 * apps), OpenID Connect userinfo, and the versioned Posts API (`/rest/posts`), which insists, as LinkedIn does, on
 * `LinkedIn-Version` (YYYYMM) and `X-Restli-Protocol-Version: 2.0.0`, on the author being the token's member, and on
 * the post's fields. Errors are LinkedIn's `{ status, serviceErrorCode, code, message }`.
 *
 * Stricter than LinkedIn in one way: commentary is "little text", where `\ | { } @ [ ] ( ) < > # * _ ~` are markup;
 * LinkedIn silently garbles unescaped markup (text after an unescaped "(" disappears), the fake refuses it (422), so an
 * adapter that forgets to escape is caught. It understands escapes and the hashtag template `{hashtag|\#|word}`,
 * and keeps the text as LinkedIn would show it (`text`) beside what was sent (`commentary`).
 */
import { randomInt } from 'node:crypto';
import { FAKE_CLIENT, keep, kept, type FakeProvider } from '../fake-provider';
import { FakeServer, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';
import { FakeOAuth } from '../oauth';

export interface LinkedInPost {
  urn: string;
  author: string;
  /** As sent (little text). */
  commentary: string;
  /** As LinkedIn shows it. */
  text: string;
  visibility: string;
  lifecycleState: string;
  version: string;
  createdAt: Date;
  deleted: boolean;
}

const ACCOUNT = { id: 'xK3v9QmZ2a', name: 'Sandbox Member' };
const VISIBILITIES = new Set(['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER']);
const FEED_DISTRIBUTIONS = new Set(['MAIN_FEED', 'NONE']);
const LIFECYCLE_STATES = new Set(['PUBLISHED', 'DRAFT']);
const RESERVED = new Set(['\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~']);

function linkedInError(status: number, code: string, message: string, serviceErrorCode = 100): FakeReply {
  return { status, body: { status, serviceErrorCode, code, message } };
}

function errorShape(kind: FaultKind, status: number): FakeReply {
  switch (kind) {
    case 'rate_limit':
      return linkedInError(429, 'TOO_MANY_REQUESTS', 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.', 101);
    case 'expired_token':
      return linkedInError(401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', 65601);
    case 'invalid':
      return linkedInError(status, 'UNPROCESSABLE_ENTITY', 'ERROR :: /commentary :: the value is not accepted', 100);
    default:
      return { status, body: { status, code: status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR', message: 'Internal Server Error' } };
  }
}

/** Renders little text as LinkedIn shows it, or says what markup is unescaped. */
export function renderLittleText(commentary: string): { text: string } | { error: string } {
  let text = '';
  for (let i = 0; i < commentary.length; i += 1) {
    const char = commentary[i] as string;
    if (char === '\\') {
      const next = commentary[i + 1];
      if (next === undefined || !RESERVED.has(next)) return { error: `a lone backslash at ${i}` };
      text += next;
      i += 1;
      continue;
    }
    if (char === '{') {
      const template = /^\{hashtag\|\\#\|([^{}|\\]+)\}/u.exec(commentary.slice(i));
      if (!template) return { error: `unsupported template at ${i}` };
      text += `#${template[1]}`;
      i += template[0].length - 1;
      continue;
    }
    if (RESERVED.has(char)) return { error: `unescaped reserved character ${JSON.stringify(char)} at ${i}` };
    text += char;
  }
  return { text };
}

export function linkedinFake(): FakeProvider {
  const server = new FakeServer('linkedin', errorShape);
  const oauth = new FakeOAuth(server, {
    paths: { authorize: '/oauth/v2/authorization', token: '/oauth/v2/accessToken', revoke: '/oauth/v2/revoke' },
    clientId: FAKE_CLIENT.id,
    clientSecret: FAKE_CLIENT.secret,
    requirePkce: false,
    clientAuth: 'body',
    accessTokenSeconds: 60 * 86_400, // LinkedIn's access tokens last 60 days
    account: ACCOUNT,
  });
  const fake: FakeProvider = {
    id: 'linkedin',
    server,
    oauth,
    store: new Map(),
    env: () => ({
      INTEGRATION_LINKEDIN_API_URL: server.url,
      INTEGRATION_LINKEDIN_AUTH_URL: server.url,
      INTEGRATION_LINKEDIN_CLIENT_ID: FAKE_CLIENT.id,
      INTEGRATION_LINKEDIN_CLIENT_SECRET: FAKE_CLIENT.secret,
    }),
  };
  const scopes = (scope: string) => new Set(scope.split(/[ ,]+/).filter(Boolean));

  /** The checks of every versioned call: token, then the version headers. */
  function versioned(request: RecordedRequest): { ok: true; scope: Set<string> } | { ok: false; reply: FakeReply } {
    const auth = oauth.bearer(request);
    if (!auth.ok) return auth;
    const version = request.headers['linkedin-version'];
    if (!version) return { ok: false, reply: linkedInError(400, 'VERSION_MISSING', 'A version must be present. Please specify a version by adding the LinkedIn-Version header.') };
    if (!/^20\d{4}(\.\d{2})?$/.test(version)) return { ok: false, reply: linkedInError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`) };
    if (request.headers['x-restli-protocol-version'] !== '2.0.0') {
      return { ok: false, reply: linkedInError(400, 'ILLEGAL_ARGUMENT', 'X-Restli-Protocol-Version 2.0.0 is required by this resource') };
    }
    return { ok: true, scope: scopes(auth.scope) };
  }

  server.route('GET', '/v2/userinfo', (request) => {
    const auth = oauth.bearer(request);
    if (!auth.ok) return auth.reply;
    if (!scopes(auth.scope).has('openid')) return linkedInError(403, 'ACCESS_DENIED', 'Not enough permissions to access: userinfo.GET.NO_VERSION');
    const [given, ...family] = ACCOUNT.name.split(' ');
    return {
      status: 200,
      body: { sub: ACCOUNT.id, email_verified: true, name: ACCOUNT.name, locale: { country: 'US', language: 'en' }, given_name: given, family_name: family.join(' ') },
    };
  });

  server.route('POST', '/rest/posts', (request) => {
    const check = versioned(request);
    if (!check.ok) return check.reply;
    if (!check.scope.has('w_member_social')) return linkedInError(403, 'ACCESS_DENIED', 'Not enough permissions to access: partnerApiPostsExternal.CREATE.20250501');
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return linkedInError(400, 'ILLEGAL_ARGUMENT', 'the request body must be a JSON object');
    const invalid = (field: string, why: string) => linkedInError(422, 'UNPROCESSABLE_ENTITY', `ERROR :: /${field} :: ${why}`);
    if (typeof body.author !== 'string' || !/^urn:li:(person|organization):[\w-]+$/.test(body.author)) return invalid('author', 'is not a person or organization urn');
    if (body.author !== `urn:li:person:${ACCOUNT.id}`) return linkedInError(403, 'ACCESS_DENIED', `Member is not allowed to post as ${body.author}`);
    if (typeof body.commentary !== 'string') return invalid('commentary', 'field is required');
    if (typeof body.visibility !== 'string' || !VISIBILITIES.has(body.visibility)) return invalid('visibility', 'is not a valid visibility');
    const distribution = body.distribution as { feedDistribution?: unknown } | undefined;
    if (!distribution || typeof distribution.feedDistribution !== 'string' || !FEED_DISTRIBUTIONS.has(distribution.feedDistribution)) {
      return invalid('distribution/feedDistribution', 'field is required');
    }
    if (typeof body.lifecycleState !== 'string' || !LIFECYCLE_STATES.has(body.lifecycleState)) return invalid('lifecycleState', 'is not a valid lifecycle state');
    const rendered = renderLittleText(body.commentary);
    if ('error' in rendered) return invalid('commentary', rendered.error);
    if ([...rendered.text].length > 3000) return invalid('commentary', 'length exceeds 3000 characters');
    const duplicate = kept<LinkedInPost>(fake, 'posts').find((p) => !p.deleted && p.author === body.author && p.text === rendered.text && rendered.text !== '');
    if (duplicate) return linkedInError(422, 'DUPLICATE_POST', `Content is a duplicate of ${duplicate.urn}`);
    const urn = `urn:li:share:${7_300_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 47))}`;
    keep<LinkedInPost>(fake, 'posts', {
      urn,
      author: body.author,
      commentary: body.commentary,
      text: rendered.text,
      visibility: body.visibility,
      lifecycleState: body.lifecycleState,
      version: request.headers['linkedin-version'] ?? '',
      createdAt: new Date(),
      deleted: false,
    });
    // As LinkedIn: 201 with an empty body, the urn in x-restli-id (and in Location).
    return { status: 201, headers: { 'x-restli-id': urn, location: `/rest/posts/${encodeURIComponent(urn)}` } };
  });

  server.route('DELETE', '/rest/posts/:urn', (request, params) => {
    const check = versioned(request);
    if (!check.ok) return check.reply;
    const post = kept<LinkedInPost>(fake, 'posts').find((p) => p.urn === params.urn && !p.deleted);
    if (!post) return linkedInError(404, 'NOT_FOUND', `Post ${params.urn ?? ''} does not exist`);
    if (post.author !== `urn:li:person:${ACCOUNT.id}`) return linkedInError(403, 'ACCESS_DENIED', 'Not enough permissions to delete this post');
    post.deleted = true;
    return { status: 204 };
  });

  return fake;
}
