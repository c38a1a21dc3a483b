/**
 * A marketing team's first day, in the machine's Chromium through the real gateway (stack on PostgreSQL, sandbox
 * providers): sign up → create a brand and a project → plan a calendar entry → connect a sandbox X account → see X's
 * breaker open on the monitoring dashboard while X fails, and close again → invite a VIEWER, who logs in and finds no
 * edit controls → replay a dead letter.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEnvelope, eventTables, recordDeadLetter } from '@umt/infra';
import type { BrowserContext, Page } from 'playwright-core';
import { checkPage, navigate, newAccount, newPage, signUpThroughPage, startSandboxHarness, type WebHarness } from './support';

describe('a team goes from sign-up to a replayed dead letter in the web app', () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  const owner = newAccount('flow');
  const viewer = newAccount('viewer');

  const go = (name: string) => navigate(page, name);

  beforeAll(async () => {
    harness = await startSandboxHarness();
    ({ context, page } = await newPage(harness));
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await harness?.stop();
  }, 60_000);

  it('signs up', async () => {
    await signUpThroughPage(page, owner);
  });

  it('creates a brand and a project, and plans a calendar entry', async () => {
    await go('Brands & projects');
    await page.getByRole('button', { name: 'New brand' }).click();
    await page.getByLabel('Brand name').fill('Acme Coffee');
    await page.getByLabel('Website').fill('https://acme-coffee.example');
    await page.getByRole('button', { name: 'Create brand' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Coffee' }).waitFor();

    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('Project name').fill('Spring launch');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('table', { name: 'Projects' }).getByRole('cell', { name: 'Spring launch', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Plan an entry' }).click();
    await page.getByLabel('Entry title').fill('Announce the spring blend');
    await page.getByRole('button', { name: 'Plan entry' }).click();
    await page.getByRole('table', { name: 'Calendar entries' }).getByRole('cell', { name: 'Announce the spring blend', exact: true }).waitFor();
    await page.mouse.move(1, 1);
    await checkPage(page, 'flow-brand');
  });

  it('connects a sandbox X account, and watches its breaker open while X fails and close once it recovers', async () => {
    await go('Platform connections');
    await page.getByRole('button', { name: 'Connect X' }).click();
    await page.waitForURL(/\/connections\/callback\?/);
    await page.getByText('Account connected').waitFor();
    await page.getByRole('link', { name: 'Back to platform connections' }).click();
    await page.getByRole('table', { name: 'Platform connections of Acme Coffee' }).getByText('Healthy').first().waitFor();

    await go('Circuit monitoring');
    await page.getByRole('group', { name: 'platform:x (auth): Closed' }).waitFor();
    const x = harness.stack.sandbox!.providers.x;
    x.server.fault({ kind: 'fail', status: 503, pathPrefix: '/2/users/me' });
    try {
      await page.getByRole('group', { name: 'platform:x (auth): Open' }).waitFor({ timeout: 25_000 });
      await checkPage(page, 'flow-monitoring-open');
    } finally {
      x.server.reset();
    }
    await page.getByRole('group', { name: 'platform:x (auth): Closed' }).waitFor({ timeout: 25_000 });
  }, 90_000);

  it('invites a VIEWER, who logs in and finds no edit controls', async () => {
    await go('Members');
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const link = await page.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(/\/accept-invitation\?token=/);

    const other = await newPage(harness);
    try {
      const guest = other.page;
      await guest.goto(link);
      await guest.getByLabel('Your name').fill(viewer.name);
      await guest.getByRole('textbox', { name: 'Password' }).fill(viewer.password);
      await guest.getByRole('button', { name: 'Join' }).click();
      await guest.getByTestId('role').filter({ hasText: 'VIEWER' }).waitFor();
      // Logged out and in again, as a person would the next day.
      await guest.getByRole('button', { name: 'Log out' }).click();
      await guest.waitForURL(/\/login/);
      await guest.getByLabel('Email').fill(viewer.email);
      await guest.getByRole('textbox', { name: 'Password' }).fill(viewer.password);
      await guest.getByRole('button', { name: 'Log in' }).click();
      await guest.getByTestId('role').filter({ hasText: 'VIEWER' }).waitFor();

      const nav = guest.getByRole('navigation', { name: 'Main' });
      for (const adminOnly of ['API keys', 'Audit events', 'Dead letters', 'Circuit monitoring']) {
        expect(await nav.getByRole('link', { name: adminOnly }).count()).toBe(0);
      }
      const editControls = /^(New brand|New project|Plan an entry|New content|Schedule a publication|Start generation|Invite member|Connect .+|Disconnect.*|Change role of .+|Remove .+)$/;
      for (const [section, loaded] of [
        ['Brands & projects', 'Acme Coffee'],
        ['Calendar', 'Announce the spring blend'],
        ['Content', null],
        ['Publications', null],
        ['AI jobs', null],
        ['Platform connections', null],
        ['Members', owner.name],
      ] as const) {
        await nav.getByRole('link', { name: section }).click();
        await guest.getByRole('heading', { level: 1 }).waitFor();
        if (loaded) await guest.getByText(loaded).first().waitFor();
        await guest.waitForLoadState('networkidle');
        expect([section, await guest.getByRole('button', { name: editControls }).count()]).toEqual([section, 0]);
      }
      await guest.mouse.move(1, 1);
      await checkPage(guest, 'flow-viewer-members');
    } finally {
      await other.context.close();
    }
  }, 90_000);

  it('replays a dead letter', async () => {
    // A brand.created that strategy's handler gave up on (say, during an outage): its replay applies it.
    const orgId = await page.evaluate<string>("JSON.parse(localStorage.getItem('umt.session') ?? '{}').organization?.id ?? ''");
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
    const envelope = createEnvelope({ type: 'brand.created', source: 'brand', orgId, data: { brandId: randomUUID(), name: 'Recovered Brand', website: null, industry: null } });
    const failedAt = new Date().toISOString();
    await recordDeadLetter(eventTables(harness.stack.database.forSchema('strategy').db), {
      envelope,
      body: JSON.stringify(envelope),
      routingKey: envelope.type,
      reason: 'handler_failed',
      error: 'Error: connection terminated unexpectedly',
      attempts: 5,
      firstFailedAt: failedAt,
      lastFailedAt: failedAt,
    });

    await go('Dead letters');
    await page.getByRole('tab', { name: 'Strategy' }).click();
    await page.getByRole('button', { name: `Replay brand.created event ${envelope.id.slice(0, 8)}` }).click();
    await page.getByTestId('replay-outcome').filter({ hasText: /applied/i }).waitFor();
    await page.mouse.move(1, 1);
    await checkPage(page, 'flow-dead-letters');
  });
});
