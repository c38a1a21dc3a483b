/**
 * A fake Mailchimp Marketing API 3.0: the API root, audiences (lists, offset pagination), regular campaigns with
 * content, the send action and campaign reports. It checks what Mailchimp checks: the API key as the password of HTTP
 * Basic, JSON bodies, a campaign's type, list and settings (reply_to an email, subject at most 150 characters), and it
 * refuses to send a campaign that is not ready (no list, subject, from name, reply-to or content) with Mailchimp's
 * "Your Campaign is not ready to send." Errors are Mailchimp's problem details (`application/problem+json`).
 *
 * Served at its root under /3.0, as the real API is on `https://<dc>.api.mailchimp.com/3.0`: the adapter's base URL
 * is the fake's URL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { keep, kept, type FakeProvider } from '../fake-provider';
import { FakeServer, type FakeReply, type FaultKind, type RecordedRequest } from '../fake-server';

/** The key the sandbox account accepts: any user name, this as the password (data center us1). */
export const MAILCHIMP_FAKE_KEY = '5a1d0b0c0f0e0d0c0b0a090807060504-us1';
const ACCOUNT = { account_id: '8d3a3db4d97663a9074efcc16', account_name: 'Sandbox Marketing Co.', email: 'owner@sandbox.example', login_id: '31005261' };
const CAMPAIGN_TYPES = ['regular', 'plaintext', 'absplit', 'rss', 'variate'];
const SUBJECT_MAX = 150;
const PREVIEW_MAX = 150;

export interface FakeMailchimpList {
  id: string;
  web_id: number;
  name: string;
  member_count: number;
}

export interface FakeMailchimpCampaign {
  id: string;
  web_id: number;
  type: string;
  status: 'save' | 'sending' | 'sent';
  create_time: string;
  send_time: string;
  list_id?: string;
  settings: { subject_line?: string; preview_text?: string; title?: string; from_name?: string; reply_to?: string };
  content?: { html: string; plain_text: string };
  emails_sent: number;
}

const TITLES: Record<number, string> = {
  400: 'Invalid Resource',
  401: 'API Key Invalid',
  403: 'Forbidden',
  404: 'Resource Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
const DETAILS: Record<number, string> = {
  400: "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
  401: "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
  403: "You don't have permission to access this resource.",
  404: 'The requested resource could not be found.',
  405: 'The requested method and resource are not compatible.',
  429: 'You have exceeded the limit of 10 simultaneous connections.',
  500: 'An unexpected internal error has occurred. Please contact Support for more information.',
  503: 'This service is temporarily unavailable. Please try again later.',
};

/** Mailchimp's error body (RFC 7807), with its content type. */
export function mailchimpProblem(status: number, title?: string, detail?: string, errors?: { field: string; message: string }[]): FakeReply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: {
      type: 'https://mailchimp.com/developer/marketing/docs/errors/',
      title: title ?? TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request'),
      status,
      detail: detail ?? DETAILS[status] ?? '',
      instance: randomUUID(),
      ...(errors ? { errors } : {}),
    },
  };
}

function errorShape(kind: FaultKind, status: number): FakeReply {
  if (kind === 'expired_token') return mailchimpProblem(401);
  if (kind === 'invalid') return mailchimpProblem(status, undefined, undefined, status === 400 ? [{ field: '', message: 'Schema describes object, NULL found instead' }] : undefined);
  return mailchimpProblem(status);
}

