/**
 * WordPress REST API, namespace wp/v2 (https://developer.wordpress.org/rest-api/reference/): posts (create, schedule,
 * update, trash or delete, list) and media uploads, on any self-hosted site (WordPress 5.6+).
 *
 * Authentication is an application password (Users → Profile → Application Passwords) sent with the user name as HTTP
 * Basic. Every connection names its own site, so the API's base URL comes from the credentials
 * (`<siteUrl>/wp-json/wp/v2`); the configured API URL is the site used when a connection names none (the sandbox).
 */
import { kindOfStatus, ProviderError } from '../errors';
import type { ProviderHttp, ProviderProfile, ProviderResponse } from '../http';
import type { Credentials, ProviderModule, ProviderSettings } from '../provider';
import { retryAfterSeconds } from '../rate-limits';
import type { Page } from '../email/types';
import type { CmsAdapter, CmsMedia, CmsPost, CmsPostInput } from './types';

const DISPLAY_NAME = 'WordPress';
/** The REST namespace and version, under the site's `/wp-json` (pretty permalinks; the default since 4.x installs). */
const NAMESPACE = '/wp-json/wp/v2';
/** `per_page` defaults to 10 and may go up to 100. */
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
/** A 429 from a host or a security plugin rarely says how long to wait. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;
const POST_STATUSES = ['draft', 'publish', 'future', 'pending', 'private', 'trash'] as const;
/** Fields of a post we read: `_fields` keeps the answers small (a post's rendered content can be large). */
const POST_FIELDS = 'id,status,link,date_gmt';

/** WordPress's error body: a WP_Error as JSON. */
interface WordPressError {
  code?: string;
  message?: string;
  data?: { status?: number; params?: Record<string, string> } | null;
}

interface WordPressPost {
  id: number;
  status: string;
  link?: string;
  /** GMT, ISO 8601 without a zone designator ('2025-03-01T09:30:00'); null for a draft without a date. */
  date_gmt?: string | null;
}

interface WordPressMedia {
  id: number;
  source_url: string;
}

/** Codes whose meaning the status alone does not carry (https://developer.wordpress.org/rest-api/ and core's controllers). */
const KIND_OF_CODE: Record<string, ProviderError['kind']> = {
  // The application password was revoked or mistyped, or the user is gone.
  rest_not_logged_in: 'AUTH_EXPIRED',
  incorrect_password: 'AUTH_EXPIRED',
  invalid_username: 'AUTH_EXPIRED',
  invalid_email: 'AUTH_EXPIRED',
  // What we sent was refused as such.
  rest_invalid_param: 'INVALID_CONTENT',
  rest_missing_callback_param: 'INVALID_CONTENT',
  rest_invalid_json: 'INVALID_CONTENT',
  rest_invalid_featured_media: 'INVALID_CONTENT',
  rest_post_invalid_page_number: 'INVALID_CONTENT',
  rest_upload_no_data: 'INVALID_CONTENT',
  rest_upload_no_content_disposition: 'INVALID_CONTENT',
  rest_upload_no_content_type: 'INVALID_CONTENT',
  rest_upload_file_too_big: 'INVALID_CONTENT',
  // Core answers a refused file type ("Sorry, you are not allowed to upload this file type.") with HTTP 500.
  rest_upload_sideload_error: 'INVALID_CONTENT',
  // No permission, or no such post: retrying will not help.
  rest_forbidden: 'PERMANENT',
  rest_cannot_create: 'PERMANENT',
  rest_cannot_edit: 'PERMANENT',
  rest_cannot_delete: 'PERMANENT',
  rest_cannot_publish: 'PERMANENT',
  rest_cannot_assign_term: 'PERMANENT',
  rest_post_invalid_id: 'PERMANENT',
  rest_already_trashed: 'PERMANENT',
  // 501 when the site empties no trash (EMPTY_TRASH_DAYS = 0): only `force` deletes.
  rest_trash_not_supported: 'PERMANENT',
  rest_no_route: 'PERMANENT',
};

function isWordPressError(body: unknown): body is WordPressError {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { code?: unknown }).code === 'string';
}

/** Maps WordPress's `{ code, message, data: { status } }` answers (and a host's bare 429 or 5xx pages) to our kinds. */
export function classifyWordPress(response: ProviderResponse): ProviderError {
  const status = response.status;
  const error = isWordPressError(response.body) ? response.body : undefined;
  const params = Object.values(error?.data?.params ?? {}).join('; ');
  // A message is text, but a fatal error's message is HTML ("<p>There has been a critical error ...</p>").
  const message = [error?.message?.replace(/<[^>]*>/g, '').trim(), params].filter(Boolean).join(' - ') || `answered HTTP ${status}`;
  const details = { status, providerCode: error?.code };
  // 401 whatever the code: the request was not authenticated (rest_cannot_create is 401 for a logged-out request).
  if (status === 401) return new ProviderError(DISPLAY_NAME, 'AUTH_EXPIRED', message, details);
  if (status === 429) {
    return new ProviderError(DISPLAY_NAME, 'RATE_LIMITED', message, { ...details, retryAfterSeconds: retryAfterSeconds(response.headers) ?? DEFAULT_RETRY_AFTER_SECONDS });
  }
  const byCode = error?.code ? KIND_OF_CODE[error.code] : undefined;
  return new ProviderError(DISPLAY_NAME, byCode ?? kindOfStatus(status), message, {
    ...details,
    retryAfterSeconds: status >= 500 ? retryAfterSeconds(response.headers) : undefined,
  });
}

