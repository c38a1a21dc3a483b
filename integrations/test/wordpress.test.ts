/**
 * The WordPress adapter against the fake WordPress site (a real HTTP server on loopback): the requests it sends
 * (paths under /wp-json/wp/v2, Basic auth with the application password, payloads, raw media uploads), page-number
 * pagination read from X-WP-TotalPages, and each WP_Error (and a host's bare pages) mapped to our kinds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { wordpressFake, type FakeProvider } from '@umt/fakes';
import { releaseBreakers } from '@umt/infra';
import { adapterFor, PROVIDERS, ProviderError, providerClient, readIntegrationConfig, type Credentials, type ProviderSettings } from '@umt/integrations';
import { failure } from './support';

const wordpress = PROVIDERS.wordpress;
const SERVICE = 'test-wordpress';
let fake: FakeProvider;
let settings: ProviderSettings;
let credentials: Credentials & { kind: 'api_key' };
let accounts = 0;
/** A fresh account key per use: rate limits are kept per account, and no test inherits another's. */
const account = () => `wordpress-account-${++accounts}`;
const adapter = (creds: Credentials = credentials) => adapterFor(wordpress, settings, creds, { service: SERVICE, accountKey: account() });
const API = '/wp-json/wp/v2';

interface StoredPost {
  id: number;
  status: string;
  title: string;
  content: string;
  excerpt: string;
  slug: string;
  date_gmt: string;
  featured_media: number;
}

interface StoredMedia {
  id: number;
  mime_type: string;
  filename: string;
  alt_text: string;
  bytes: Buffer;
}

const storedPost = (id: string) => (fake.store.get('posts') as StoredPost[]).find((p) => String(p.id) === id);

/** The ProviderError a call ends with (fails the test when it succeeds or throws something else). */

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

beforeAll(async () => {
  fake = wordpressFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.wordpress;
  const given = fake.credentials ?? {};
  credentials = { kind: 'api_key', username: given.username, secret: given.secret ?? '', siteUrl: given.siteUrl };
});

afterEach(() => {
  fake.server.reset();
  fake.server.clearRequests();
});

afterAll(async () => {
  // The breaker's timers would outlive the file.
  releaseBreakers(SERVICE);
  await fake.server.stop();
});

