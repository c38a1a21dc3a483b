/**
 * Platform connections end to end, on the services as separate processes (PostgreSQL, RabbitMQ), against fake
 * providers that are real HTTP servers: the OAuth2 + PKCE flow with X (a wrong state and a wrong verifier refused),
 * an API-key connection with Mailchimp, credentials unreadable in the database and absent from every log line,
 * refresh before expiry, key rotation, a BROKEN connection publishing connection.failed, disconnect revoking.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeProviders, type RunningFakes } from '@umt/fakes';
import {
  AMQP_URL,
  gql,
  gqlOk,
  isolatedServices,
  registerTenant,
  sleep,
  startProcess,
  startServices,
  waitFor,
  waitReady,
  type OtlpReceiver,
  type RunningServices,
  type ServiceProcess,
} from '@umt/test-support';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { Client } from 'pg';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const CONNECTION_FIELDS = 'id brandId provider category authMethod accountId accountName sandbox scopes health lastErrorCode tokenExpiresAt';

interface ConnectionView {
  id: string;
  provider: string;
  accountName: string;
  sandbox: boolean;
  health: string;
  lastErrorCode: string | null;
  tokenExpiresAt: string | null;
}

describe('platform connections', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-connections', RETRY);
  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('base64');
  let fakes: RunningFakes;
  let services: RunningServices;
  let env: Record<string, string>;
  let token: string;
  let brandId: string;
  let db: Client;
  let broker: ChannelModel;
  let receiver: OtlpReceiver;
  let channel: Channel;
  const events: { type: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    fakes = await startFakeProviders(['x', 'mailchimp']);
    const database = await isolated.database();
    receiver = await isolated.receiver();
    env = {
      ...isolated.env({ databaseUrl: database.url, otlpEndpoint: receiver.endpoint }),
      ...fakes.env,
      LOG_LEVEL: 'debug',
      SECRETS_ENCRYPTION_KEY: keyA,
      INTEGRATION_REDIRECT_URI: REDIRECT,
      CONNECTION_SCAN_SECONDS: '1',
      CONNECTION_REFRESH_AHEAD_SECONDS: '3',
      BREAKER_OVERRIDES: JSON.stringify({ 'platform:*': { minimumCalls: 3, openMs: 60_000 } }),
    };
    services = await startServices(env, running);
    db = new Client({ connectionString: database.url });
    await db.connect();
    broker = await connect(AMQP_URL);
    channel = await broker.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, isolated.exchange, 'connection.*');
    await channel.consume(queue, (message) => {
      if (message) events.push({ type: message.fields.routingKey, body: JSON.parse(message.content.toString()) as Record<string, unknown> });
    }, { noAck: true });
    const tenant = await registerTenant(services.url, 'Connections Inc');
    token = tenant.token;
    brandId = (await gqlOk<{ createBrand: { id: string } }>(services.url, `mutation { createBrand(input: { name: "Acme" }) { id } }`, {}, token)).createBrand.id;
  }, 120_000);

  afterAll(async () => {
    await channel?.close().catch(() => undefined);
    await broker?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await isolated.stop(running);
    await fakes?.stop();
  }, 90_000);

  /** Starts an OAuth2 connection and follows the provider's consent redirect: the state and code it sends back. */
  async function authorize(): Promise<{ state: string; code: string; url: URL }> {
    const started = await gqlOk<{ startPlatformConnection: { authorizationUrl: string; state: string } }>(
      services.url,
      `mutation ($i: StartPlatformConnectionInput!) { startPlatformConnection(input: $i) { authorizationUrl state expiresAt } }`,
      { i: { brandId, provider: 'X', redirectUri: REDIRECT } },
      token,
    );
    const url = new URL(started.startPlatformConnection.authorizationUrl);
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe(started.startPlatformConnection.state);
    return { state: back.searchParams.get('state') ?? '', code: back.searchParams.get('code') ?? '', url };
  }

  const complete = (state: string, code: string) =>
    gql<{ completePlatformConnection: ConnectionView }>(
      services.url,
      `mutation ($i: CompletePlatformConnectionInput!) { completePlatformConnection(input: $i) { ${CONNECTION_FIELDS} } }`,
      { i: { state, code } },
      token,
    );

  const check = async (id: string) =>
    (await gqlOk<{ checkPlatformConnection: ConnectionView }>(services.url, `mutation ($id: ID!) { checkPlatformConnection(id: $id) { ${CONNECTION_FIELDS} } }`, { id }, token))
      .checkPlatformConnection;

  const row = async (id: string) =>
    (await db.query<Record<string, unknown>>('select * from auth.platform_connections where id = $1', [id])).rows[0];

  let xConnection: ConnectionView;
  let mailchimpConnection: ConnectionView;

  it('lists the providers, marked sandbox when they are the bundled fakes', async () => {
    const { platformProviders } = await gqlOk<{ platformProviders: { provider: string; configured: boolean; sandbox: boolean; authMethod: string }[] }>(
      services.url,
      `{ platformProviders { provider configured sandbox authMethod apiKeyFields } }`,
      {},
      token,
    );
    expect(platformProviders.find((p) => p.provider === 'X')).toMatchObject({ configured: true, sandbox: true, authMethod: 'OAUTH2' });
    expect(platformProviders.find((p) => p.provider === 'MAILCHIMP')).toMatchObject({ configured: true, sandbox: true, authMethod: 'API_KEY' });
  });

  it('connects X through OAuth2 with PKCE, refusing a wrong state and a wrong verifier', async () => {
    const x = fakes.providers.x;
    const first = await authorize();
    expect(first.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(first.url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // A state this service never issued: refused before anything reaches the provider.
    const tokenCallsBefore = x.server.received('/2/oauth2/token').length;
    const wrongState = await complete(`${first.state}x`, first.code);
    expect(wrongState.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
    expect(x.server.received('/2/oauth2/token')).toHaveLength(tokenCallsBefore);

    // The first attempt's state with the second attempt's code: the first attempt's verifier does not match the
    // second code's challenge, and the provider refuses the exchange.
    const second = await authorize();
    const wrongVerifier = await complete(first.state, second.code);
    expect(wrongVerifier.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_EXPIRED');
    expect(x.server.received('/2/oauth2/token').length).toBe(tokenCallsBefore + 1);
    // Each state works once: the first attempt is spent.
    expect((await complete(first.state, first.code)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });

    x.oauth!.accessTokenSeconds = 6; // short-lived tokens, so the refresh before expiry shows within the test
    const third = await authorize();
    const done = await complete(third.state, third.code);
    expect(done.errors).toBeUndefined();
    xConnection = done.data!.completePlatformConnection;
    expect(xConnection).toMatchObject({ provider: 'X', sandbox: true, health: 'HEALTHY', authMethod: 'OAUTH2', category: 'SOCIAL' });
    expect(xConnection.tokenExpiresAt).not.toBeNull();
    await waitFor('connection.connected on the broker', () => events.some((e) => e.type === 'connection.connected' && (e.body.data as { connectionId?: string })?.connectionId === xConnection.id), 10_000);
  });

  it('connects Mailchimp with an API key', async () => {
    const secret = fakes.providers.mailchimp.credentials?.secret ?? '';
    const wrong = await gql(services.url, `mutation ($i: ConnectPlatformWithApiKeyInput!) { connectPlatformWithApiKey(input: $i) { id } }`, { i: { brandId, provider: 'MAILCHIMP', secret: 'wrong-key-us1' } }, token);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_EXPIRED');
    const connected = await gqlOk<{ connectPlatformWithApiKey: ConnectionView }>(
      services.url,
      `mutation ($i: ConnectPlatformWithApiKeyInput!) { connectPlatformWithApiKey(input: $i) { ${CONNECTION_FIELDS} } }`,
      { i: { brandId, provider: 'MAILCHIMP', secret } },
      token,
    );
    mailchimpConnection = connected.connectPlatformWithApiKey;
    expect(mailchimpConnection).toMatchObject({ provider: 'MAILCHIMP', health: 'HEALTHY', sandbox: true });
  });

  it('refuses a site address inside our network (no request forgery through a "WordPress site")', async () => {
    for (const siteUrl of ['http://127.0.0.1:5432', 'http://169.254.169.254/latest', 'http://[::1]:6379', 'http://localhost:15672']) {
      const refused = await gql(
        services.url,
        `mutation ($i: ConnectPlatformWithApiKeyInput!) { connectPlatformWithApiKey(input: $i) { id } }`,
        { i: { brandId, provider: 'WORDPRESS', secret: 'abcd efgh', username: 'editor', siteUrl } },
        token,
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'siteUrl' });
    }
  });

  it('keeps no credential readable in the database', async () => {
    const secrets = [...fakes.providers.x.oauth!.tokens.keys(), fakes.providers.mailchimp.credentials?.secret ?? 'none'];
    const rows = (await db.query('select * from auth.platform_connections')).rows;
    const attempts = (await db.query('select * from auth.connection_attempts')).rows;
    const dump = JSON.stringify([rows, attempts]);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    for (const r of rows as { credentials_sealed: string }[]) expect(r.credentials_sealed).toMatch(/^v1\./);
  });

  it('refreshes the access token before it expires', async () => {
    const oauth = fakes.providers.x.oauth!;
    const before = oauth.refreshCount;
    await waitFor('a refresh at the provider', () => oauth.refreshCount > before, 15_000);
    // Before the first token expired.
    expect(Date.now()).toBeLessThan(Date.parse(xConnection.tokenExpiresAt ?? ''));
    // Past the first token's lifetime, the connection still works: it acts with the refreshed token.
    await sleep(Math.max(0, Date.parse(xConnection.tokenExpiresAt ?? '') - Date.now()) + 500);
    const checked = await check(xConnection.id);
    expect(checked.health).toBe('HEALTHY');
    expect(Date.parse(checked.tokenExpiresAt ?? '')).toBeGreaterThan(Date.parse(xConnection.tokenExpiresAt ?? ''));
  }, 40_000);

  it("opens X's breaker when X keeps failing: checks then fail fast without reaching X, Mailchimp is unaffected, the circuit query and metrics show it", async () => {
    const x = fakes.providers.x;
    x.oauth!.accessTokenSeconds = 3600;
    x.server.fault({ kind: 'fail', status: 503, pathPrefix: '/2/users/me' });
    let last = await check(xConnection.id);
    for (let attempt = 0; attempt < 20 && last.lastErrorCode !== 'DEPENDENCY_UNAVAILABLE'; attempt++) {
      expect(last).toMatchObject({ health: 'DEGRADED', lastErrorCode: 'PROVIDER_UNAVAILABLE' });
      last = await check(xConnection.id);
    }
    expect(last).toMatchObject({ health: 'DEGRADED', lastErrorCode: 'DEPENDENCY_UNAVAILABLE' });
    const reached = x.server.received('/2/users/me').length;
    expect((await check(xConnection.id)).lastErrorCode).toBe('DEPENDENCY_UNAVAILABLE');
    expect(x.server.received('/2/users/me')).toHaveLength(reached); // refused here, not sent
    expect((await check(mailchimpConnection.id)).health).toBe('HEALTHY');

    const { circuitBreakers } = await gqlOk<{ circuitBreakers: { service: string; reachable: boolean; breakers: { name: string; state: string; totals: { failures: number; shortCircuits: number; successes: number } }[] }[] }>(
      services.url,
      `{ circuitBreakers { service reachable breakers { name state totals { successes failures shortCircuits } } } }`,
      {},
      token,
    );
    const auth = circuitBreakers.find((s) => s.service === 'auth');
    expect(auth?.reachable).toBe(true);
    const breaker = auth?.breakers.find((b) => b.name === 'platform:x');
    expect(breaker?.state).toBe('OPEN');
    expect(breaker?.totals.failures).toBeGreaterThanOrEqual(3);
    expect(breaker?.totals.shortCircuits).toBeGreaterThanOrEqual(2);
    expect(auth?.breakers.find((b) => b.name === 'platform:mailchimp')?.state).toBe('CLOSED');
    const metrics = await (await fetch(`http://127.0.0.1:${services.ports.auth}/metrics`)).text();
    expect(metrics).toContain('umt_circuit_breaker_state{service="auth",breaker="platform:x"} 2');
    expect(metrics).toContain(`umt_circuit_breaker_calls_total{service="auth",breaker="platform:x",outcome="short_circuit"} ${breaker?.totals.shortCircuits}`);
    x.server.reset();
  });

  it('keeps old connections working after a key rotation, sealing them again under the new key', async () => {
    fakes.providers.x.oauth!.accessTokenSeconds = 3600;
    const sealedBefore = (await row(mailchimpConnection.id))?.credentials_sealed as string;
    const auth = running.find((p) => p.name === 'auth' && p.child.exitCode === null)!;
    await auth.stop();
    const restarted = startProcess('auth', 'subgraphs/auth/dist/main.js', { ...env, SECRETS_ENCRYPTION_KEY: keyB, SECRETS_RETIRED_KEYS: keyA, PORT: String(services.ports.auth) });
    running.push(restarted);
    await waitReady(`http://127.0.0.1:${services.ports.auth}/health/ready`, restarted);
    expect((await check(mailchimpConnection.id)).health).toBe('HEALTHY');
    expect((await check(xConnection.id)).health).toBe('HEALTHY');
    const sealedAfter = (await row(mailchimpConnection.id))?.credentials_sealed as string;
    expect(sealedAfter.split('.')[1]).not.toBe(sealedBefore.split('.')[1]); // another key's id
  }, 60_000);

  it('marks a connection whose grant the provider revoked BROKEN and publishes connection.failed once', async () => {
    for (const issued of fakes.providers.x.oauth!.tokens.values()) issued.revoked = true;
    const broken = await check(xConnection.id);
    expect(broken).toMatchObject({ health: 'BROKEN', lastErrorCode: 'PROVIDER_AUTH_EXPIRED' });
    await check(xConnection.id);
    await waitFor('connection.failed on the broker', () => events.some((e) => e.type === 'connection.failed'), 10_000);
    await sleep(500);
    const failed = events.filter((e) => e.type === 'connection.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.body.data).toMatchObject({ connectionId: xConnection.id, provider: 'x', reason: 'PROVIDER_AUTH_EXPIRED' });
    expect(JSON.stringify(failed)).not.toMatch(/access|refresh-/);
  });

  it('disconnects, revoking at the provider where it offers that', async () => {
    const revokes = fakes.providers.x.server.received('/2/oauth2/revoke').length;
    for (const connection of [xConnection, mailchimpConnection]) {
      expect((await gqlOk<{ disconnectPlatform: boolean }>(services.url, `mutation ($id: ID!) { disconnectPlatform(id: $id) }`, { id: connection.id }, token)).disconnectPlatform).toBe(true);
    }
    expect(fakes.providers.x.server.received('/2/oauth2/revoke').length).toBeGreaterThan(revokes);
    const left = await gqlOk<{ platformConnections: { nodes: unknown[] } }>(services.url, `{ platformConnections { nodes { id } } }`, {}, token);
    expect(left.platformConnections.nodes).toHaveLength(0);
  });

  it('writes no token, key or verifier to any log line or span', async () => {
    const secrets = [...fakes.providers.x.oauth!.tokens.keys(), fakes.providers.mailchimp.credentials?.secret ?? 'none', keyA, keyB];
    const output = running.map((p) => p.output()).join('\n');
    expect(output.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(output).not.toContain(secret);
    // The spans of the calls to the providers are there (so the check below reads something), without a secret.
    const text = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    await waitFor('spans of auth calling X', () => receiver.spans().some((s) => s.service === 'auth' && text(s).includes('/2/oauth2/token')), 10_000);
    const spans = text(receiver.spans());
    for (const secret of secrets) expect(spans).not.toContain(secret);
  });
});
