/**
 * The Mailchimp adapter against the fake Mailchimp (a real HTTP server on loopback): the requests it sends (paths,
 * Basic auth with the key, payloads), offset pagination turned into cursors, the campaign flow, and each documented
 * error answer mapped to our kinds, rate limits included.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mailchimpFake, type FakeProvider } from '@umt/fakes';
import { releaseBreakers } from '@umt/infra';
import { adapterFor, PROVIDERS, ProviderError, providerClient, readIntegrationConfig, type Credentials, type ProviderSettings } from '@umt/integrations';
import { failure } from './support';

const mailchimp = PROVIDERS.mailchimp;
const SERVICE = 'test-mailchimp';
let fake: FakeProvider;
let settings: ProviderSettings;
let credentials: Credentials;
let accounts = 0;
/** A fresh account key per use: rate limits are kept per account, and no test inherits another's. */
const account = () => `mailchimp-account-${++accounts}`;
const adapter = (creds: Credentials = credentials) => adapterFor(mailchimp, settings, creds, { service: SERVICE, accountKey: account() });

/** The ProviderError a call ends with (fails the test when it succeeds or throws something else). */

const basicPassword = (header: string | undefined) => Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':').slice(1).join(':');

interface StoredList {
  id: string;
  name: string;
  member_count: number;
}

