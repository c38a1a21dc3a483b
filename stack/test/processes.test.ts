import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SUBGRAPHS, subgraphUrlVariable } from '@umt/infra';
import { gqlOk, registerTenant } from './support/graphql';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { freePort, ROOT, startProcess, waitReady, type ServiceProcess } from './support/processes';

/** The README's graphql blocks, in order: what a newcomer pastes into Sandbox. */
function readmeOperations(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** A minimal OTLP/HTTP receiver: counts export requests and keeps their bodies. */
function otlpReceiver(): Promise<{ server: Server; port: number; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (request.url === '/v1/traces') bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, bodies })));
}

describe('services as real processes', () => {
  const running: ServiceProcess[] = [];
  let database: TestDatabase | undefined;
  let pgliteDir: string | undefined;

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await database?.drop();
    if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  });

  it('six processes on PostgreSQL and Redis serve the graph, export traces, and shut down cleanly', async () => {
    database = await createTestDatabase();
    const receiver = await otlpReceiver();
    const common = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
      PRINCIPAL_SECRET: randomBytes(32).toString('hex'),
    };
    const urls: Record<string, string> = {};
    const subgraphs: ServiceProcess[] = [];
    for (const { name } of SUBGRAPHS) {
      const port = await freePort();
      const service = startProcess(name, `subgraphs/${name}/dist/main.js`, { ...common, PORT: String(port) });
      running.push(service);
      subgraphs.push(service);
      urls[subgraphUrlVariable(name)] = `http://127.0.0.1:${port}/graphql`;
    }
    await Promise.all(subgraphs.map((s, i) => waitReady(urls[subgraphUrlVariable(SUBGRAPHS[i]!.name)]!.replace('/graphql', '/health/ready'), s)));
    const gatewayPort = await freePort();
    const gateway = startProcess('gateway', 'gateway/dist/main.js', { ...common, ...urls, PORT: String(gatewayPort) });
    running.push(gateway);
    const url = `http://127.0.0.1:${gatewayPort}/graphql`;
    await waitReady(`http://127.0.0.1:${gatewayPort}/health/ready`, gateway);

    const tenant = await registerTenant(url, 'Processes Inc');
    await gqlOk(url, `mutation { createBrand(input: { name: "Standalone" }) { id } }`, {}, tenant.token);
    const data = await gqlOk(url, `{ organization { name brands { nodes { name organization { name } } } } }`, {}, tenant.token);
    expect(data).toEqual({ organization: { name: 'Processes Inc', brands: { nodes: [{ name: 'Standalone', organization: { name: 'Processes Inc' } }] } } });

    // Rows are in the real database, in each subgraph's own schema.
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const rows = await client.query<{ name: string }>('select name from brand.brands');
    const orgs = await client.query<{ name: string }>('select name from auth.organizations');
    await client.end();
    expect(rows.rows).toEqual([{ name: 'Standalone' }]);
    expect(orgs.rows).toEqual([{ name: 'Processes Inc' }]);

    // Traces reached the OTLP endpoint from the gateway and from the subgraphs (service names travel as plain bytes).
    const deadline = Date.now() + 10_000;
    const exported = () => Buffer.concat(receiver.bodies).toString('latin1');
    while (Date.now() < deadline && !(exported().includes('gateway') && exported().includes('brand'))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(exported()).toContain('gateway');
    expect(exported()).toContain('brand');

    // Graceful shutdown: every process exits 0 on SIGTERM.
    const codes = await Promise.all([gateway, ...subgraphs].map((p) => p.stop()));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    receiver.server.close();
  });

  it('`npm start` (the one-process stack on PGlite) serves the README’s first queries', async () => {
    pgliteDir = mkdtempSync(join(tmpdir(), 'umt-start-'));
    const port = await freePort();
    // The stack's subgraphs take the five ports after the gateway's.
    const stack = startProcess('stack', 'stack/dist/main.js', { PGLITE_DIR: pgliteDir, PORT: String(port), LOG_LEVEL: 'warn' });
    running.push(stack);
    const url = `http://127.0.0.1:${port}/graphql`;
    await waitReady(`http://127.0.0.1:${port}/health/ready`, stack, 60_000);
    expect(stack.output()).toContain(`Apollo Sandbox: ${url}`);

    const [register, setup, overview] = readmeOperations();
    const registered = await gqlOk<{ register: { accessToken: string } }>(url, register ?? '');
    const token = registered.register.accessToken;
    await gqlOk(url, setup ?? '', {}, token);
    const data = await gqlOk<{ organization: { name: string; brands: { nodes: { name: string }[] } } }>(url, overview ?? '', {}, token);
    expect(data.organization.name).toBe('Acme');
    expect(data.organization.brands.nodes.map((b) => b.name)).toEqual(['Acme Coffee']);

    const landing = await fetch(url, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('sandbox');

    expect(await stack.stop()).toBe(0);
  });
});