const hexId = () => randomBytes(5).toString('hex');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function mailchimpFake(): FakeProvider {
  const server = new FakeServer('mailchimp', errorShape);
  const store = new Map<string, unknown[]>();
  const provider: FakeProvider = {
    id: 'mailchimp',
    server,
    store,
    env: () => ({ INTEGRATION_MAILCHIMP_API_URL: server.url }),
    credentials: { secret: MAILCHIMP_FAKE_KEY },
  };
  let webId = 100_000;
  let sentAt = 0;

  // Three audiences, so that pagination shows with count=1 or 2.
  for (const [name, members] of [
    ['Newsletter', 1200],
    ['Customers', 350],
    ['Beta testers', 42],
  ] as const) {
    keep<FakeMailchimpList>(provider, 'audiences', { id: hexId(), web_id: ++webId, name, member_count: members });
  }

  const lists = () => kept<FakeMailchimpList>(provider, 'audiences');
  const campaigns = () => kept<FakeMailchimpCampaign>(provider, 'campaigns');

  /** HTTP Basic with any user name and the key as the password (Mailchimp also reads `apikey <key>`, not used here). */
  function authenticate(request: RecordedRequest): FakeReply | undefined {
    const header = request.headers.authorization ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (!match?.[1]) return mailchimpProblem(401, 'API Key Missing', 'Your request did not include an API key.');
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = colon < 0 ? '' : decoded.slice(colon + 1);
    if (key !== MAILCHIMP_FAKE_KEY || server.tokensExpired) return mailchimpProblem(401);
    return undefined;
  }

  /** The JSON body of a write, or Mailchimp's answer to a body that is not JSON. */
  function jsonBody(request: RecordedRequest): { body: Record<string, unknown>; reply?: undefined } | { reply: FakeReply } {
    if (isObject(request.body)) return { body: request.body };
    if (request.raw.length === 0) return { reply: mailchimpProblem(400, 'Invalid Resource', DETAILS[400], [{ field: '', message: 'Schema describes object, NULL found instead' }]) };
    return { reply: mailchimpProblem(400, 'JSON Parse Exception', 'We encountered an unspecified JSON parsing error.') };
  }

  /** An authenticated route: the key is checked before anything else, as Mailchimp does. */
  function api(method: string, path: string, handler: (request: RecordedRequest, params: Record<string, string>) => FakeReply) {
    server.route(method, `/3.0${path}`, (request, params) => authenticate(request) ?? handler(request, params));
  }

  const listJson = (list: FakeMailchimpList) => ({
    id: list.id,
    web_id: list.web_id,
    name: list.name,
    permission_reminder: 'You signed up on our website.',
    email_type_option: false,
    date_created: '2024-01-15T10:00:00+00:00',
    visibility: 'prv',
    stats: { member_count: list.member_count, unsubscribe_count: 0, cleaned_count: 0, campaign_count: campaigns().filter((c) => c.list_id === list.id).length },
    _links: [],
  });

  const campaignJson = (campaign: FakeMailchimpCampaign) => {
    const list = lists().find((l) => l.id === campaign.list_id);
    return {
      id: campaign.id,
      web_id: campaign.web_id,
      type: campaign.type,
      create_time: campaign.create_time,
      archive_url: `http://eepurl.com/${campaign.id.slice(0, 6)}`,
      long_archive_url: `https://us1.campaign-archive.com/?u=${ACCOUNT.account_id}&id=${campaign.id}`,
      status: campaign.status,
      emails_sent: campaign.emails_sent,
      send_time: campaign.send_time,
      content_type: 'html',
      recipients: list ? { list_id: list.id, list_is_active: true, list_name: list.name, recipient_count: list.member_count } : { list_id: '', recipient_count: 0 },
      settings: { subject_line: '', preview_text: '', title: '', from_name: '', reply_to: '', ...campaign.settings },
      _links: [],
    };
  };

  api('GET', '/', () => ({ status: 200, body: { ...ACCOUNT, username: 'sandbox', role: 'owner', account_timezone: 'UTC', pricing_plan_type: 'monthly', total_subscribers: 1592, _links: [] } }));
  api('GET', '/ping', () => ({ status: 200, body: { health_status: "Everything's Chimpy!" } }));

  api('GET', '/lists', (request) => {
    const count = Number(request.query.get('count') ?? '10');
    const offset = Number(request.query.get('offset') ?? '0');
    if (!Number.isInteger(count) || count < 1 || count > 1000) return mailchimpProblem(400, 'Invalid Resource', DETAILS[400], [{ field: 'count', message: 'count must be between 1 and 1000' }]);
    if (!Number.isInteger(offset) || offset < 0) return mailchimpProblem(400, 'Invalid Resource', DETAILS[400], [{ field: 'offset', message: 'offset must be a non-negative integer' }]);
    const all = lists();
    return {
      status: 200,
      body: {
        lists: all.slice(offset, offset + count).map(listJson),
        total_items: all.length,
        constraints: { may_create: true, max_instances: 10, current_total_instances: all.length },
        _links: [],
      },
    };
  });

  api('GET', '/lists/:id', (_request, { id }) => {
    const list = lists().find((l) => l.id === id);
    return list ? { status: 200, body: listJson(list) } : mailchimpProblem(404);
  });

  /** Field errors of a campaign's settings, as Mailchimp's "Invalid Resource" lists them. */
  function settingsErrors(settings: unknown): { field: string; message: string }[] {
    if (settings === undefined) return [];
    if (!isObject(settings)) return [{ field: 'settings', message: 'Schema describes object, ' + typeof settings + ' found instead' }];
    const errors: { field: string; message: string }[] = [];
    for (const name of ['subject_line', 'preview_text', 'title', 'from_name', 'reply_to']) {
      const value = settings[name];
      if (value !== undefined && typeof value !== 'string') errors.push({ field: `settings.${name}`, message: `Schema describes string, ${typeof value} found instead` });
    }
    const { subject_line: subject, preview_text: preview, reply_to: replyTo } = settings;
    if (typeof subject === 'string' && subject.length > SUBJECT_MAX) errors.push({ field: 'settings.subject_line', message: `Subject line must be ${SUBJECT_MAX} characters or fewer.` });
    if (typeof preview === 'string' && preview.length > PREVIEW_MAX) errors.push({ field: 'settings.preview_text', message: `Preview text must be ${PREVIEW_MAX} characters or fewer.` });
    if (typeof replyTo === 'string' && replyTo !== '' && !EMAIL.test(replyTo)) errors.push({ field: 'settings.reply_to', message: 'This value should be a valid email.' });
    return errors;
  }

  api('POST', '/campaigns', (request) => {
    const parsed = jsonBody(request);
    if (parsed.reply) return parsed.reply;
    const { body } = parsed;
    const errors: { field: string; message: string }[] = [];
    if (typeof body.type !== 'string' || !CAMPAIGN_TYPES.includes(body.type)) {
      errors.push({ field: 'type', message: `Data presented is not one of the accepted values: ${CAMPAIGN_TYPES.join(', ')}.` });
    }
    let listId: string | undefined;
    if (body.recipients !== undefined) {
      if (!isObject(body.recipients) || typeof body.recipients.list_id !== 'string') errors.push({ field: 'recipients.list_id', message: 'Schema describes string, NULL found instead' });
      else if (!lists().some((l) => l.id === (body.recipients as { list_id: string }).list_id)) errors.push({ field: 'recipients.list_id', message: 'The requested list does not exist.' });
      else listId = body.recipients.list_id;
    }
    errors.push(...settingsErrors(body.settings));
    if (errors.length > 0) return mailchimpProblem(400, 'Invalid Resource', DETAILS[400], errors);
    const settings = (isObject(body.settings) ? body.settings : {}) as FakeMailchimpCampaign['settings'];
    const campaign = keep<FakeMailchimpCampaign>(provider, 'campaigns', {
      id: hexId(),
      web_id: ++webId,
      type: body.type as string,
      status: 'save',
      create_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
      send_time: '',
      list_id: listId,
      settings: { ...settings },
      emails_sent: 0,
    });
    // Mailchimp answers a created campaign with 200, not 201.
    return { status: 200, body: campaignJson(campaign) };
  });

  api('GET', '/campaigns/:id', (_request, { id }) => {
    const campaign = campaigns().find((c) => c.id === id);
    return campaign ? { status: 200, body: campaignJson(campaign) } : mailchimpProblem(404);
  });

  api('PUT', '/campaigns/:id/content', (request, { id }) => {
    const campaign = campaigns().find((c) => c.id === id);
    if (!campaign) return mailchimpProblem(404);
    const parsed = jsonBody(request);
    if (parsed.reply) return parsed.reply;
    const { body } = parsed;
    if (campaign.status !== 'save') return mailchimpProblem(400, 'Bad Request', 'This campaign has already been sent and its content cannot be changed.');
    const { html, plain_text: plain } = body;
    if (html !== undefined && typeof html !== 'string') return mailchimpProblem(400, 'Invalid Resource', DETAILS[400], [{ field: 'html', message: `Schema describes string, ${typeof html} found instead` }]);
    if (plain !== undefined && typeof plain !== 'string') return mailchimpProblem(400, 'Invalid Resource', DETAILS[400], [{ field: 'plain_text', message: `Schema describes string, ${typeof plain} found instead` }]);
    if (html === undefined && plain === undefined) return mailchimpProblem(400, 'Invalid Resource', DETAILS[400], [{ field: '', message: 'Required fields were not provided: html, plain_text, url, template or archive' }]);
    // Mailchimp generates the plain-text version from the HTML when none is given.
    const content = { html: html ?? '', plain_text: plain ?? (html ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() };
    campaign.content = content;
    keep(provider, 'content', { campaign_id: id, ...content });
    return { status: 200, body: { plain_text: content.plain_text, html: content.html, archive_html: content.html, _links: [] } };
  });

  api('POST', '/campaigns/:id/actions/send', (_request, { id }) => {
    const campaign = campaigns().find((c) => c.id === id);
    if (!campaign) return mailchimpProblem(404);
    if (campaign.status !== 'save') return mailchimpProblem(400, 'Bad Request', 'This campaign has already been sent.');
    const { subject_line: subject, from_name: fromName, reply_to: replyTo } = campaign.settings;
    const list = lists().find((l) => l.id === campaign.list_id);
    if (!list || !subject || !fromName || !replyTo || !campaign.content?.html) return mailchimpProblem(400, 'Bad Request', 'Your Campaign is not ready to send.');
    campaign.status = 'sent';
    campaign.emails_sent = list.member_count;
    // Distinct, increasing send times even within one millisecond.
    sentAt = Math.max(Date.now(), sentAt + 1000);
    campaign.send_time = new Date(sentAt).toISOString().replace(/\.\d+Z$/, '+00:00');
    keep(provider, 'sends', { campaign_id: id, list_id: list.id, recipients: list.member_count, at: new Date() });
    return { status: 204 };
  });

  api('GET', '/reports/:id', (_request, { id }) => {
    const campaign = campaigns().find((c) => c.id === id);
    // Reports exist for sent campaigns only.
    if (!campaign || campaign.status !== 'sent') return mailchimpProblem(404);
    const sent = campaign.emails_sent;
    const list = lists().find((l) => l.id === campaign.list_id);
    // Figures derived from the audience's size, so that a test knows what to expect.
    const uniqueOpens = Math.floor(sent * 0.4);
    return {
      status: 200,
      body: {
        id: campaign.id,
        campaign_title: campaign.settings.title ?? '',
        type: campaign.type,
        list_id: campaign.list_id,
        list_is_active: true,
        list_name: list?.name ?? '',
        subject_line: campaign.settings.subject_line ?? '',
        preview_text: campaign.settings.preview_text ?? '',
        emails_sent: sent,
        abuse_reports: 0,
        unsubscribed: Math.floor(sent * 0.005),
        send_time: campaign.send_time,
        bounces: { hard_bounces: Math.floor(sent * 0.01), soft_bounces: Math.floor(sent * 0.02), syntax_errors: 1 },
        forwards: { forwards_count: 0, forwards_opens: 0 },
        opens: { opens_total: uniqueOpens * 2, proxy_excluded_opens: uniqueOpens, unique_opens: uniqueOpens, open_rate: sent ? uniqueOpens / sent : 0, last_open: campaign.send_time },
        clicks: { clicks_total: Math.floor(sent * 0.15), unique_clicks: Math.floor(sent * 0.1), unique_subscriber_clicks: Math.floor(sent * 0.1), click_rate: 0.1, last_click: campaign.send_time },
        _links: [],
      },
    };
  });

  return provider;
}
