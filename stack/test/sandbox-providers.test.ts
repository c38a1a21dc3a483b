/**
 * Sandbox mode, as `npm start -- --sandbox` runs it, on the embedded defaults (PGlite, in-process bus): the stack
 * starts the fake providers itself, every provider is connectable and marked sandbox, and a person can go through a
 * whole OAuth2 connection and an API-key connection with no real account.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gql, gqlOk, registerTenant, teamWithEveryRole } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

describe('sandbox providers (npm start -- --sandbox)', () => {
  let stack: Stack;
  let token: string;
  let brandId: string;

  beforeAll(async () => {
    // Without the web app (a folder with no build), so that the gateway's own callback page answers; with the app, the
    // page hands over to it (web/auth-pages.test.ts).
    stack = await startTestStack({ database: 'pglite', env: { INTEGRATIONS_SANDBOX: 'true', REFERENCE_WAIT_MS: '300', WEB_APP_DIR: mkdtempSync(join(tmpdir(), 'umt-no-web-')) } });
    token = (await registerTenant(stack.url, 'Sandbox Co')).token;
    brandId = (await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Try" }) { id } }`, {}, token)).createBrand.id;
  }, 60_000);

  afterAll(() => stack?.stop(), 30_000);

  it('offers every provider, configured and marked sandbox', async () => {
    const { platformProviders } = await gqlOk<{ platformProviders: { provider: string; configured: boolean; sandbox: boolean }[] }>(
      stack.url,
      `{ platformProviders { provider configured sandbox } }`,
      {},
      token,
    );
    expect(platformProviders.map((p) => p.provider).sort()).toEqual(['FACEBOOK', 'GOOGLE_ADS', 'LINKEDIN', 'MAILCHIMP', 'META_ADS', 'WORDPRESS', 'X']);
    for (const provider of platformProviders) expect(provider).toMatchObject({ configured: true, sandbox: true });
  });

  it('connects a sandbox LinkedIn account through the consent redirect, and a sandbox WordPress site with a password', async () => {
    const started = await gqlOk<{ startPlatformConnection: { authorizationUrl: string } }>(
      stack.url,
      `mutation ($b: ID!) { startPlatformConnection(input: { brandId: $b, provider: LINKEDIN }) { authorizationUrl } }`,
      { b: brandId },
      token,
    );
    const consent = await fetch(started.startPlatformConnection.authorizationUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    expect(back.pathname).toBe('/integrations/oauth/callback');
    // The gateway's page there hands the code and state over, escaped.
    const page = await fetch(new URL(`/integrations/oauth/callback${back.search}`, stack.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(back.searchParams.get('state'));
    const hostile = await fetch(new URL(`/integrations/oauth/callback?state=s&code=${encodeURIComponent('<script>x</script>')}`, stack.url));
    expect(await hostile.text()).not.toContain('<script>x');
    const done = await gqlOk<{ completePlatformConnection: { provider: string; sandbox: boolean; health: string; accountName: string } }>(
      stack.url,
      `mutation ($s: String!, $c: String!) { completePlatformConnection(input: { state: $s, code: $c }) { provider sandbox health accountName } }`,
      { s: back.searchParams.get('state'), c: back.searchParams.get('code') },
      token,
    );
    expect(done.completePlatformConnection).toMatchObject({ provider: 'LINKEDIN', sandbox: true, health: 'HEALTHY' });

    const wordpress = stack.sandbox!.providers.wordpress;
    const credentials = wordpress.credentials ?? {};
    const site = await gqlOk<{ connectPlatformWithApiKey: { provider: string; sandbox: boolean; health: string } }>(
      stack.url,
      `mutation ($i: ConnectPlatformWithApiKeyInput!) { connectPlatformWithApiKey(input: $i) { provider sandbox health } }`,
      { i: { brandId, provider: 'WORDPRESS', secret: credentials.secret, username: credentials.username, siteUrl: credentials.siteUrl ?? wordpress.server.url } },
      token,
    );
    expect(site.connectPlatformWithApiKey).toMatchObject({ provider: 'WORDPRESS', sandbox: true, health: 'HEALTHY' });

    const listed = await gqlOk<{ platformConnections: { nodes: { provider: string }[] } }>(stack.url, `{ platformConnections(first: 10) { nodes { provider } } }`, {}, token);
    expect(listed.platformConnections.nodes.map((n) => n.provider).sort()).toEqual(['LINKEDIN', 'WORDPRESS']);
  });

  it("keeps each organization's connections to itself", async () => {
    const mine = await gqlOk<{ platformConnections: { nodes: { id: string }[] } }>(stack.url, `{ platformConnections { nodes { id } } }`, {}, token);
    const someoneId = mine.platformConnections.nodes[0]!.id;
    const other = (await registerTenant(stack.url, 'Other Co')).token;
    const theirs = await gqlOk<{ platformConnections: { nodes: unknown[] } }>(stack.url, `{ platformConnections { nodes { id } } }`, {}, other);
    expect(theirs.platformConnections.nodes).toHaveLength(0);
    const probe = await gql(stack.url, `mutation ($id: ID!) { checkPlatformConnection(id: $id) { id } }`, { id: someoneId }, other);
    expect(probe.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const disconnect = await gql(stack.url, `mutation ($id: ID!) { disconnectPlatform(id: $id) }`, { id: someoneId }, other);
    expect(disconnect.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignBrand = await gql(stack.url, `mutation ($b: ID!) { startPlatformConnection(input: { brandId: $b, provider: X }) { state } }`, { b: brandId }, other);
    expect(foreignBrand.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'brandId' });
  });

  it('lets every member see connections and only brand editors change them', async () => {
    const team = await teamWithEveryRole(stack.url, 'Roles Co');
    const viewer = team.tokens.VIEWER;
    const seen = await gql(stack.url, `{ platformConnections { nodes { id } } }`, {}, viewer);
    expect(seen.errors).toBeUndefined();
    const start = await gql(stack.url, `mutation ($b: ID!) { startPlatformConnection(input: { brandId: $b, provider: X }) { state } }`, { b: brandId }, viewer);
    expect(start.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
