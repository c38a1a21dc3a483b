import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { gqlOk, registerTenant, createTestDatabase, type TestDatabase, startOtlpReceiver, freePort, ROOT, startProcess, startServices, waitReady, type ServiceProcess } from '@umt/test-support';

/** The README's graphql blocks, in order: what a newcomer pastes into Sandbox. */
function readmeOperations(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
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
    const receiver = await startOtlpReceiver();
    const common = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
      PRINCIPAL_SECRET: randomBytes(32).toString('hex'),
    };
    const { url, gateway, subgraphs } = await startServices(common, running);

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

    // Traces reached the OTLP endpoint from the gateway and from the subgraphs.
    const services = () => new Set(receiver.spans().map((span) => span.service));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(services().has('gateway') && services().has('brand'))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect([...services()]).toEqual(expect.arrayContaining(['gateway', 'brand']));

    // Graceful shutdown: every process exits 0 on SIGTERM.
    const codes = await Promise.all([gateway, ...subgraphs].map((p) => p.stop()));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    await receiver.close();
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
