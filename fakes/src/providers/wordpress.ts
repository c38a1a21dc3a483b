/**
 * A fake WordPress site speaking the REST API (wp/v2 under /wp-json): the current user, posts (create, update,
 * schedule, trash or delete, list with X-WP-Total / X-WP-TotalPages) and media (raw-body uploads, alt text), and the
 * uploaded files themselves under /wp-content/uploads. It checks what core checks: HTTP Basic with a user name and
 * an application password (spaces ignored, as core does), capabilities (a contributor may not publish or upload),
 * status values, `date_gmt` formats and core's 'future' rule (a 'future' post dated less than a minute ahead is
 * published at once; a 'publish' post dated ahead is scheduled), featured media ids, page bounds, and the upload's
 * Content-Type and Content-Disposition. Errors are WP_Error JSON `{ code, message, data: { status } }`; a host's 429
 * or 502/503 is an HTML page, as hosts answer.
 */
import { keep, kept, type FakeProvider } from '../fake-provider';
import { FakeServer, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';

/** The sandbox site's users: an editor (may publish and upload) and a contributor (may only submit for review). */
export const WORDPRESS_FAKE_USERS = [
  { id: 1, username: 'editor', name: 'Sandbox Editor', email: 'editor@sandbox.example', roles: ['editor'], applicationPassword: 'abcd EFGH 1234 ijkl MNOP 5678' },
  { id: 2, username: 'contributor', name: 'Sandbox Contributor', email: 'contributor@sandbox.example', roles: ['contributor'], applicationPassword: 'zyxw VUTS 9876 rqpo NMLK 5432' },
] as const;
type FakeUser = (typeof WORDPRESS_FAKE_USERS)[number];

const NAMESPACE = '/wp-json/wp/v2';
const STATUSES = ['publish', 'future', 'draft', 'pending', 'private'];
/** What core's default allowed mime types accept (a subset), by type, with the extensions each allows. */
const MIME_TYPES: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'video/mp4': ['mp4', 'm4v'],
};
/** rest_parse_date's accepted forms: RFC 3339 with or without a zone, 'T' or space. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

export interface FakeWordPressPost {
  id: number;
  author: number;
  status: string;
  /** GMT, 'YYYY-MM-DDTHH:MM:SS'. */
  date_gmt: string;
  modified_gmt: string;
  slug: string;
  title: string;
  content: string;
  excerpt: string;
  featured_media: number;
}

export interface FakeWordPressMedia {
  id: number;
  author: number;
  date_gmt: string;
  slug: string;
  filename: string;
  mime_type: string;
  alt_text: string;
  caption: string;
  title: string;
  /** Path of the file on the site (/wp-content/uploads/YYYY/MM/name). */
  path: string;
  bytes: Buffer;
}

/** WordPress's error answer (a WP_Error as JSON). */
export function wordpressError(status: number, code: string, message: string, data: Record<string, unknown> = {}): FakeReply {
  return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { code, message, data: { status, ...data } } };
}

function invalidParams(params: Record<string, string>): FakeReply {
  return wordpressError(400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params });
}

function errorShape(kind: FaultKind, status: number): FakeReply {
  if (kind === 'expired_token') return wordpressError(401, 'incorrect_password', 'The provided password is an invalid application password.');
  // Core does not limit rates: a host, a CDN or a security plugin does, with a page of its own.
  if (kind === 'rate_limit') return { status, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '<html><body><h1>429 Too Many Requests</h1></body></html>' };
  if (kind === 'invalid') return invalidParams({ title: 'title is not of type object.' });
  if (status === 500) {
    return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { code: 'internal_server_error', message: '<p>There has been a critical error on this website.</p>', data: { status: 500 }, additional_errors: [] } };
  }
  return { status, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: `<html><body><h1>${status} Service Unavailable</h1></body></html>` };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const gmtNow = (at = Date.now()) => new Date(at).toISOString().slice(0, 19);

/** `sanitize_title`, roughly: lower case, accents dropped, anything but letters, digits, '-' and '_' turned into '-'. */
function sanitizeTitle(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^a-z0-9_\s-]/g, '')
    .trim()
    .replace(/[\s-]+/g, '-');
}