describe('site and identity', () => {
  it('reaches the connection’s own site under /wp-json/wp/v2, as typed by a person', () => {
    expect(wordpress.apiBaseUrl?.(settings, credentials)).toBe(`${fake.server.url}${API}`);
    expect(wordpress.apiBaseUrl?.(settings, { ...credentials, siteUrl: 'https://blog.example.com/news/wp-json/' })).toBe(`https://blog.example.com/news${API}`);
    // A sandbox connection reaches the sandbox site whatever it was given.
    expect(wordpress.apiBaseUrl?.({ ...settings, sandbox: true }, { ...credentials, siteUrl: 'https://blog.example.com' })).toBe(`${fake.server.url}${API}`);
  });

  it('refuses to send an application password in clear text to another machine', () => {
    for (const siteUrl of ['http://blog.example.com', 'ftp://blog.example.com', 'https://user:pw@blog.example.com', 'not a url']) {
      const error = thrownBy(() => wordpress.apiBaseUrl?.(settings, { ...credentials, siteUrl }));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('PERMANENT');
    }
  });

  it('identifies the user with GET /users/me?context=edit and Basic user:application-password', async () => {
    const http = providerClient(wordpress, settings, credentials, { service: SERVICE, accountKey: account() });
    const identity = await wordpress.identify(http);
    const host = new URL(fake.server.url).host;
    expect(identity).toEqual({ id: `${host}#1`, name: `Sandbox Editor (${host})`, url: fake.server.url });
    const [request] = fake.server.received(`${API}/users/me`, 'GET');
    expect(request?.query.get('context')).toBe('edit');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`editor:${credentials.secret}`).toString('base64')}`);
  });
});

describe('posts', () => {
  it('creates a draft with title, content, excerpt and slug', async () => {
    const post = await adapter().createPost({ title: 'Hello world', content: '<p>First</p>', excerpt: 'First post', slug: 'Hello World!', status: 'draft' });
    expect(post).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'draft', url: `${fake.server.url}/?p=${post.id}`, publishAt: undefined });
    const [request] = fake.server.received(`${API}/posts`, 'POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({ title: 'Hello world', content: '<p>First</p>', excerpt: 'First post', slug: 'Hello World!', status: 'draft' });
    expect(storedPost(post.id)).toMatchObject({ title: 'Hello world', content: '<p>First</p>', excerpt: 'First post', slug: 'hello-world', status: 'draft' });
  });

  it('publishes with a featured image uploaded first', async () => {
    const cms = adapter();
    const image = await cms.uploadMedia({ filename: 'cover.png', contentType: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });
    const before = Date.now();
    const post = await cms.createPost({ title: 'Launch', content: 'We launched', status: 'publish', featuredMediaId: image.id });
    expect(post.status).toBe('publish');
    expect(post.url).toBe(`${fake.server.url}/launch/`);
    expect(post.publishAt?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(fake.server.received(`${API}/posts`, 'POST')[0]?.body).toMatchObject({ featured_media: Number(image.id) });
    expect(storedPost(post.id)?.featured_media).toBe(Number(image.id));
  });

  it('schedules a post with status future and date_gmt in GMT without a zone', async () => {
    const cms = adapter();
    const post = await cms.createPost({ title: 'Later', content: 'Soon', status: 'draft' });
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setUTCMilliseconds(0);
    const scheduled = await cms.schedulePost(post.id, at);
    expect(scheduled).toMatchObject({ id: post.id, status: 'future', publishAt: at });
    const [request] = fake.server.received(`${API}/posts/${post.id}`, 'POST');
    expect(request?.body).toEqual({ status: 'future', date_gmt: at.toISOString().slice(0, 19) });
    expect(request?.body).toMatchObject({ date_gmt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/) });
    expect(storedPost(post.id)).toMatchObject({ status: 'future', date_gmt: at.toISOString().slice(0, 19) });
  });

  it('refuses to schedule in the past without calling the site (WordPress would publish at once)', async () => {
    const error = await failure(adapter().schedulePost('12', new Date(Date.now() - 60_000)));
    expect(error.kind).toBe('INVALID_CONTENT');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('updates only the fields given', async () => {
    const cms = adapter();
    const post = await cms.createPost({ title: 'Draft title', content: 'Body', status: 'draft' });
    const updated = await cms.updatePost(post.id, { title: 'Better title' });
    expect(updated.id).toBe(post.id);
    expect(fake.server.received(`${API}/posts/${post.id}`, 'POST')[0]?.body).toEqual({ title: 'Better title' });
    expect(storedPost(post.id)).toMatchObject({ title: 'Better title', content: 'Body' });
  });

  it('moves to the trash, again without complaint, then deletes for good', async () => {
    const cms = adapter();
    const post = await cms.createPost({ title: 'Doomed', content: 'Bye', status: 'draft' });
    await cms.deletePost(post.id);
    expect(storedPost(post.id)?.status).toBe('trash');
    expect(fake.server.received(`${API}/posts/${post.id}`, 'DELETE')[0]?.query.get('force')).toBe('false');
    // The site answers 410 rest_already_trashed: the post is where it was asked to be.
    await cms.deletePost(post.id);
    await cms.deletePost(post.id, { force: true });
    expect(fake.server.received(`${API}/posts/${post.id}`, 'DELETE')[2]?.query.get('force')).toBe('true');
    expect(storedPost(post.id)).toBeUndefined();
    const error = await failure(cms.deletePost(post.id, { force: true }));
    expect(error).toMatchObject({ kind: 'PERMANENT', providerCode: 'rest_post_invalid_id', status: 404 });
  });

  it('pages through posts of every status with page and per_page, reading X-WP-TotalPages', async () => {
    const cms = adapter();
    for (let i = 0; i < 5; i += 1) await cms.createPost({ title: `Listed ${i}`, content: 'x', status: i % 2 ? 'publish' : 'draft' });
    const total = (fake.store.get('posts') as StoredPost[]).filter((p) => p.status !== 'trash').length;
    fake.server.clearRequests();
    const ids: string[] = [];
    const cursors: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page = await cms.listPosts(cursor, { pageSize: 2 });
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor);
    const pages = Math.ceil(total / 2);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(cursors).toEqual([...Array.from({ length: pages - 1 }, (_, i) => String(i + 2)), undefined]);
    const requests = fake.server.received(`${API}/posts`, 'GET');
    expect(requests.map((r) => r.query.get('page'))).toEqual(Array.from({ length: pages }, (_, i) => String(i + 1)));
    expect(requests.every((r) => r.query.get('per_page') === '2' && r.query.get('status') === 'any')).toBe(true);
  });
});

describe('media', () => {
  it('uploads the raw file with its type and a Content-Disposition file name, then sets the alt text', async () => {
    const data = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const media = await adapter().uploadMedia({ filename: 'Team photo "2025".jpg', contentType: 'image/jpeg', data, altText: 'The team on the roof' });
    const [upload] = fake.server.received(`${API}/media`, 'POST');
    expect(upload?.headers['content-type']).toBe('image/jpeg');
    expect(upload?.headers['content-disposition']).toBe('attachment; filename="Team-photo-2025-.jpg"');
    expect([...(upload?.raw ?? [])]).toEqual([...data]);
    const [alt] = fake.server.received(`${API}/media/${media.id}`, 'POST');
    expect(alt?.body).toEqual({ alt_text: 'The team on the roof' });
    const stored = (fake.store.get('media') as StoredMedia[]).find((m) => String(m.id) === media.id);
    expect(stored).toMatchObject({ mime_type: 'image/jpeg', alt_text: 'The team on the roof' });
    // The URL WordPress gives is where the file is served.
    expect(media.url).toMatch(new RegExp(`^${fake.server.url}/wp-content/uploads/\\d{4}/\\d{2}/`));
    const served = await fetch(media.url);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.from(data));
  });

  it('maps a refused file type (core’s HTTP 500 rest_upload_sideload_error) to INVALID_CONTENT, not an outage', async () => {
    const error = await failure(adapter().uploadMedia({ filename: 'tool.exe', contentType: 'application/x-msdownload', data: new Uint8Array([0x4d, 0x5a]) }));
    expect(error).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'rest_upload_sideload_error', status: 500 });
  });
});

describe('failures', () => {
  it('maps a wrong application password and an unknown user to AUTH_EXPIRED', async () => {
    const wrong = await failure(adapter({ ...credentials, secret: 'aaaa bbbb cccc dddd eeee ffff' }).listPosts());
    expect(wrong).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'incorrect_password', status: 401 });
    expect(wrong.message).not.toContain('aaaa');
    const unknown = await failure(adapter({ ...credentials, username: 'nobody' }).listPosts());
    expect(unknown).toMatchObject({ kind: 'AUTH_EXPIRED', providerCode: 'invalid_username' });
  });

  it('maps a revoked application password to AUTH_EXPIRED', async () => {
    fake.server.fault({ kind: 'expired_token' });
    const error = await failure(adapter().createPost({ title: 't', content: 'c', status: 'draft' }));
    expect(error.kind).toBe('AUTH_EXPIRED');
  });

  it('maps a missing capability (403 rest_cannot_publish) to PERMANENT', async () => {
    const contributor = { ...credentials, username: 'contributor', secret: 'zyxw VUTS 9876 rqpo NMLK 5432' };
    const error = await failure(adapter(contributor).createPost({ title: 'Mine', content: 'c', status: 'publish' }));
    expect(error).toMatchObject({ kind: 'PERMANENT', providerCode: 'rest_cannot_publish', status: 403 });
    // A draft is within a contributor's rights.
    await expect(adapter(contributor).createPost({ title: 'Mine', content: 'c', status: 'draft' })).resolves.toMatchObject({ status: 'draft' });
  });

  it('maps an unknown post (404 rest_post_invalid_id) to PERMANENT', async () => {
    const error = await failure(adapter().updatePost('999999', { title: 'x' }));
    expect(error).toMatchObject({ kind: 'PERMANENT', providerCode: 'rest_post_invalid_id' });
  });

  it('maps rest_invalid_param and an unknown featured image to INVALID_CONTENT', async () => {
    fake.server.fault({ kind: 'invalid', times: 1 });
    expect(await failure(adapter().createPost({ title: 't', content: 'c', status: 'draft' }))).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'rest_invalid_param' });
    const error = await failure(adapter().createPost({ title: 't', content: 'c', status: 'draft', featuredMediaId: '424242' }));
    expect(error).toMatchObject({ kind: 'INVALID_CONTENT', providerCode: 'rest_invalid_featured_media', status: 400 });
  });

  it('maps a critical error (500) and a host’s 503 page to OUTAGE', async () => {
    fake.server.fault({ kind: 'fail', status: 500, times: 1 });
    const critical = await failure(adapter().listPosts());
    expect(critical).toMatchObject({ kind: 'OUTAGE', providerCode: 'internal_server_error' });
    expect(critical.message).toContain('There has been a critical error on this website.');
    expect(critical.message).not.toContain('<p>');
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    expect(await failure(adapter().listPosts())).toMatchObject({ kind: 'OUTAGE', status: 503 });
  });

  it('maps a host’s 429 to RATE_LIMITED with Retry-After, then refuses calls for that account without reaching the site', async () => {
    const cms = adapter();
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
    const error = await failure(cms.listPosts());
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', retryAfterSeconds: 30, status: 429 });
    const received = fake.server.requests.length;
    const refused = await failure(cms.createPost({ title: 't', content: 'c', status: 'draft' }));
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(25);
    expect(fake.server.requests).toHaveLength(received);
  });
});
