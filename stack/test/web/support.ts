/**
 * What the browser tests share: the stack with the built web app (served by the gateway at `/`), the machine's
 * Chromium, sign-up through the API for tests that start past it, and the page checks every test makes.
 */
import { expect } from '@jest/globals';
import { gqlOk } from '@umt/test-support';
import { accessibilityProblems, launchBrowser, screenshot } from '@umt/test-support/src/browser';
import type { xFake } from '@umt/fakes';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Stack } from '../../src/index';
import { startTestStack, type TestStackOptions } from '../support/stack';

export interface WebHarness {
  stack: Stack;
  browser: Browser;
  /** The app's origin, e.g. http://127.0.0.1:53121 */
  origin: string;
  stop(): Promise<void>;
}

export async function startWebHarness(options: TestStackOptions = {}): Promise<WebHarness> {
  // WEB_APP_DIR: a build of the app elsewhere than web/dist (e.g. while web/dist is being rebuilt).
  const webAppDir = process.env.WEB_APP_DIR;
  const stack = await startTestStack({ ...options, env: { ...(webAppDir ? { WEB_APP_DIR: webAppDir } : {}), ...options.env } });
  try {
    const browser = await launchBrowser();
    return {
      stack,
      browser,
      origin: new URL(stack.url).origin,
      async stop() {
        await browser.close().catch(() => undefined);
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/**
 * A stack with sandbox providers whose breakers can be watched: connections are checked every second, so a failing
 * platform trips its breaker without anyone clicking, and the platform breakers decide on a short window and re-close
 * soon after the platform recovers. X's identity-call limit (75 a quarter hour) is lifted for those checks.
 */
export async function startSandboxHarness(env: Record<string, string> = {}): Promise<WebHarness> {
  const harness = await startWebHarness({
    env: {
      INTEGRATIONS_SANDBOX: 'true',
      CONNECTION_SCAN_SECONDS: '1',
      CONNECTION_CHECK_INTERVAL_SECONDS: '1',
      BREAKER_OVERRIDES: JSON.stringify({ 'platform:*': { minimumCalls: 3, windowMs: 8_000, openMs: 3_000 } }),
      ...env,
    },
  });
  (harness.stack.sandbox!.providers.x as ReturnType<typeof xFake>).limits['GET /2/users/me'] = 100_000;
  return harness;
}

export interface Account {
  email: string;
  password: string;
  name: string;
  organizationName: string;
}

let accounts = 0;

/** A new person's details, unique in the run. */
export function newAccount(label = 'owner'): Account {
  accounts += 1;
  const tag = `${Date.now().toString(36)}${accounts}`;
  return { email: `${label}-${tag}@example.test`, password: 'correct horse battery staple', name: `Ada ${label}`, organizationName: `Org ${tag}` };
}

/** Registers through the API (the sign-up page has its own test). */
export async function registerThroughApi(harness: WebHarness, account: Account): Promise<void> {
  await gqlOk(harness.stack.url, 'mutation ($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: account });
}

/** A phone-sized or desktop page in a fresh context (cookies and storage of its own). */
export async function newPage(harness: WebHarness, viewport: 'desktop' | 'phone' = 'desktop'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await harness.browser.newContext({
    baseURL: harness.origin,
    viewport: viewport === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    // No transitions: what axe checks is the finished page, not a dialog halfway faded in.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Logs in through the login page and waits for the app's shell. */
export async function logIn(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Opens a section from the app's navigation (the home page links the sections too), the pointer then moved away. */
export async function navigate(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await page.mouse.move(1, 1);
}

/** Signs up on the sign-up page and continues into the app as the new organization's OWNER. */
export async function signUpThroughPage(page: Page, account: Account): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Organization name').fill(account.organizationName);
  await page.getByLabel('Your name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(account.password);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('button', { name: 'Continue to the app' }).click();
  await page.getByTestId('role').filter({ hasText: 'OWNER' }).waitFor();
}

/** The checks every page gets: no serious or critical accessibility violation, and a screenshot for the artifacts. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await screenshot(page, name);
  expect(await accessibilityProblems(page)).toEqual([]);
}
