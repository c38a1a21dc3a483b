/**
 * What the six services write while handling secrets, read back from their stdout and stderr: every line is JSON, no
 * line holds a password, token, key or configured secret, every line of a request carries the trace it belongs to,
 * and a client's x-request-id links the gateway's lines to the subgraph's.
 *
 * The services run as plain node processes (with OpenTelemetry active, as in production) at LOG_LEVEL debug, so there
 * is as much to read as the code can write.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { principalCodec, PRINCIPAL_HEADER } from '@umt/infra';
import { Client } from 'pg';
import { gql, gqlOk, isolatedServices, startServices, type ServiceProcess } from '@umt/test-support';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

interface LogLine {
  service?: string;
  reqId?: string;
  trace_id?: string;
  span_id?: string;
  msg?: string;
  [key: string]: unknown;
}

/** The database URL with a password in it, when the server lets such a URL in (trust auth ignores the password). */
async function withPassword(url: string, password: string): Promise<string | undefined> {
  const withSecret = new URL(url);
  withSecret.password = password;
  const client = new Client({ connectionString: withSecret.toString() });
  try {
    await client.connect();
    await client.query('select 1');
    return withSecret.toString();
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The keys of a JSON object's top level, in order and with repeats (JSON.parse would keep only the last). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(text.slice(i, end + 1)) as string);
      expectKey = false;
      i = end;
    } else if (char === '{' || char === '[') {
      depth += 1;
      expectKey = char === '{' && depth === 1;
    } else if (char === '}' || char === ']') {
      depth -= 1;
    } else if (char === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

describe('service logs', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-logs', RETRY);
  afterAll(() => isolated.stop(running), 90_000);

  it('are JSON lines without secrets, with trace ids on request lines and one request id across services', async () => {
    const database = await isolated.database();
    const receiver = await isolated.receiver();
    const databasePassword = secret('dbpass');
    const databaseUrl = (await withPassword(database.url, databasePassword)) ?? database.url;
    const env: Record<string, string> = {
      ...isolated.env({ databaseUrl, otlpEndpoint: receiver.endpoint }),
      LOG_LEVEL: 'debug',
      PERSISTED_QUERIES_PARTNERS: 'any', // the partner call below sends a free query
    };
    const secrets: Record<string, string> = { AUTH_TOKEN_SECRET: env.AUTH_TOKEN_SECRET ?? '', PRINCIPAL_SECRET: env.PRINCIPAL_SECRET ?? '' };
    if (databaseUrl !== database.url) secrets.DATABASE_URL_PASSWORD = databasePassword;
    const { url, gateway, ports } = await startServices(env, running);

    // A workload that handles every kind of secret the services see.
    const password = secret('password');
    const email = `logs-${randomBytes(4).toString('hex')}@example.test`;
    const registered = await gqlOk<{ register: { accessToken: string; refreshToken: string; emailVerificationToken: string } }>(
      url,
      `mutation ($i: RegisterInput!) { register(input: $i) { accessToken refreshToken emailVerificationToken } }`,
      { i: { organizationName: 'Logs Inc', name: 'Owner', email, password } },
    );
    secrets.password = password;
    secrets.registerAccessToken = registered.register.accessToken;
    secrets.registerRefreshToken = registered.register.refreshToken;
    secrets.emailVerificationToken = registered.register.emailVerificationToken;
    expect(await gqlOk(url, `mutation ($t: String!) { verifyEmail(token: $t) }`, { t: registered.register.emailVerificationToken })).toEqual({ verifyEmail: true });

    const login = await gqlOk<{ login: { accessToken: string; refreshToken: string } }>(
      url,
      `mutation ($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`,
      { i: { email, password } },
    );
    secrets.accessToken = login.login.accessToken;
    secrets.refreshToken = login.login.refreshToken;
    const refreshed = await gqlOk<{ refreshSession: { accessToken: string; refreshToken: string } }>(
      url,
      `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`,
      { t: login.login.refreshToken },
    );
    secrets.refreshedAccessToken = refreshed.refreshSession.accessToken;
    secrets.refreshedRefreshToken = refreshed.refreshSession.refreshToken;
    const token = refreshed.refreshSession.accessToken;

    // A failed login, its wrong password inline in the document rather than in the variables.
    const wrongPassword = secret('wrong-password');
    secrets.wrongPassword = wrongPassword;
    const failed = await gql(url, `mutation { login(input: { email: "${email}", password: "${wrongPassword}" }) { accessToken } }`);
    expect(failed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const created = await gqlOk<{ createApiKey: { key: string } }>(
      url,
      `mutation { createApiKey(input: { name: "logs", scopes: ["brands:read"] }) { key } }`,
      {},
      token,
    );
    const apiKey = created.createApiKey.key;
    secrets.apiKey = apiKey;
    secrets.apiKeySecret = apiKey.split('_').slice(2).join('_');
    const asPartner = await post(url, { query: '{ brands { nodes { id } } }' }, { 'x-api-key': apiKey });
    expect(await asPartner.json()).toEqual({ data: { brands: { nodes: [] } } });

    const invited = await gqlOk<{ inviteMember: { token: string } }>(
      url,
      `mutation ($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { token } }`,
      { e: `invitee-${randomBytes(4).toString('hex')}@example.test` },
      token,
    );
    secrets.invitationToken = invited.inviteMember.token;
    const inviteePassword = secret('invitee-password');
    secrets.inviteePassword = inviteePassword;
    await gqlOk(url, `mutation ($t: String!, $p: String!) { acceptInvitation(input: { token: $t, password: $p, name: "Invitee" }) { role } }`, {
      t: invited.inviteMember.token,
      p: inviteePassword,
    });

    // Careless or hostile clients: credentials in a query string, a bogus bearer token, a bogus key.
    const queryStringPassword = secret('query-string-password');
    secrets.queryStringPassword = queryStringPassword;
    const viaGet = await fetch(
      `${url}?query=${encodeURIComponent(`mutation { login(input: { email: "${email}", password: "${queryStringPassword}" }) { accessToken } }`)}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(viaGet.status).toBeGreaterThanOrEqual(400);
    const bogusToken = secret('bogus-bearer');
    secrets.bogusToken = bogusToken;
    expect((await post(url, { query: '{ me { id } }' }, { authorization: `Bearer ${bogusToken}` })).status).toBe(401);
    const bogusKey = `umt_000000000000_${secret('bogus-key')}`;
    secrets.bogusKey = bogusKey;
    expect((await post(url, { query: '{ brands { nodes { id } } }' }, { 'x-api-key': bogusKey })).status).toBe(401);

    // A principal straight to a subgraph, as only the gateway sends them.
    const principal = principalCodec({ secret: secrets.PRINCIPAL_SECRET as string, acceptedSecrets: [] }, 60, 'brand').sign({ kind: 'gateway' });
    secrets.principal = principal;
    const direct = await post(`http://127.0.0.1:${ports.brand}/graphql`, { query: '{ _service { sdl } }' }, { [PRINCIPAL_HEADER]: principal });
    expect(direct.status).toBe(200);

    // One request with the client's own request id, which crosses into the auth and brand subgraphs.
    const requestId = `logs-test-${randomBytes(8).toString('hex')}`;
    const traced = await post(url, { query: '{ organization { name brands { nodes { id } } } }' }, { authorization: `Bearer ${token}`, 'x-request-id': requestId });
    expect(traced.headers.get('x-request-id')).toBe(requestId);
    expect(await traced.json()).toEqual({ data: { organization: { name: 'Logs Inc', brands: { nodes: [] } } } });
    // An id that is not a sane token is replaced by a fresh one.
    const insane = await post(url, { query: '{ __typename }' }, { 'x-request-id': `bad id ${'x'.repeat(200)}` });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // Stopping every process flushes its output and adds the shutdown lines.
    expect(await Promise.all(running.map((p) => p.stop()))).toEqual(running.map(() => 0));

    const lines: { process: string; text: string; json: LogLine | undefined }[] = [];
    for (const service of running) {
      for (const text of service.output().split('\n')) {
        if (text.trim() === '') continue;
        let json: LogLine | undefined;
        try {
          json = JSON.parse(text) as LogLine;
        } catch {
          json = undefined;
        }
        lines.push({ process: service.name, text, json });
      }
    }
    if (process.env.LOGS_TEST_PRINT) process.stderr.write(`${lines.map((l) => `[${l.process}] ${l.text}`).join('\n')}\n`);
    expect(lines.length).toBeGreaterThan(50); // debug level: plenty to read

    // Every line is a JSON object.
    expect(lines.filter((l) => typeof l.json !== 'object' || l.json === null).map((l) => `${l.process}: ${l.text}`)).toEqual([]);
    // ... with each key once: JSON.parse keeps the last of a repeated key, stricter log readers reject the line.
    const repeated = lines.filter((l) => {
      const keys = topLevelKeys(l.text);
      return new Set(keys).size !== keys.length;
    });
    expect(repeated.map((l) => `${l.process}: ${l.text.slice(0, 200)}`)).toEqual([]);

    // No line holds a secret, nor anything shaped like a JWT (access tokens and principals are JWTs).
    const leaks: string[] = [];
    for (const line of lines) {
      for (const [name, value] of Object.entries(secrets)) {
        if (line.text.includes(value)) leaks.push(`${name} in ${line.process}: ${line.text.slice(0, 300)}`);
      }
      if (/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\./.test(line.text)) leaks.push(`a JWT in ${line.process}: ${line.text.slice(0, 300)}`);
    }
    expect(leaks).toEqual([]);

    // Every line written for a request carries the trace it belongs to.
    const requestLines = lines.filter((l) => l.json?.reqId !== undefined);
    expect(requestLines.length).toBeGreaterThan(20);
    expect(
      requestLines
        .filter((l) => !/^[0-9a-f]{32}$/.test(String(l.json?.trace_id)) || !/^[0-9a-f]{16}$/.test(String(l.json?.span_id)))
        .map((l) => `${l.process}: ${l.text.slice(0, 300)}`),
    ).toEqual([]);
    // Lines outside any request or span have none.
    const listening = lines.find((l) => l.process === 'brand' && l.json?.msg === 'brand subgraph listening');
    expect(listening?.json).toBeDefined();
    expect(listening?.json?.trace_id).toBeUndefined();

    // The client's request id is on the gateway's lines and on the subgraphs' lines of that request, in one trace.
    const withId = requestLines.filter((l) => l.json?.reqId === requestId);
    const servicesWithId = new Set(withId.map((l) => l.process));
    expect(servicesWithId.has(gateway.name)).toBe(true);
    expect(servicesWithId.has('auth')).toBe(true);
    expect(servicesWithId.has('brand')).toBe(true);
    expect(new Set(withId.map((l) => l.json?.trace_id)).size).toBe(1);
  }, 180_000);
});