export const wordpressProfile: ProviderProfile = {
  id: 'wordpress',
  displayName: DISPLAY_NAME,
  classify: classifyWordPress,
  // Core sends no rate-limit headers; hosts that limit answer 429, sometimes with Retry-After (read by the client).
  rateLimit: () => undefined,
  // Uploads of large images go through the site's PHP, often slowly.
  breaker: { timeoutMs: 60_000 },
};

/** The adapter, with an optional page size on listings (`per_page`) beyond the category interface. */
export interface WordPressAdapter extends CmsAdapter {
  listPosts(cursor?: string, options?: { pageSize?: number }): Promise<Page<CmsPost>>;
}

/** A date as WordPress's `date_gmt` expects it: ISO 8601 in GMT without a zone designator. */
export function wordpressDateGmt(at: Date): string {
  return at.toISOString().slice(0, 19);
}

function toPost(post: WordPressPost): CmsPost {
  const status = (POST_STATUSES as readonly string[]).includes(post.status) ? (post.status as CmsPost['status']) : 'draft';
  const date = post.date_gmt ? new Date(`${post.date_gmt}Z`) : undefined;
  return {
    id: String(post.id),
    status,
    url: post.link,
    // A draft's date is only when it was last saved: it is published at no date.
    publishAt: status === 'publish' || status === 'future' || status === 'private' ? (date && !Number.isNaN(date.getTime()) ? date : undefined) : undefined,
  };
}

function invalid(message: string): ProviderError {
  return new ProviderError(DISPLAY_NAME, 'INVALID_CONTENT', message);
}

/** WordPress ids are positive integers; ours are their decimal strings. */
function numericId(value: string, what: string): number {
  const id = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw invalid(`not a WordPress ${what} id: ${JSON.stringify(value.slice(0, 40))}`);
  return id;
}

/** The post fields WordPress takes for what we were given (absent fields are left as they are). */
function postBody(input: Partial<CmsPostInput>): Record<string, unknown> {
  return {
    title: input.title,
    content: input.content,
    excerpt: input.excerpt,
    slug: input.slug,
    status: input.status,
    featured_media: input.featuredMediaId === undefined ? undefined : numericId(input.featuredMediaId, 'media'),
  };
}

/**
 * A file name core reads from `Content-Disposition`: it splits the header on ';' and '=' and ignores `filename*`, so
 * only a plain ASCII name without quotes or separators survives; WordPress sanitizes it again anyway.
 */
function dispositionFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const safe = base.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  return safe || 'upload';
}