beforeAll(async () => {
  fake = mailchimpFake();
  await fake.server.start();
  settings = readIntegrationConfig({ ...fake.env() }).providers.mailchimp;
  credentials = { kind: 'api_key', secret: fake.credentials?.secret ?? '' };
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

describe('configuration and identity', () => {
  it('puts the key’s data center in the default API URL, and uses a URL without {dc} as is', () => {
    const real = readIntegrationConfig({}).providers.mailchimp;
    expect(real.apiUrl).toBe('https://{dc}.api.mailchimp.com');
    expect(mailchimp.apiBaseUrl?.(real, { kind: 'api_key', secret: '0123abcd-us21' })).toBe('https://us21.api.mailchimp.com');
    expect(mailchimp.apiBaseUrl?.(settings, credentials)).toBe(fake.server.url);
  });

  it('refuses a key whose data center is missing or is not one, before it reaches a host name', () => {
    const real = readIntegrationConfig({}).providers.mailchimp;
    for (const secret of ['0123abcd', '0123abcd-evil.example.com#', 'abc-us21/x']) {
      let thrown: unknown;
      try {
        mailchimp.apiBaseUrl?.(real, { kind: 'api_key', secret });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProviderError);
      expect((thrown as ProviderError).kind).toBe('AUTH_EXPIRED');
    }
  });

  it('identifies the account from the API root, with the key as the Basic password', async () => {
    const http = providerClient(mailchimp, settings, credentials, { service: SERVICE, accountKey: account() });
    const identity = await mailchimp.identify(http);
    expect(identity).toEqual({ id: '8d3a3db4d97663a9074efcc16', name: 'Sandbox Marketing Co.', url: undefined });
    const [request] = fake.server.received('/3.0/', 'GET');
    expect(request?.path).toBe('/3.0/');
    expect(request?.headers.authorization).toMatch(/^Basic /);
    expect(basicPassword(request?.headers.authorization)).toBe(credentials.kind === 'api_key' ? credentials.secret : '');
  });
});

describe('audiences', () => {
  it('pages through the lists with count and offset, turning the offset into a cursor', async () => {
    const mailchimpAdapter = adapter();
    const seen: string[] = [];
    let cursor: string | undefined;
    const cursors: (string | undefined)[] = [];
    do {
      const page = await mailchimpAdapter.listAudiences(cursor, { pageSize: 1 });
      expect(page.items).toHaveLength(1);
      seen.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor);
    expect(seen).toEqual(['Newsletter', 'Customers', 'Beta testers']);
    expect(cursors).toEqual(['1', '2', undefined]);
    const requests = fake.server.received('/3.0/lists', 'GET');
    expect(requests.map((r) => [r.query.get('count'), r.query.get('offset')])).toEqual([
      ['1', '0'],
      ['1', '1'],
      ['1', '2'],
    ]);
  });

  it('reads names, ids and member counts in one page by default', async () => {
    const page = await adapter().listAudiences();
    const stored = fake.store.get('audiences') as StoredList[];
    expect(page.items).toEqual(stored.map((l) => ({ id: l.id, name: l.name, memberCount: l.member_count })));
    expect(page.nextCursor).toBeUndefined();
  });

  it('refuses a cursor that is not one of its own', async () => {
    const error = await failure(adapter().listAudiences('abc'));
    expect(error.kind).toBe('INVALID_CONTENT');
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('campaigns', () => {
  const newsletter = () => (fake.store.get('audiences') as StoredList[])[0] as StoredList;
  const input = () => ({ audienceId: newsletter().id, subject: 'Spring news', previewText: 'What is new', title: 'Spring 2025', fromName: 'Acme', replyTo: 'hello@acme.example' });

  it('creates a regular campaign, sets its content, sends it and reads its report', async () => {
    const email = adapter();
    const campaign = await email.createCampaign(input());
    expect(campaign.status).toBe('save');
    expect(campaign.url).toContain(campaign.id);
    const [create] = fake.server.received('/3.0/campaigns', 'POST');
    expect(create?.headers['content-type']).toBe('application/json');
    expect(create?.body).toEqual({
      type: 'regular',
      recipients: { list_id: newsletter().id },
      settings: { subject_line: 'Spring news', preview_text: 'What is new', title: 'Spring 2025', from_name: 'Acme', reply_to: 'hello@acme.example' },
    });

    await email.setContent(campaign.id, { html: '<h1>Hello</h1>', plainText: 'Hello' });
    const [content] = fake.server.received(`/3.0/campaigns/${campaign.id}/content`, 'PUT');
    expect(content?.body).toEqual({ html: '<h1>Hello</h1>', plain_text: 'Hello' });

    await email.send(campaign.id);
    expect(fake.server.received(`/3.0/campaigns/${campaign.id}/actions/send`, 'POST')).toHaveLength(1);
    expect(fake.store.get('sends')).toEqual([expect.objectContaining({ campaign_id: campaign.id, recipients: 1200 })]);

    const report = await email.report(campaign.id);
    expect(fake.server.received(`/3.0/reports/${campaign.id}`, 'GET')).toHaveLength(1);
    // The fake's figures for 1200 recipients: 40% unique opens, two opens each, 15% clicks, 1% + 2% + 1 bounces.
    expect(report).toEqual({ sent: 1200, opens: 960, uniqueOpens: 480, clicks: 180, bounces: 12 + 24 + 1, unsubscribes: 6 });
    for (const request of fake.server.requests) expect(basicPassword(request.headers.authorization)).toBe('5a1d0b0c0f0e0d0c0b0a090807060504-us1');
  });

  it('is refused a send while the campaign has no content, as Mailchimp refuses it', async () => {
    const email = adapter();
    const campaign = await email.createCampaign(input());
    const error = await failure(email.send(campaign.id));
    expect(error.kind).toBe('INVALID_CONTENT');
    expect(error.code).toBe('PROVIDER_INVALID_CONTENT');
    expect(error.status).toBe(400);
    expect(error.message).toContain('Your Campaign is not ready to send.');
    expect(fake.store.get('sends') ?? []).not.toContainEqual(expect.objectContaining({ campaign_id: campaign.id }));
  });

  it('maps "Invalid Resource" with its field errors to INVALID_CONTENT', async () => {
    const error = await failure(adapter().createCampaign({ ...input(), replyTo: 'not an email', subject: 'x'.repeat(151) }));
    expect(error.kind).toBe('INVALID_CONTENT');
    expect(error.providerCode).toBe('Invalid Resource');
    expect(error.message).toContain('settings.reply_to');
    expect(error.message).toContain('settings.subject_line');
  });

  it('maps an unknown campaign (404) to PERMANENT', async () => {
    const error = await failure(adapter().report('0000000000'));
    expect(error.kind).toBe('PERMANENT');
    expect(error.providerCode).toBe('Resource Not Found');
    expect(error.status).toBe(404);
  });
});

describe('failures', () => {
  it('maps an invalid key (401 API Key Invalid) to AUTH_EXPIRED', async () => {
    const error = await failure(adapter({ kind: 'api_key', secret: 'ffffffffffffffffffffffffffffffff-us1' }).listAudiences());
    expect(error.kind).toBe('AUTH_EXPIRED');
    expect(error.code).toBe('PROVIDER_AUTH_EXPIRED');
    expect(error.providerCode).toBe('API Key Invalid');
    expect(error.message).not.toContain('ffffffff');
  });

  it('maps a revoked key to AUTH_EXPIRED', async () => {
    fake.server.fault({ kind: 'expired_token' });
    const error = await failure(adapter().report('0000000000'));
    expect(error.kind).toBe('AUTH_EXPIRED');
  });

  it('maps 5xx to OUTAGE', async () => {
    fake.server.fault({ kind: 'fail', status: 503, times: 1 });
    const error = await failure(adapter().listAudiences());
    expect(error.kind).toBe('OUTAGE');
    expect(error.status).toBe(503);
  });

  it('maps a 400 to INVALID_CONTENT', async () => {
    fake.server.fault({ kind: 'invalid', times: 1 });
    expect((await failure(adapter().listAudiences())).kind).toBe('INVALID_CONTENT');
  });

  it('maps a 429 to RATE_LIMITED with Retry-After, then refuses calls for that account without reaching Mailchimp', async () => {
    const email = adapter();
    fake.server.fault({ kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
    const error = await failure(email.listAudiences());
    expect(error.kind).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toContain('10 simultaneous connections');
    const received = fake.server.requests.length;

    const refused = await failure(email.listAudiences());
    expect(refused.kind).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(25);
    expect(fake.server.requests).toHaveLength(received);
    // Another account of the same provider is not held back.
    await expect(adapter().listAudiences()).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('waits a default time after a 429 without Retry-After (Mailchimp sends none)', () => {
    const error = mailchimp.profile.classify?.({
      status: 429,
      headers: new Headers(),
      body: { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'Too Many Requests', status: 429, detail: 'You have exceeded the limit of 10 simultaneous connections.', instance: '' },
    });
    expect(error?.kind).toBe('RATE_LIMITED');
    expect(error?.retryAfterSeconds).toBe(5);
  });
});
