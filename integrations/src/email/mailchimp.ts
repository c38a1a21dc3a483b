/**
 * Mailchimp Marketing API 3.0 (https://mailchimp.com/developer/marketing/api/): audiences ("lists"), regular
 * campaigns (create, HTML content, send) and campaign reports.
 *
 * Authentication is an API key sent as the password of HTTP Basic (any user name). The key ends with its account's
 * data center (`...-us21`), and the API lives on that data center's host (`https://us21.api.mailchimp.com/3.0`), so
 * the configured API URL is a template: `{dc}` is replaced by the key's data center. A configured URL without `{dc}`
 * (the fake, a proxy) is used as is. The version is part of every path (`/3.0/...`), not of the base URL, so the base
 * URL of a fake is its root.
 */
import { kindOfStatus, ProviderError } from '../errors';
import type { ProviderHttp, ProviderProfile, ProviderResponse } from '../http';
import type { Credentials, ProviderModule, ProviderSettings } from '../provider';
import { retryAfterSeconds } from '../rate-limits';
import type { Audience, EmailAdapter, EmailCampaign, EmailCampaignInput, EmailReport, Page } from './types';

/** The pinned API version: the prefix of every path. */
const API = '/3.0';
const DISPLAY_NAME = 'Mailchimp';
/** Mailchimp's 429 (more than 10 simultaneous connections) carries no reset header: wait this long unless told. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;
/** `count` defaults to 10 and may go up to 1000; 100 keeps answers small. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
/** A data center is letters then digits (us1, us21, eu1): anything else in a key must not reach the host name. */
const DATA_CENTER = /^[a-z]+[0-9]+$/;

/** Mailchimp's error body (RFC 7807 problem details, `application/problem+json`). */
interface MailchimpProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Field-level reasons of a 400 "Invalid Resource". */
  errors?: { field?: string; message?: string }[];
}

interface MailchimpList {
  id: string;
  name: string;
  stats?: { member_count?: number };
}

interface MailchimpCampaign {
  id: string;
  web_id?: number;
  status: string;
  archive_url?: string;
  long_archive_url?: string;
}

interface MailchimpReport {
  emails_sent?: number;
  unsubscribed?: number;
  bounces?: { hard_bounces?: number; soft_bounces?: number; syntax_errors?: number };
  opens?: { opens_total?: number; unique_opens?: number };
  clicks?: { clicks_total?: number };
}

/** The data center a key belongs to (the part after its last '-'), or undefined when the key has none. */
export function mailchimpDataCenter(apiKey: string): string | undefined {
  const dash = apiKey.lastIndexOf('-');
  const dc = dash < 0 ? '' : apiKey.slice(dash + 1).trim().toLowerCase();
  return DATA_CENTER.test(dc) ? dc : undefined;
}