/** `rest_parse_date` + `rest_get_date_with_gmt`: the GMT date of a value, or undefined when it is not a date. */
function parseDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE.exec(value);
  if (!match) return undefined;
  // Without a zone the value is GMT (date_gmt) or the site's time (date; the sandbox site's time zone is UTC).
  const zone = match[8] ?? 'Z';
  const parsed = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return Number.isNaN(parsed) ? undefined : gmtNow(parsed);
}

/** A rendered field from a string or `{ raw }`, as the schema takes it. */
function rawOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.raw === 'string') return value.raw;
  return undefined;
}

/** Only the fields `_fields` names (top-level ones; core also takes dotted paths), or everything. */
function withFields(request: RecordedRequest, item: Record<string, unknown>): Record<string, unknown> {
  const fields = request.query.get('_fields');
  if (!fields) return item;
  const wanted = new Set(fields.split(',').map((f) => f.trim().split('.')[0]));
  return Object.fromEntries(Object.entries(item).filter(([key]) => wanted.has(key)));
}

export function wordpressFake(): FakeProvider {
  const server = new FakeServer('wordpress', errorShape);
  const store = new Map<string, unknown[]>();
  const [editor] = WORDPRESS_FAKE_USERS;
  const provider: FakeProvider = {
    id: 'wordpress',
    server,
    store,
    // The site's URL is the fake's: known once it is started.
    env: () => ({ INTEGRATION_WORDPRESS_API_URL: server.url }),
    get credentials() {
      return { username: editor.username, secret: editor.applicationPassword, siteUrl: server.url };
    },
  };
  let nextId = 10;

  const posts = () => kept<FakeWordPressPost>(provider, 'posts');
  const media = () => kept<FakeWordPressMedia>(provider, 'media');
  const site = () => server.url;

  /**
   * Who the request is: a user (valid Basic credentials), nobody (no credentials), or core's refusal of wrong
   * credentials, which answers every request, even a public one.
   */
  function authenticate(request: RecordedRequest): { user?: FakeUser; reply?: FakeReply } {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return {};
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return {};
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = WORDPRESS_FAKE_USERS.find((u) => u.username === username || u.email === username);
    if (!user) return { reply: wordpressError(401, 'invalid_username', 'Unknown username. Check again or try your email address.') };
    // Core strips anything but letters and digits from an application password before checking it.
    const strip = (value: string) => value.replace(/[^a-z\d]/gi, '');
    if (server.tokensExpired || strip(password) !== strip(user.applicationPassword)) {
      return { reply: wordpressError(401, 'incorrect_password', 'The provided password is an invalid application password.') };
    }
    return { user };
  }

  const canPublish = (user: FakeUser) => (user.roles as readonly string[]).includes('editor');

  /** A route under /wp-json/wp/v2; the handler gets the authenticated user, if any. */
  function rest(method: string, path: string, handler: (request: RecordedRequest, params: Record<string, string>, user: FakeUser | undefined) => FakeReply) {
    server.route(method, `${NAMESPACE}${path}`, (request, params) => {
      const auth = authenticate(request);
      if (auth.reply) return auth.reply;
      return handler(request, params, auth.user);
    });
  }

  /** The JSON body of a write (an empty body is no parameters), or core's refusal of a body that is not JSON. */
  function jsonBody(request: RecordedRequest): { body: Record<string, unknown>; reply?: undefined } | { reply: FakeReply } {
    if (request.raw.length === 0) return { body: {} };
    if (isObject(request.body)) return { body: request.body };
    if ((request.headers['content-type'] ?? '').includes('json')) return { reply: wordpressError(400, 'rest_invalid_json', 'Invalid JSON body passed.', { json_error_code: 4, json_error_message: 'Syntax error' }) };
    return { body: Object.fromEntries(request.query) };
  }

  const link = (post: FakeWordPressPost) => (post.status === 'publish' ? `${site()}/${post.slug}/` : `${site()}/?p=${post.id}`);
  const uniqueSlug = (slug: string, id: number) => {
    let candidate = slug;
    for (let n = 2; posts().some((p) => p.id !== id && p.slug === candidate && p.status !== 'trash'); n += 1) candidate = `${slug}-${n}`;
    return candidate;
  };

  const postJson = (request: RecordedRequest, post: FakeWordPressPost, edit: boolean) =>
    withFields(request, {
      id: post.id,
      date: post.date_gmt,
      date_gmt: post.date_gmt,
      guid: { rendered: `${site()}/?p=${post.id}`, ...(edit ? { raw: `${site()}/?p=${post.id}` } : {}) },
      modified: post.modified_gmt,
      modified_gmt: post.modified_gmt,
      slug: post.slug,
      status: post.status,
      type: 'post',
      link: link(post),
      title: { rendered: post.title, ...(edit ? { raw: post.title } : {}) },
      content: { rendered: post.content ? `<p>${post.content}</p>\n` : '', protected: false, ...(edit ? { raw: post.content, block_version: 0 } : {}) },
      excerpt: { rendered: post.excerpt ? `<p>${post.excerpt}</p>\n` : '', protected: false, ...(edit ? { raw: post.excerpt } : {}) },
      author: post.author,
      featured_media: post.featured_media,
      comment_status: 'open',
      ping_status: 'open',
      sticky: false,
      template: '',
      format: 'standard',
      meta: { footnotes: '' },
      categories: [1],
      tags: [],
      _links: { self: [{ href: `${site()}${NAMESPACE}/posts/${post.id}` }] },
    });

  const mediaJson = (request: RecordedRequest, item: FakeWordPressMedia) =>
    withFields(request, {
      id: item.id,
      date: item.date_gmt,
      date_gmt: item.date_gmt,
      guid: { rendered: `${site()}${item.path}` },
      modified: item.date_gmt,
      modified_gmt: item.date_gmt,
      slug: item.slug,
      status: 'inherit',
      type: 'attachment',
      link: `${site()}/${item.slug}/`,
      title: { rendered: item.title },
      author: item.author,
      comment_status: 'open',
      ping_status: 'closed',
      template: '',
      meta: [],
      alt_text: item.alt_text,
      caption: { rendered: item.caption ? `<p>${item.caption}</p>\n` : '' },
      description: { rendered: '' },
      media_type: item.mime_type.startsWith('image/') ? 'image' : 'file',
      mime_type: item.mime_type,
      media_details: { filesize: item.bytes.length, sizes: {} },
      post: null,
      source_url: `${site()}${item.path}`,
    });

  /**
   * Applies post fields to `post` as core's create and update do, or returns core's refusal. The status rule of
   * wp_insert_post: 'future' less than a minute ahead is 'publish'; 'publish' a minute or more ahead is 'future'.
   */
  function applyPost(body: Record<string, unknown>, post: FakeWordPressPost, user: FakeUser, creating: boolean): FakeReply | undefined {
    const params: Record<string, string> = {};
    for (const name of ['title', 'content', 'excerpt'] as const) {
      if (body[name] !== undefined && rawOf(body[name]) === undefined) params[name] = `${name} is not of type object.`;
    }
    if (body.slug !== undefined && typeof body.slug !== 'string') params.slug = 'slug is not of type string.';
    if (body.status !== undefined && (typeof body.status !== 'string' || !STATUSES.includes(body.status))) params.status = `status is not one of ${STATUSES.join(', ')}.`;
    const dateGmt = body.date_gmt === undefined || body.date_gmt === null ? undefined : parseDate(body.date_gmt);
    if (body.date_gmt !== undefined && body.date_gmt !== null && dateGmt === undefined) params.date_gmt = 'Invalid date.';
    const date = body.date === undefined || body.date === null ? undefined : parseDate(body.date);
    if (body.date !== undefined && body.date !== null && date === undefined) params.date = 'Invalid date.';
    if (body.featured_media !== undefined && !Number.isInteger(body.featured_media)) params.featured_media = 'featured_media is not of type integer.';
    if (Object.keys(params).length > 0) return invalidParams(params);

    const featured = body.featured_media as number | undefined;
    if (featured !== undefined && featured !== 0 && !media().some((m) => m.id === featured)) return wordpressError(400, 'rest_invalid_featured_media', 'Invalid featured media ID.');
    const status = (body.status as string | undefined) ?? post.status;
    if (['publish', 'future', 'private'].includes(status) && status !== post.status && !canPublish(user)) {
      return wordpressError(403, 'rest_cannot_publish', 'Sorry, you are not allowed to publish posts in this post type.');
    }
    const title = rawOf(body.title) ?? post.title;
    const content = rawOf(body.content) ?? post.content;
    const excerpt = rawOf(body.excerpt) ?? post.excerpt;
    if (creating && !title && !content && !excerpt) return wordpressError(400, 'empty_content', 'Content, title, and excerpt are empty.');

    const when = dateGmt ?? date ?? (creating ? gmtNow() : post.date_gmt);
    const ahead = Date.parse(`${when}Z`) - Date.now();
    let finalStatus = status;
    if (status === 'future' && ahead < 60_000) finalStatus = 'publish';
    else if (status === 'publish' && ahead >= 60_000) finalStatus = 'future';

    post.title = title;
    post.content = content;
    post.excerpt = excerpt;
    post.status = finalStatus;
    post.date_gmt = when;
    post.modified_gmt = gmtNow();
    if (featured !== undefined) post.featured_media = featured;
    const slug = typeof body.slug === 'string' ? sanitizeTitle(body.slug) : post.slug || (finalStatus === 'publish' || finalStatus === 'future' ? sanitizeTitle(title) : '');
    post.slug = slug ? uniqueSlug(slug, post.id) : '';
    return undefined;
  }

  server.route('GET', '/wp-json/', () => ({
    status: 200,
    body: {
      name: 'Sandbox Blog',
      description: 'A WordPress site that is not one',
      url: site(),
      home: site(),
      gmt_offset: 0,
      timezone_string: 'UTC',
      namespaces: ['oembed/1.0', 'wp/v2'],
      authentication: { 'application-passwords': { endpoints: { authorization: `${site()}/wp-admin/authorize-application.php` } } },
      routes: {},
    },
  }));

  rest('GET', '/users/me', (request, _params, user) => {
    if (!user) return wordpressError(401, 'rest_not_logged_in', 'You are not currently logged in.');
    const context = request.query.get('context') ?? 'view';
    if (context !== 'view' && context !== 'edit' && context !== 'embed') return invalidParams({ context: 'context is not one of view, embed, edit.' });
    const view = { id: user.id, name: user.name, url: '', description: '', link: `${site()}/author/${user.username}/`, slug: user.username, avatar_urls: {}, meta: [] };
    const edit = { username: user.username, first_name: '', last_name: '', email: user.email, locale: 'en_US', nickname: user.username, roles: user.roles, registered_date: '2024-01-15T10:00:00+00:00', capabilities: {}, extra_capabilities: {} };
    return { status: 200, body: withFields(request, context === 'edit' ? { ...view, ...edit } : view) };
  });

  rest('GET', '/posts', (request, _params, user) => {
    const q = request.query;
    const page = Number(q.get('page') ?? '1');
    const perPage = Number(q.get('per_page') ?? '10');
    const params: Record<string, string> = {};
    if (!Number.isInteger(page) || page < 1) params.page = 'page must be greater than or equal to 1';
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) params.per_page = 'per_page must be between 1 (inclusive) and 100 (inclusive)';
    const statuses = (q.get('status') ?? 'publish').split(',').map((s) => s.trim());
    if (statuses.some((s) => s !== 'any' && s !== 'trash' && !STATUSES.includes(s))) params.status = `status is not one of ${[...STATUSES, 'trash', 'auto-draft', 'inherit', 'request-pending', 'request-confirmed', 'request-failed', 'request-completed', 'any'].join(', ')}.`;
    if (Object.keys(params).length > 0) return invalidParams(params);
    // Statuses other than 'publish' are for users who may edit posts.
    if (statuses.some((s) => s !== 'publish') && !user) return wordpressError(401, 'rest_forbidden_status', 'Status is forbidden.');
    const wanted = (post: FakeWordPressPost) => (statuses.includes('any') ? post.status !== 'trash' : statuses.includes(post.status));
    const visible = posts()
      .filter(wanted)
      .sort((a, b) => (q.get('order') === 'asc' ? 1 : -1) * (a.date_gmt.localeCompare(b.date_gmt) || a.id - b.id));
    const total = visible.length;
    const totalPages = Math.ceil(total / perPage);
    if (page > 1 && page > totalPages) return wordpressError(400, 'rest_post_invalid_page_number', 'The page number requested is larger than the number of pages available.');
    const pageUrl = (n: number) => {
      const url = new URL(`${site()}${NAMESPACE}/posts`);
      for (const [key, value] of q) url.searchParams.set(key, value);
      url.searchParams.set('page', String(n));
      return url.toString();
    };
    const links = [page > 1 ? `<${pageUrl(page - 1)}>; rel="prev"` : '', page < totalPages ? `<${pageUrl(page + 1)}>; rel="next"` : ''].filter(Boolean);
    return {
      status: 200,
      headers: { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages), ...(links.length ? { link: links.join(', ') } : {}) },
      body: visible.slice((page - 1) * perPage, page * perPage).map((post) => postJson(request, post, q.get('context') === 'edit')),
    };
  });

  rest('GET', '/posts/:id', (request, { id }, user) => {
    const post = posts().find((p) => String(p.id) === id);
    if (!post || (post.status !== 'publish' && !user)) return wordpressError(404, 'rest_post_invalid_id', 'Invalid post ID.');
    return { status: 200, body: postJson(request, post, Boolean(user) && request.query.get('context') === 'edit') };
  });

  rest('POST', '/posts', (request, _params, user) => {
    if (!user) return wordpressError(401, 'rest_cannot_create', 'Sorry, you are not allowed to create posts as this user.');
    const parsed = jsonBody(request);
    if (parsed.reply) return parsed.reply;
    if (parsed.body.id !== undefined) return wordpressError(400, 'rest_post_exists', 'Cannot create existing post.');
    const post: FakeWordPressPost = { id: nextId, author: user.id, status: 'draft', date_gmt: gmtNow(), modified_gmt: gmtNow(), slug: '', title: '', content: '', excerpt: '', featured_media: 0 };
    const refused = applyPost(parsed.body, post, user, true);
    if (refused) return refused;
    nextId += 1;
    keep(provider, 'posts', post);
    return { status: 201, headers: { location: `${site()}${NAMESPACE}/posts/${post.id}` }, body: postJson(request, post, true) };
  });

  const updatePost = (request: RecordedRequest, { id }: Record<string, string>, user: FakeUser | undefined): FakeReply => {
    const post = posts().find((p) => String(p.id) === id);
    if (!post) return wordpressError(404, 'rest_post_invalid_id', 'Invalid post ID.');
    if (!user) return wordpressError(401, 'rest_cannot_edit', 'Sorry, you are not allowed to edit this post.');
    if (post.author !== user.id && !canPublish(user)) return wordpressError(403, 'rest_cannot_edit', 'Sorry, you are not allowed to edit this post.');
    const parsed = jsonBody(request);
    if (parsed.reply) return parsed.reply;
    const draft = { ...post };
    const refused = applyPost(parsed.body, draft, user, false);
    if (refused) return refused;
    Object.assign(post, draft);
    return { status: 200, body: postJson(request, post, true) };
  };
  // Core registers updates on POST, PUT and PATCH alike (WP_REST_Server::EDITABLE).
  for (const method of ['POST', 'PUT', 'PATCH']) rest(method, '/posts/:id', updatePost);

  rest('DELETE', '/posts/:id', (request, { id }, user) => {
    const post = posts().find((p) => String(p.id) === id);
    if (!post) return wordpressError(404, 'rest_post_invalid_id', 'Invalid post ID.');
    if (!user) return wordpressError(401, 'rest_cannot_delete', 'Sorry, you are not allowed to delete this post.');
    if (post.author !== user.id && !canPublish(user)) return wordpressError(403, 'rest_cannot_delete', 'Sorry, you are not allowed to delete this post.');
    const raw = request.query.get('force') ?? 'false';
    if (!['true', 'false', '1', '0', ''].includes(raw)) return invalidParams({ force: 'force is not of type boolean.' });
    const force = raw === 'true' || raw === '1';
    if (force) {
      const previous = postJson(request, post, true);
      const list = posts();
      list.splice(list.indexOf(post), 1);
      keep(provider, 'deleted', { id: post.id, at: new Date() });
      return { status: 200, body: { deleted: true, previous } };
    }
    if (post.status === 'trash') return wordpressError(410, 'rest_already_trashed', 'The post has already been trashed.');
    post.status = 'trash';
    post.modified_gmt = gmtNow();
    return { status: 200, body: postJson(request, post, true) };
  });

  rest('POST', '/media', (request, _params, user) => {
    if (!user) return wordpressError(401, 'rest_cannot_create', 'Sorry, you are not allowed to upload media as this user.');
    if (!canPublish(user)) return wordpressError(403, 'rest_cannot_create', 'Sorry, you are not allowed to upload media on this site.');
    if (request.raw.length === 0) return wordpressError(400, 'rest_upload_no_data', 'No data supplied.');
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!type) return wordpressError(400, 'rest_upload_no_content_type', 'No Content-Type supplied.');
    const disposition = request.headers['content-disposition'];
    if (!disposition) return wordpressError(400, 'rest_upload_no_content_disposition', 'No Content-Disposition supplied.');
    // As core's get_filename_from_disposition: split on ';' then '=', unquote; `filename*` is not read.
    const attributes = Object.fromEntries(
      disposition
        .split(';')
        .slice(1)
        .filter((part) => part.includes('='))
        .map((part) => [part.slice(0, part.indexOf('=')).trim().toLowerCase(), part.slice(part.indexOf('=') + 1).trim()]),
    ) as Record<string, string | undefined>;
    const filename = (attributes.filename ?? '').replace(/^"(.*)"$/, '$1').trim();
    if (!filename) {
      return wordpressError(400, 'rest_upload_invalid_disposition', 'Invalid Content-Disposition supplied. Content-Disposition needs to be formatted as `attachment; filename="image.png"` or similar.');
    }
    const extension = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1).toLowerCase() : '';
    // Core answers a refused file type from wp_handle_sideload with HTTP 500.
    if (!MIME_TYPES[type]?.includes(extension)) return wordpressError(500, 'rest_upload_sideload_error', 'Sorry, you are not allowed to upload this file type.');
    const now = new Date();
    const name = filename.replace(/[^A-Za-z0-9._-]/g, '-');
    const item = keep<FakeWordPressMedia>(provider, 'media', {
      id: nextId++,
      author: user.id,
      date_gmt: gmtNow(),
      slug: sanitizeTitle(name.replace(/\.[^.]*$/, '')),
      filename: name,
      mime_type: type,
      alt_text: request.query.get('alt_text') ?? '',
      caption: '',
      title: name.replace(/\.[^.]*$/, ''),
      path: `/wp-content/uploads/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${name}`,
      bytes: Buffer.from(request.raw),
    });
    return { status: 201, headers: { location: `${site()}${NAMESPACE}/media/${item.id}` }, body: mediaJson(request, item) };
  });

  const updateMedia = (request: RecordedRequest, { id }: Record<string, string>, user: FakeUser | undefined): FakeReply => {
    const item = media().find((m) => String(m.id) === id);
    if (!item) return wordpressError(404, 'rest_post_invalid_id', 'Invalid post ID.');
    if (!user) return wordpressError(401, 'rest_cannot_edit', 'Sorry, you are not allowed to edit this post.');
    const parsed = jsonBody(request);
    if (parsed.reply) return parsed.reply;
    const { alt_text: alt, caption, title } = parsed.body;
    const params: Record<string, string> = {};
    if (alt !== undefined && typeof alt !== 'string') params.alt_text = 'alt_text is not of type string.';
    if (caption !== undefined && rawOf(caption) === undefined) params.caption = 'caption is not of type object.';
    if (title !== undefined && rawOf(title) === undefined) params.title = 'title is not of type object.';
    if (Object.keys(params).length > 0) return invalidParams(params);
    if (typeof alt === 'string') item.alt_text = alt.replace(/<[^>]*>/g, '').trim();
    if (caption !== undefined) item.caption = rawOf(caption) ?? '';
    if (title !== undefined) item.title = rawOf(title) ?? '';
    return { status: 200, body: mediaJson(request, item) };
  };
  for (const method of ['POST', 'PUT', 'PATCH']) rest(method, '/media/:id', updateMedia);

  rest('GET', '/media/:id', (request, { id }) => {
    const item = media().find((m) => String(m.id) === id);
    return item ? { status: 200, body: mediaJson(request, item) } : wordpressError(404, 'rest_post_invalid_id', 'Invalid post ID.');
  });

  // The uploaded files, where source_url points.
  server.route('GET', '/wp-content/uploads/:year/:month/:file', (request) => {
    const item = media().find((m) => m.path === request.path);
    return item ? { status: 200, headers: { 'content-type': item.mime_type }, body: item.bytes } : { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' };
  });

  return provider;
}
