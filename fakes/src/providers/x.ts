/**
 * A fake X (API v2): OAuth 2.0 with PKCE required (authorize at /i/oauth2/authorize, token and revocation under
 * /2/oauth2 with HTTP Basic client authentication), `GET /2/users/me`, `POST /2/tweets` (text, reply) and
 * `DELETE /2/tweets/:id`, each needing the user's bearer token and its scopes. It refuses what X refuses: a text
 * longer than 280 as X counts it (URLs 23, wide characters and emoji 2), a duplicate of a live post, a reply to a
 * post that does not exist. It keeps every post with the post it replies to (`tweets`), so a thread's chain can be
 * checked, and counts calls per user and endpoint in 15-minute windows, answering with `x-rate-limit-*` headers and a
 * 429 once a window is used up (`limits`). Errors are X's problem details `{ title, detail, type, status }`.
 */
import { randomInt } from 'node:crypto';
import { FAKE_CLIENT, keep, kept, type FakeProvider } from '../fake-provider';
import { FakeServer, type FakeReply, type FaultKind } from '../fake-server';
import { FakeOAuth } from '../oauth';

export interface XTweet {
  id: string;
  text: string;
  authorId: string;
  /** The post this one replies to (a thread's previous part). */
  inReplyToId?: string;
  /** The first post of the thread. */
  conversationId: string;
  createdAt: Date;
  deleted: boolean;
}

export interface XFake extends FakeProvider {
  oauth: FakeOAuth;
  /** Calls allowed per user and endpoint in a 15-minute window (X's per-user limits; change to test exhaustion). */
  limits: { 'POST /2/tweets': number; 'DELETE /2/tweets': number; 'GET /2/users/me': number };
}

const ACCOUNT = { id: '1849302756104912896', name: 'UMT Sandbox', username: 'umt_sandbox' };
const PROBLEMS = 'https://api.twitter.com/2/problems/';
const WINDOW_MS = 15 * 60_000;

function problem(status: number, title: string, detail: string, type = 'about:blank'): FakeReply {
  return { status, body: { title, detail, type, status } };
}

