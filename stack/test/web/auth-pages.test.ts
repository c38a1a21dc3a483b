/**
 * The web app's way in, in the machine's Chromium against the stack: sign up (the form checks before sending, the
 * server's coded errors land next to their field), verify the email, log out and in again, the session surviving a
 * reload and its access token renewed before it expires, and an invitation accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkPage, logIn, newAccount, newPage, registerThroughApi, startWebHarness, type WebHarness } from './support';

describe('web app: sign up, log in, verify, invitations', () => {
  let harness: WebHarness;

  beforeAll(async () => {
    // Access tokens live 20 s here, so the page must renew one while the test watches.
    harness = await startWebHarness({ env: { AUTH_TOKEN_TTL_SECONDS: '20' } });
  }, 90_000);

  afterAll(() => harness?.stop(), 60_000);

  it('serves the app at / and hands the page its configuration', async () => {
    const page = await fetch(`${harness.origin}/brands`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    const config = await fetch(`${harness.origin}/app-config.json`);
    expect(await config.json()).toEqual({ otlpTracesEndpoint: null, serviceName: 'web' });
    // The gateway's own paths stay its own.
    expect((await fetch(`${harness.origin}/nope.json`)).status).toBe(404);
    // A platform's consent redirect lands on the gateway's callback, which hands code and state to the app's page.
    const callback = await fetch(`${harness.origin}/integrations/oauth/callback?code=c%3C1&state=s2`, { redirect: 'manual' });
    expect([callback.status, callback.headers.get('location')]).toEqual([302, '/connections/callback?code=c%3C1&state=s2']);
  });

  it('signs up, checking the form first and showing the server\'s error beside its field', async () => {
    const { context, page } = await newPage(harness);
    const account = newAccount('signup');
    await page.goto('/signup');
    await checkPage(page, 'signup');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('Organization name is required.').waitFor();
    await page.getByText('Use at least 10 characters.').waitFor();

    // An email already taken: the server's CONFLICT on `email` shows beside the email field.
    const taken = newAccount('taken');
    await registerThroughApi(harness, taken);
    await page.getByLabel('Organization name').fill(account.organizationName);
    await page.getByLabel('Your name').fill(account.name);
    await page.getByLabel('Email').fill(taken.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(account.password);
    await page.getByRole('button', { name: 'Create organization' }).click();
    const emailError = page.locator('[id$="-error"]').filter({ hasText: /email/i });
    await emailError.first().waitFor();

    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('link', { name: 'Verify my email address' }).click();
    await page.getByText('Your email address is verified').waitFor();
    await page.getByRole('link', { name: 'Go to the app' }).click();
    await page.getByTestId('role').filter({ hasText: 'OWNER' }).waitFor();
    await checkPage(page, 'home');
    await context.close();
  });

  it('logs out and in, keeps the session across a reload, and renews the access token before it expires', async () => {
    const account = newAccount('login');
    await registerThroughApi(harness, account);
    const { context, page } = await newPage(harness);
    await page.goto('/');
    await page.waitForURL(/\/login\?next=/);
    await checkPage(page, 'login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await logIn(page, account);

    const renewals: string[] = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (body.includes('WebRefreshSession')) renewals.push(request.url());
    });
    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    // A 20 s token is renewed about 4 s before it expires, with no request of the person's needed.
    const deadline = Date.now() + 25_000;
    while (renewals.length === 0 && Date.now() < deadline) await page.waitForTimeout(250);
    expect(renewals.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto('/');
    await page.waitForURL(/\/login\?next=/);
    await context.close();
  }, 60_000);

  it('works from the keyboard: the login form by Tab and Enter, then the skip link to the page\'s content', async () => {
    const account = newAccount('keys');
    await registerThroughApi(harness, account);
    const { context, page } = await newPage(harness);
    const focused = () => page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.labels?.[0]?.textContent ?? document.activeElement?.textContent ?? ''");
    await page.goto('/login');
    // Tab reaches the email field (after the sign-up link), then the password, skipping the visibility toggle.
    for (let i = 0; i < 5 && !(await focused()).startsWith('Email'); i += 1) await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^Email/);
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^Password/);
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Log out' }).waitFor();

    // The first Tab on a page of the app offers the skip link; Enter moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('main');
    await context.close();
  });
});
