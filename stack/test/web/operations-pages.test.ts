/**
 * The operations pages in the machine's Chromium, against the stack in sandbox mode (the fake providers): a sandbox X
 * account connected through the platform's consent page and the callback route, a Mailchimp account with an API key
 * and its disconnection, an AI generation followed to its result (the offline generator), the admin's usage and
 * budget, the circuit monitoring dashboard watching X's breaker open while X fails and close once it recovers, what a
 * VIEWER is not offered, and a page at phone size.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gqlOk } from '@umt/test-support';
import type { BrowserContext, Page } from 'playwright-core';
import { type Account, checkPage, logIn, newAccount, newPage, startSandboxHarness, type WebHarness } from './support';

describe('web app: platform connections, AI jobs, circuit monitoring', () => {
  let harness: WebHarness;
  let owner: Account;
  let viewer: Account;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startSandboxHarness({ REFERENCE_WAIT_MS: '1000' });

    owner = newAccount('ops');
    const registered = await gqlOk<{ register: { accessToken: string } }>(harness.stack.url, 'mutation ($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: owner });
    const token = registered.register.accessToken;
    await gqlOk(harness.stack.url, 'mutation { createBrand(input: { name: "Acme Outdoors", voice: "warm, plain-spoken" }) { id } }', {}, token);

    viewer = { ...newAccount('viewer'), organizationName: owner.organizationName };
    const invited = await gqlOk<{ inviteMember: { token: string } }>(
      harness.stack.url,
      'mutation ($email: String!) { inviteMember(input: { email: $email, role: VIEWER }) { token } }',
      { email: viewer.email },
      token,
    );
    await gqlOk(harness.stack.url, 'mutation ($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken } }', {
      i: { token: invited.inviteMember.token, name: viewer.name, password: viewer.password },
    });

    ({ context, page } = await newPage(harness));
    await logIn(page, owner);
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await harness?.stop();
  }, 60_000);

  /** A link of the app's navigation (the home page links the sections too). */
  const nav = (on: Page, name: string) => on.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

  /** The page checks, with the pointer off the link just clicked (its hover colour is not the page's). */
  const check = async (on: Page, name: string) => {
    await on.mouse.move(1, 1);
    await checkPage(on, name);
  };

  /** How many pixels the page is wider than the screen (the wide table scrolls inside its own region instead). */
  const overflowing = (on: Page) => on.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

  const connectionsTable = () => page.getByRole('table', { name: 'Platform connections of Acme Outdoors' });

  it('connects a sandbox X account through the consent page and the callback route', async () => {
    await nav(page, 'Platform connections').click();
    await page.getByRole('heading', { level: 1, name: 'Platform connections' }).waitFor();
    await page.getByText('Acme Outdoors has no connected account yet.').waitFor();
    await expect(page.getByLabel('Brand').inputValue()).resolves.not.toBe('');

    // Connect: the browser goes to the (fake) platform's consent page, which sends it straight back through the
    // gateway's callback to /connections/callback, where the page completes the connection with the session.
    await page.getByRole('button', { name: 'Connect X' }).click();
    await page.waitForURL(/\/connections\/callback\?/);
    await page.getByText('Account connected').waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/X account .* \(sandbox\) is connected\. Health: Healthy/);
    await check(page, 'operations-connection-callback');

    // A code and state this service never issued: the page says so, and the way back stays.
    await page.goto('/connections/callback?state=not-issued&code=nothing');
    await page.getByRole('alert').filter({ hasText: 'The account was not connected' }).waitFor();
    await page.goto('/connections/callback?error=access_denied&error_description=The+user+refused');
    await page.getByRole('alert').filter({ hasText: 'access_denied: The user refused' }).waitFor();

    await page.getByRole('link', { name: 'Back to platform connections' }).click();
    const row = connectionsTable().getByRole('row').filter({ has: page.getByText('X', { exact: true }) });
    await row.getByText('Healthy').waitFor();
  });

  it('connects Mailchimp with an API key (refusing a wrong key), then disconnects it after confirming', async () => {
    await page.getByRole('button', { name: 'Connect Mailchimp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect Mailchimp for Acme Outdoors' });
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.getByText('Enter the API key.').waitFor();

    await dialog.getByLabel('API key').fill('wrong-key-us1');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.getByRole('alert').waitFor();

    await dialog.getByLabel('API key').fill(harness.stack.sandbox!.providers.mailchimp.credentials?.secret ?? '');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = connectionsTable().getByRole('row').filter({ hasText: 'Mailchimp' });
    await row.getByText('Healthy').waitFor();
    await check(page, 'operations-connections');

    await row.getByRole('button', { name: /^Disconnect/ }).click();
    const confirm = page.getByRole('dialog', { name: /^Disconnect the Mailchimp account/ });
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await row.waitFor({ state: 'detached' });
    await connectionsTable().getByRole('row').filter({ hasText: 'Sandbox' }).first().waitFor();
  });

  it("shows X's breaker open on the monitoring page while X fails, and closed again once it recovers", async () => {
    await nav(page, 'Circuit monitoring').click();
    await page.getByRole('heading', { level: 2, name: 'gateway' }).waitFor();
    await page.getByRole('group', { name: 'platform:x (auth): Closed' }).waitFor();
    await check(page, 'operations-monitoring');

    const x = harness.stack.sandbox!.providers.x;
    x.server.fault({ kind: 'fail', status: 503, pathPrefix: '/2/users/me' });
    try {
      const open = page.getByRole('group', { name: 'platform:x (auth): Open' });
      await open.waitFor({ timeout: 20_000 });
      expect(await open.getAttribute('data-state')).toBe('OPEN');
      await expect(open.getByTestId('breaker-state').textContent()).resolves.toBe('Open');
    } finally {
      x.server.reset();
    }
    // Once the open period ends, the next check probes X, succeeds, and closes the breaker.
    await page.getByRole('group', { name: 'platform:x (auth): Closed' }).waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('updated-at').textContent()).resolves.toMatch(/Updated at \S/);

    // Paused, the page stops asking.
    await page.getByRole('switch', { name: 'Pause live updates' }).check();
    await page.getByTestId('updated-at').filter({ hasText: 'Paused' }).waitFor();
    let polls = 0;
    page.on('request', (request) => {
      if ((request.postData() ?? '').includes('WebOpsCircuitBreakers')) polls += 1;
    });
    await page.waitForTimeout(2_500);
    expect(polls).toBe(0);
    await page.getByRole('switch', { name: 'Pause live updates' }).uncheck();
  }, 60_000);

  it('starts an AI generation, checking the form first and placing the server\'s field errors, and follows it to its result', async () => {
    await nav(page, 'AI jobs').click();
    await page.getByRole('heading', { level: 2, name: 'Start a content generation' }).waitFor();
    await page.getByRole('button', { name: 'Start generation' }).click();
    await page.locator('[id$="-error"]').filter({ hasText: 'Brand name is required.' }).waitFor();
    await page.locator('[id$="-error"]').filter({ hasText: 'Choose a channel.' }).waitFor();

    await page.getByLabel('Brand name').fill('Acme Outdoors');
    await page.getByLabel('Channel').selectOption('LINKEDIN');
    await page.getByLabel('Brief').fill('Announce the spring range of waterproof jackets to hikers.');
    await page.getByLabel('Keywords').fill('spring, waterproof');
    await page.getByLabel('Words to avoid').fill('cheap');

    // A field error from the server (`input.channel`) lands beside the Channel field.
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('WebOpsStartGeneration')) return route.continue();
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'input.channel: Invalid option', extensions: { code: 'BAD_USER_INPUT', field: 'input.channel' } }], data: null }),
      });
    });
    await page.getByRole('button', { name: 'Start generation' }).click();
    const channelError = page.locator('[id$="-error"]').filter({ hasText: 'input.channel: Invalid option' });
    await channelError.waitFor();
    const described = await page.getByLabel('Channel').getAttribute('aria-describedby');
    expect(described).toContain(await channelError.getAttribute('id'));
    await page.unroute('**/graphql');

    await page.getByRole('button', { name: 'Start generation' }).click();
    const job = page.getByRole('article', { name: 'LinkedIn content for Acme Outdoors' }).first();
    await job.waitFor();
    await job.getByText('Succeeded').waitFor({ timeout: 30_000 });
    const progress = job.getByRole('progressbar', { name: 'Progress of LinkedIn content for Acme Outdoors' });
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    await job.getByText('Offline', { exact: true }).waitFor();
    expect((await job.getByTestId('result-body').textContent())?.length).toBeGreaterThan(20);
    await check(page, 'operations-ai');
  }, 60_000);

  it("shows an admin this month's usage and sets the monthly budget", async () => {
    await page.getByRole('heading', { level: 2, name: 'AI usage this month' }).waitFor();
    const budget = page.getByTestId('ai-budget');
    await budget.getByText(/Spent \$/).waitFor();
    await page.getByLabel('Monthly limit (US dollars)').fill('12.5');
    await page.getByLabel('Warning at (percent)').fill('75');
    await page.getByRole('button', { name: 'Save budget' }).click();
    await budget.getByText('of $12.50 a month (warning at 75%)').waitFor();
    await expect(budget.textContent()).resolves.not.toContain('platform default');
    await page.getByLabel('Monthly limit (US dollars)').fill('');
    await page.getByRole('button', { name: 'Save budget' }).click();
    await page.locator('[id$="-error"]').filter({ hasText: 'Enter the monthly limit in dollars' }).waitFor();
  });

  it('offers a VIEWER no connect, disconnect, start or monitoring controls', async () => {
    const viewerPage = await newPage(harness);
    try {
      const p = viewerPage.page;
      await logIn(p, viewer);
      await expect(nav(p, 'Circuit monitoring').count()).resolves.toBe(0);
      await nav(p, 'Platform connections').click();
      await p.getByRole('table', { name: 'Platform connections of Acme Outdoors' }).getByText('Healthy').first().waitFor();
      await p.getByText('Your role can see the connections but not change them').waitFor();
      await expect(p.getByRole('button', { name: /^Connect / }).count()).resolves.toBe(0);
      await expect(p.getByRole('button', { name: /^(Disconnect|Check now)/ }).count()).resolves.toBe(0);

      await nav(p, 'AI jobs').click();
      await p.getByRole('article', { name: 'LinkedIn content for Acme Outdoors' }).first().waitFor();
      await p.getByText('Your role can follow the generations but not start them').waitFor();
      await expect(p.getByRole('button', { name: 'Start generation' }).count()).resolves.toBe(0);
      await expect(p.getByRole('heading', { name: 'AI usage this month' }).count()).resolves.toBe(0);
      await check(p, 'operations-ai-viewer');

      await p.goto('/monitoring');
      await p.getByText('Not available to your role').waitFor();
    } finally {
      await viewerPage.context.close();
    }
  });

  it('fits a phone: the monitoring dashboard at 390 px', async () => {
    const phone = await newPage(harness, 'phone');
    try {
      await logIn(phone.page, owner);
      await phone.page.goto('/monitoring');
      await phone.page.getByRole('group', { name: 'platform:x (auth): Closed' }).waitFor();
      await check(phone.page, 'operations-monitoring-phone');
      await expect(overflowing(phone.page)).resolves.toBeLessThanOrEqual(0);
      await phone.page.goto('/connections');
      await phone.page.getByRole('region', { name: 'Platform connections of Acme Outdoors' }).waitFor();
      await check(phone.page, 'operations-connections-phone');
      await expect(overflowing(phone.page)).resolves.toBeLessThanOrEqual(0);
    } finally {
      await phone.context.close();
    }
  });
});