function wordpressAdapter(http: ProviderHttp): WordPressAdapter {
  async function savePost(id: string, fields: Record<string, unknown>): Promise<CmsPost> {
    // WordPress updates a post with POST (PUT and PATCH are aliases some hosts' firewalls refuse).
    const { body } = await http.request<WordPressPost>({ method: 'POST', path: `/posts/${numericId(id, 'post')}`, query: { _fields: POST_FIELDS }, json: fields });
    return toPost(body);
  }

  return {
    async createPost(input) {
      const { body } = await http.request<WordPressPost>({ method: 'POST', path: '/posts', query: { _fields: POST_FIELDS }, json: postBody(input) });
      return toPost(body);
    },

    async schedulePost(id, at) {
      // WordPress publishes at once a 'future' post whose date is less than a minute ahead: refuse a past time here.
      if (!(at instanceof Date) || Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) throw invalid('a post can only be scheduled for a time in the future');
      return savePost(id, { status: 'future', date_gmt: wordpressDateGmt(at) });
    },

    async updatePost(id, changes) {
      return savePost(id, postBody(changes));
    },

    async deletePost(id, options) {
      const force = options?.force ?? false;
      try {
        await http.request({ method: 'DELETE', path: `/posts/${numericId(id, 'post')}`, query: { force } });
      } catch (error) {
        // Trashing a post already in the trash leaves it where it was asked to be.
        if (!force && error instanceof ProviderError && error.providerCode === 'rest_already_trashed') return;
        throw error;
      }
    },

    async uploadMedia(file): Promise<CmsMedia> {
      if (file.data.byteLength === 0) throw invalid('the file is empty');
      const { body } = await http.request<WordPressMedia>({
        method: 'POST',
        path: '/media',
        query: { _fields: 'id,source_url' },
        headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${dispositionFilename(file.filename)}"` },
        body: file.data,
      });
      if (file.altText) {
        // The upload's body is the file itself: the alternative text is set on the attachment afterwards.
        await http.request({ method: 'POST', path: `/media/${body.id}`, query: { _fields: 'id' }, json: { alt_text: file.altText } });
      }
      return { id: String(body.id), url: body.source_url };
    },

    async listPosts(cursor, options) {
      const page = cursor === undefined || cursor === '' ? 1 : numericId(cursor, 'page');
      const perPage = Math.min(Math.max(Math.trunc(options?.pageSize ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
      let response: ProviderResponse<WordPressPost[]>;
      try {
        // status=any: drafts, scheduled and private posts too (the user may edit them), not the trash.
        response = await http.request<WordPressPost[]>({ path: '/posts', query: { page, per_page: perPage, status: 'any', orderby: 'date', order: 'desc', _fields: POST_FIELDS } });
      } catch (error) {
        // Posts deleted since the previous page can leave a cursor past the last page.
        if (page > 1 && error instanceof ProviderError && error.providerCode === 'rest_post_invalid_page_number') return { items: [] };
        throw error;
      }
      const posts = Array.isArray(response.body) ? response.body : [];
      const totalPages = Number(response.headers.get('x-wp-totalpages'));
      // A cache or proxy may drop the X-WP-* headers: then a full page suggests there is another.
      const hasNext = Number.isFinite(totalPages) && response.headers.has('x-wp-totalpages') ? page < totalPages : posts.length === perPage;
      return { items: posts.map(toPost), nextCursor: hasNext ? String(page + 1) : undefined };
    },
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `<site>/wp-json/wp/v2` for a site URL as a person types it (with or without a trailing `/wp-json/...`). */
export function wordpressApiBase(siteUrl: string): string {
  let url: URL;
  try {
    url = new URL(siteUrl.trim());
  } catch {
    throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'the site URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'the site URL must be an https:// URL');
  // The application password travels in every request: never in clear text, except to this machine (as WordPress
  // itself allows application passwords over http only in a local environment).
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'the site URL must be an https:// URL');
  if (url.username || url.password || url.search || url.hash) throw new ProviderError(DISPLAY_NAME, 'PERMANENT', 'the site URL must hold no credentials, query or fragment');
  const site = `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/wp-json(\/wp\/v2)?$/, '');
  return site + NAMESPACE;
}

function applicationPassword(credentials: Credentials): { username: string; password: string } {
  if (credentials.kind !== 'api_key' || !credentials.username) {
    throw new ProviderError(DISPLAY_NAME, 'AUTH_EXPIRED', 'WordPress is connected with a user name and an application password');
  }
  return { username: credentials.username, password: credentials.secret };
}

export const wordpress: ProviderModule<WordPressAdapter> = {
  id: 'wordpress',
  displayName: DISPLAY_NAME,
  category: 'CMS',
  channel: 'BLOG',
  // There is no one WordPress: every connection names its site. `.invalid` (RFC 2606) never resolves, so a
  // connection without a site fails instead of reaching someone else's.
  defaults: { apiUrl: 'https://wordpress.invalid' },
  profile: wordpressProfile,
  auth: {
    kind: 'api_key',
    fields: [
      { name: 'siteUrl', label: 'Site URL (https://...)' },
      { name: 'username', label: 'User name' },
      { name: 'secret', label: 'Application password' },
    ],
  },

  apiBaseUrl(settings: ProviderSettings, credentials: Credentials) {
    // A sandbox connection always reaches the sandbox site, whatever URL it was given.
    const site = settings.sandbox || credentials.kind !== 'api_key' || !credentials.siteUrl ? settings.apiUrl : credentials.siteUrl;
    return wordpressApiBase(site);
  },

  authorize(headers, credentials) {
    const { username, password } = applicationPassword(credentials);
    headers.set('authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
  },

  async identify(http) {
    const { body } = await http.request<{ id: number; name?: string; username?: string; slug?: string }>({
      path: '/users/me',
      query: { context: 'edit', _fields: 'id,name,username,slug' },
    });
    const site = http.baseUrl.endsWith(NAMESPACE) ? http.baseUrl.slice(0, -NAMESPACE.length) : http.baseUrl;
    const where = site.replace(/^https?:\/\//, '');
    const who = body.name || body.username || body.slug || String(body.id);
    // A user id is only unique on its site (user 1 is the first administrator everywhere): the site is part of the id.
    return { id: `${where}#${body.id}`, name: `${who} (${where})`, url: site };
  },

  adapter: (http) => wordpressAdapter(http),
};