function isProblem(body: unknown): body is MailchimpProblem {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** Maps Mailchimp's documented error answers (https://mailchimp.com/developer/marketing/docs/errors/) to our kinds. */
export function classifyMailchimp(response: ProviderResponse): ProviderError {
  const problem = isProblem(response.body) ? response.body : {};
  const status = response.status;
  const fields = (problem.errors ?? [])
    .map((e) => [e.field, e.message].filter(Boolean).join(': '))
    .filter(Boolean)
    .join('; ');
  const message = [problem.title, problem.detail, fields].filter(Boolean).join(' - ') || `answered HTTP ${status}`;
  const details = { status, providerCode: problem.title };
  // 401 "API Key Invalid" / "API Key Missing": revoked or wrong key (or wrong data center); the account must reconnect.
  if (status === 401) return new ProviderError(DISPLAY_NAME, 'AUTH_EXPIRED', message, details);
  if (status === 429) {
    return new ProviderError(DISPLAY_NAME, 'RATE_LIMITED', message, {
      ...details,
      retryAfterSeconds: retryAfterSeconds(response.headers) ?? DEFAULT_RETRY_AFTER_SECONDS,
    });
  }
  // 400 "Invalid Resource" (field errors), "Bad Request" ("Your Campaign is not ready to send."), "JSON Parse Exception":
  // what we sent must change. 403 (forbidden, user disabled), 404, 405: retrying will not help. 5xx: Mailchimp failed.
  if (status === 400) return new ProviderError(DISPLAY_NAME, 'INVALID_CONTENT', message, details);
  if (status >= 500) return new ProviderError(DISPLAY_NAME, 'OUTAGE', message, details);
  return new ProviderError(DISPLAY_NAME, kindOfStatus(status), message, details);
}

export const mailchimpProfile: ProviderProfile = {
  id: 'mailchimp',
  displayName: DISPLAY_NAME,
  classify: classifyMailchimp,
  // Mailchimp sends no rate-limit headers: its limit is 10 simultaneous connections, answered with a 429.
  rateLimit: () => undefined,
  // A send can take Mailchimp a few seconds to accept; calls time out after 120 s at Mailchimp itself.
  breaker: { timeoutMs: 30_000 },
};

/** The adapter, with an optional page size on listings (Mailchimp's `count`) beyond the category interface. */
export interface MailchimpAdapter extends EmailAdapter {
  listAudiences(cursor?: string, options?: { pageSize?: number }): Promise<Page<Audience>>;
}

function pageSizeOf(requested: number | undefined): number {
  if (requested === undefined || !Number.isInteger(requested) || requested < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(requested, MAX_PAGE_SIZE);
}

/** Our cursor over Mailchimp's offset pagination: the offset of the next page, in decimal. */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const offset = Number(cursor);
  if (!Number.isInteger(offset) || offset < 0) throw new ProviderError(DISPLAY_NAME, 'INVALID_CONTENT', `not a Mailchimp page cursor: ${JSON.stringify(cursor.slice(0, 40))}`);
  return offset;
}

const count = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function toCampaign(campaign: MailchimpCampaign): EmailCampaign {
  return { id: campaign.id, status: campaign.status, url: campaign.long_archive_url ?? campaign.archive_url };
}

function mailchimpAdapter(http: ProviderHttp): MailchimpAdapter {
  const segment = (value: string) => encodeURIComponent(value);
  return {
    async listAudiences(cursor, options) {
      const offset = offsetOf(cursor);
      const size = pageSizeOf(options?.pageSize);
      const { body } = await http.request<{ lists?: MailchimpList[]; total_items?: number }>({
        path: `${API}/lists`,
        // `fields` trims the answer to what we read (Mailchimp's partial response).
        query: { count: size, offset, fields: 'lists.id,lists.name,lists.stats.member_count,total_items' },
      });
      const lists = body.lists ?? [];
      const next = offset + lists.length;
      return {
        items: lists.map((list) => ({ id: list.id, name: list.name, memberCount: count(list.stats?.member_count) })),
        nextCursor: lists.length > 0 && next < count(body.total_items) ? String(next) : undefined,
      };
    },

    async createCampaign(input: EmailCampaignInput) {
      const { body } = await http.request<MailchimpCampaign>({
        method: 'POST',
        path: `${API}/campaigns`,
        json: {
          type: 'regular',
          recipients: { list_id: input.audienceId },
          settings: {
            subject_line: input.subject,
            preview_text: input.previewText,
            title: input.title,
            from_name: input.fromName,
            reply_to: input.replyTo,
          },
        },
      });
      return toCampaign(body);
    },

    async setContent(campaignId, content) {
      await http.request({
        method: 'PUT',
        path: `${API}/campaigns/${segment(campaignId)}/content`,
        json: { html: content.html, plain_text: content.plainText },
      });
    },

    async send(campaignId) {
      // 204 No Content once accepted; a campaign that is not ready (no content, no list, missing settings) is a 400.
      await http.request({ method: 'POST', path: `${API}/campaigns/${segment(campaignId)}/actions/send` });
    },

    async report(campaignId): Promise<EmailReport> {
      const { body } = await http.request<MailchimpReport>({ path: `${API}/reports/${segment(campaignId)}` });
      const bounces = body.bounces ?? {};
      return {
        sent: count(body.emails_sent),
        opens: count(body.opens?.opens_total),
        uniqueOpens: count(body.opens?.unique_opens),
        clicks: count(body.clicks?.clicks_total),
        bounces: count(bounces.hard_bounces) + count(bounces.soft_bounces) + count(bounces.syntax_errors),
        unsubscribes: count(body.unsubscribed),
      };
    },
  };
}

function apiKeyOf(credentials: Credentials): string {
  if (credentials.kind !== 'api_key') throw new ProviderError(DISPLAY_NAME, 'AUTH_EXPIRED', 'Mailchimp is connected with an API key');
  return credentials.secret;
}

export const mailchimp: ProviderModule<MailchimpAdapter> = {
  id: 'mailchimp',
  displayName: DISPLAY_NAME,
  category: 'EMAIL',
  channel: 'EMAIL',
  defaults: { apiUrl: 'https://{dc}.api.mailchimp.com' },
  profile: mailchimpProfile,
  auth: { kind: 'api_key', fields: [{ name: 'secret', label: 'API key (ends with your data center, e.g. -us21)' }] },

  apiBaseUrl(settings: ProviderSettings, credentials: Credentials) {
    if (!settings.apiUrl.includes('{dc}')) return settings.apiUrl;
    const dc = mailchimpDataCenter(apiKeyOf(credentials));
    // Checked before it becomes part of a host name: a crafted key must not send the call (and itself) elsewhere.
    if (!dc) throw new ProviderError(DISPLAY_NAME, 'AUTH_EXPIRED', 'the API key does not end with its data center (e.g. -us21)');
    return settings.apiUrl.replaceAll('{dc}', dc);
  },

  authorize(headers, credentials) {
    // Any user name will do: Mailchimp reads the key from the password.
    headers.set('authorization', `Basic ${Buffer.from(`umt:${apiKeyOf(credentials)}`).toString('base64')}`);
  },

  async identify(http) {
    // The API root describes the account the key belongs to.
    const { body } = await http.request<{ account_id: string; account_name?: string; login_id?: string; email?: string }>({
      path: `${API}/`,
      query: { fields: 'account_id,account_name,email' },
    });
    const host = /^https:\/\/([a-z]+[0-9]+)\.api\.mailchimp\.com/.exec(http.baseUrl);
    return {
      id: body.account_id,
      name: body.account_name || body.email || body.account_id,
      url: host ? `https://${host[1]}.admin.mailchimp.com/` : undefined,
    };
  },

  adapter: (http) => mailchimpAdapter(http),
};