function errorShape(kind: FaultKind, status: number): FakeReply {
  switch (kind) {
    case 'rate_limit':
      return problem(429, 'Too Many Requests', 'Too Many Requests');
    case 'expired_token':
      return problem(401, 'Unauthorized', 'Unauthorized');
    case 'invalid':
      return {
        status,
        body: {
          errors: [{ parameters: { text: [] }, message: 'The text field is invalid.' }],
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: `${PROBLEMS}invalid-request`,
        },
      };
    default:
      return problem(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', status === 503 ? 'Service Unavailable' : 'Internal Server Error');
  }
}

/**
 * X's weighted length, written apart from the adapter's (a shared bug would hide itself): URLs with a scheme count
 * 23, emoji graphemes 2, code points in X's light ranges 1, the rest 2.
 */
export function xLength(text: string): number {
  const light = (cp: number) => cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
  const withoutUrls = text.normalize('NFC').replace(/https?:\/\/\S+?(?=[.,:;!?'")\]]*(?:\s|$))/giu, () => '\u0000');
  let length = 0;
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(withoutUrls)) {
    if (segment === '\u0000') length += 23;
    else if (/\p{Extended_Pictographic}/u.test(segment)) length += 2;
    else for (const char of segment) length += light(char.codePointAt(0) ?? 0) ? 1 : 2;
  }
  return length;
}

export function xFake(): XFake {
  const server = new FakeServer('x', errorShape);
  const oauth = new FakeOAuth(server, {
    paths: { authorize: '/i/oauth2/authorize', token: '/2/oauth2/token', revoke: '/2/oauth2/revoke' },
    clientId: FAKE_CLIENT.id,
    clientSecret: FAKE_CLIENT.secret,
    requirePkce: true,
    clientAuth: 'basic', // a confidential client: HTTP Basic, as X documents
    accessTokenSeconds: 7200,
    account: { id: ACCOUNT.id, name: ACCOUNT.name },
  });
  const fake: XFake = {
    id: 'x',
    server,
    oauth,
    store: new Map(),
    limits: { 'POST /2/tweets': 100, 'DELETE /2/tweets': 50, 'GET /2/users/me': 75 },
    env: () => ({
      INTEGRATION_X_API_URL: server.url,
      INTEGRATION_X_AUTH_URL: server.url,
      INTEGRATION_X_CLIENT_ID: FAKE_CLIENT.id,
      INTEGRATION_X_CLIENT_SECRET: FAKE_CLIENT.secret,
    }),
  };
  const windows = new Map<string, { used: number; resetAt: number }>();

  /** Counts the call in its user's window: the rate-limit headers to send, or X's 429. */
  function limit(endpoint: keyof XFake['limits'], token: string): { headers: Record<string, string> } | { reply: FakeReply } {
    const key = `${endpoint} ${token}`;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { used: 0, resetAt: now + WINDOW_MS };
      windows.set(key, window);
    }
    const max = fake.limits[endpoint];
    const headers = {
      'x-rate-limit-limit': String(max),
      'x-rate-limit-remaining': String(Math.max(0, max - window.used - 1)),
      'x-rate-limit-reset': String(Math.ceil(window.resetAt / 1000)),
    };
    if (window.used >= max) return { reply: { ...problem(429, 'Too Many Requests', 'Too Many Requests'), headers: { ...headers, 'x-rate-limit-remaining': '0' } } };
    window.used += 1;
    return { headers };
  }

  /** The user's token with `needed` scopes, counted against `endpoint`'s limit. */
  function authorize(request: Parameters<FakeOAuth['bearer']>[0], endpoint: keyof XFake['limits'], needed: string[]): { headers: Record<string, string> } | { reply: FakeReply } {
    const auth = oauth.bearer(request);
    if (!auth.ok) return { reply: auth.reply };
    const granted = new Set(auth.scope.split(/\s+/));
    const missing = needed.filter((scope) => !granted.has(scope));
    if (missing.length) return { reply: problem(403, 'Forbidden', `Missing scopes: ${missing.join(', ')}`, `${PROBLEMS}client-forbidden`) };
    return limit(endpoint, request.headers.authorization ?? '');
  }

  server.route('GET', '/2/users/me', (request) => {
    const check = authorize(request, 'GET /2/users/me', ['tweet.read', 'users.read']);
    if ('reply' in check) return check.reply;
    return { status: 200, headers: check.headers, body: { data: { id: ACCOUNT.id, name: ACCOUNT.name, username: ACCOUNT.username } } };
  });

  server.route('POST', '/2/tweets', (request) => {
    const check = authorize(request, 'POST /2/tweets', ['tweet.read', 'tweet.write', 'users.read']);
    if ('reply' in check) return check.reply;
    const reply = (answer: FakeReply): FakeReply => ({ ...answer, headers: { ...check.headers, ...answer.headers } });
    const body = request.body as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } } | undefined;
    const invalid = (field: string, message: string) =>
      reply({
        status: 400,
        body: {
          errors: [{ parameters: { [field]: [JSON.stringify(body ?? null)] }, message }],
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: `${PROBLEMS}invalid-request`,
        },
      });
    if (!body || typeof body !== 'object' || !(request.headers['content-type'] ?? '').startsWith('application/json')) return invalid('body', 'The request body must be JSON.');
    if (typeof body.text !== 'string' || !body.text.trim()) return invalid('text', 'The `text` field is required when no media is attached.');
    if (xLength(body.text) > 280) {
      return reply(problem(403, 'Forbidden', 'Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.'));
    }
    const tweets = kept<XTweet>(fake, 'tweets');
    let parent: XTweet | undefined;
    if (body.reply !== undefined) {
      const target = body.reply?.in_reply_to_tweet_id;
      if (typeof target !== 'string' || !/^\d{1,19}$/.test(target)) return invalid('reply.in_reply_to_tweet_id', 'The `reply.in_reply_to_tweet_id` field must be a post id.');
      parent = tweets.find((t) => t.id === target && !t.deleted);
      if (!parent) return reply(problem(403, 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.'));
    }
    if (tweets.some((t) => !t.deleted && t.authorId === ACCOUNT.id && t.text === body.text)) {
      return reply(problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.'));
    }
    const id = String(1_850_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 47)));
    keep<XTweet>(fake, 'tweets', {
      id,
      text: body.text,
      authorId: ACCOUNT.id,
      inReplyToId: parent?.id,
      conversationId: parent?.conversationId ?? id,
      createdAt: new Date(),
      deleted: false,
    });
    return reply({ status: 201, body: { data: { id, text: body.text, edit_history_tweet_ids: [id] } } });
  });

  server.route('DELETE', '/2/tweets/:id', (request, params) => {
    const check = authorize(request, 'DELETE /2/tweets', ['tweet.read', 'tweet.write', 'users.read']);
    if ('reply' in check) return check.reply;
    const tweet = kept<XTweet>(fake, 'tweets').find((t) => t.id === params.id && !t.deleted);
    if (!tweet) {
      return { status: 404, headers: check.headers, body: { title: 'Not Found Error', detail: `Could not find tweet with id: [${params.id ?? ''}].`, type: `${PROBLEMS}resource-not-found`, status: 404 } };
    }
    if (tweet.authorId !== ACCOUNT.id) return { ...problem(403, 'Forbidden', 'You are not allowed to delete a Tweet that is not your own.'), headers: check.headers };
    tweet.deleted = true;
    return { status: 200, headers: check.headers, body: { data: { deleted: true } } };
  });

  return fake;
}
