/**
 * The workspace pages in the machine's Chromium against the stack: a brand created (the form checks before sending,
 * a duplicate name refused beside its field), a project and a calendar entry on the brand's page, the entry on
 * /calendar, content written for the project and a publication scheduled for it; lists paged with "Load more" and a
 * failed load retried; a VIEWER sees every list and no way to change anything; the brand's page on a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gqlOk } from '@umt/test-support';
import type { BrowserContext, Page } from 'playwright-core';
import { type Account, checkPage, logIn, navigate, newAccount, newPage, registerThroughApi, startWebHarness, type WebHarness } from './support';

const pad = (n: number) => String(n).padStart(2, '0');
/** A value for an `<input type="datetime-local">`, `days` from now at `hour` local time. */
function localDateTime(days: number, hour: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:30`;
}

describe('web app: brands, projects, calendar, content, publications', () => {
  let harness: WebHarness;
  let owner: Account;
  let ownerToken: string;
  let context: BrowserContext;
  let page: Page;
  let brandId = '';
  const brand = 'Northwind Coffee';
  const project = 'Spring launch';
  const entry = 'Launch teaser on LinkedIn';
  const content = 'Spring is brewing';

  beforeAll(async () => {
    harness = await startWebHarness();
    owner = newAccount('workspace');
    await registerThroughApi(harness, owner);
    const login = await gqlOk<{ login: { accessToken: string } }>(harness.stack.url, 'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }', {
      i: { email: owner.email, password: owner.password },
    });
    ownerToken = login.login.accessToken;
    ({ context, page } = await newPage(harness));
    // Dialogs open without their transition, so that the checks see them as they end up.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await logIn(page, owner);
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await harness?.stop();
  }, 60_000);

  const api = <T>(query: string, variables: Record<string, unknown> = {}, token = ownerToken) => gqlOk<T>(harness.stack.url, query, variables, token);

  it('creates a brand, refusing an incomplete form and a taken name beside their fields', async () => {
    await navigate(page, 'Brands & projects');
    await page.getByRole('heading', { level: 1, name: 'Brands' }).waitFor();
    await page.getByText('No brands yet').waitFor();
    await checkPage(page, 'workspace-brands-empty');

    await page.getByRole('button', { name: 'New brand' }).click();
    const dialog = page.getByRole('dialog', { name: 'New brand' });
    await dialog.getByRole('button', { name: 'Create brand' }).click();
    await dialog.getByText('Brand name is required.').waitFor();
    await dialog.getByLabel('Website').fill('northwind.example');
    await dialog.getByRole('button', { name: 'Create brand' }).click();
    await dialog.getByText('Enter a full address').waitFor();
    await checkPage(page, 'workspace-new-brand-dialog');

    await dialog.getByLabel('Brand name').fill(brand);
    await dialog.getByLabel('Website').fill('https://northwind.example');
    await dialog.getByLabel('Industry').fill('Coffee roasting');
    await dialog.getByLabel('Voice').fill('Warm, plain-spoken, no jargon.');
    await dialog.getByRole('button', { name: 'Create brand' }).click();
    await page.waitForURL(/\/brands\/[0-9a-f-]{36}$/);
    brandId = page.url().split('/').pop() ?? '';
    await page.getByRole('heading', { level: 1, name: brand }).waitFor();
    await page.getByText('Warm, plain-spoken, no jargon.').waitFor();

    // The same name again: the server's CONFLICT on `name` lands under the name field.
    await page.goto('/brands');
    await page.getByRole('table', { name: 'Brands' }).getByRole('link', { name: brand }).waitFor();
    await page.getByRole('button', { name: 'New brand' }).click();
    await dialog.getByLabel('Brand name').fill(brand);
    await dialog.getByRole('button', { name: 'Create brand' }).click();
    const nameError = dialog.locator('[id$="-error"]').filter({ hasText: 'already exists' });
    await nameError.waitFor();
    const nameInput = dialog.getByLabel('Brand name');
    expect(await nameInput.getAttribute('aria-invalid')).toBe('true');
    expect(await nameInput.getAttribute('aria-describedby')).toContain(await nameError.getAttribute('id'));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('adds a project and plans a calendar entry on the brand\'s page, and shows the entry on /calendar', async () => {
    await page.getByRole('table', { name: 'Brands' }).getByRole('link', { name: brand }).click();
    await page.getByRole('heading', { level: 2, name: 'Projects' }).waitFor();
    await page.getByText('No projects yet').waitFor();

    await page.getByRole('button', { name: 'New project' }).click();
    const projectDialog = page.getByRole('dialog', { name: 'New project' });
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await projectDialog.getByText('Project name is required.').waitFor();
    await projectDialog.getByLabel('Project name').fill(project);
    await projectDialog.getByLabel('Project type').selectOption({ label: 'Email' });
    await projectDialog.getByLabel('Due date').fill('2031-03-20');
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await projectDialog.waitFor({ state: 'detached' });
    const projects = page.getByRole('table', { name: 'Projects' });
    await projects.getByRole('cell', { name: project, exact: true }).waitFor();
    await projects.getByRole('cell', { name: 'Email', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Plan an entry' }).click();
    const entryDialog = page.getByRole('dialog', { name: 'Plan an entry' });
    await entryDialog.getByLabel('Channel').selectOption({ label: 'LinkedIn' });
    await entryDialog.getByRole('button', { name: 'Plan entry' }).click();
    await entryDialog.getByText('Entry title is required.').waitFor();
    await entryDialog.getByLabel('Entry title').fill(entry);
    await entryDialog.getByLabel('Scheduled time').fill(localDateTime(3, 9));
    await entryDialog.getByLabel('Notes').fill('Tease the spring blend.');
    await entryDialog.getByRole('button', { name: 'Plan entry' }).click();
    await entryDialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Calendar entries' }).getByText(entry).waitFor();
    await checkPage(page, 'workspace-brand');

    await navigate(page, 'Calendar');
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    await page.waitForURL(new RegExp(`/calendar\\?brand=${brandId}`));
    const brandSelect = page.getByRole('combobox', { name: 'Brand', exact: true });
    await brandSelect.locator(`option[value="${brandId}"]`).waitFor({ state: 'attached' });
    expect(await brandSelect.inputValue()).toBe(brandId);
    await page.getByRole('listitem').filter({ hasText: entry }).getByText('LinkedIn', { exact: true }).waitFor();
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await checkPage(page, 'workspace-calendar');
  });

  it('writes content for the project and schedules its publication', async () => {
    await navigate(page, 'Content');
    await page.getByRole('heading', { level: 1, name: 'Content' }).waitFor();
    await page.getByText('No content yet').waitFor();
    await page.getByRole('button', { name: 'New content' }).click();
    const contentDialog = page.getByRole('dialog', { name: 'New content' });
    await contentDialog.getByRole('button', { name: 'Create content' }).click();
    await contentDialog.getByText('Choose a project.').waitFor();
    await contentDialog.getByRole('combobox', { name: 'Brand', exact: true }).selectOption({ label: brand });
    await contentDialog.getByRole('combobox', { name: 'Project', exact: true }).selectOption({ label: project });
    await contentDialog.getByLabel('Channel').selectOption({ label: 'Email' });
    await contentDialog.getByLabel('Content title').fill(content);
    await contentDialog.getByLabel('Body').fill('Our spring blend is here: bright, floral, and roasted this week.');
    await contentDialog.getByRole('button', { name: 'Create content' }).click();
    await contentDialog.waitFor({ state: 'detached' });
    const contents = page.getByRole('table', { name: 'Content' });
    await contents.getByText(content).waitFor();
    await contents.getByRole('link', { name: brand }).waitFor();
    await checkPage(page, 'workspace-content');

    await navigate(page, 'Publications');
    await page.getByText('Nothing scheduled yet').waitFor();
    await page.getByRole('button', { name: 'Schedule a publication' }).click();
    const publishDialog = page.getByRole('dialog', { name: 'Schedule a publication' });
    await publishDialog.getByRole('combobox', { name: 'Content', exact: true }).selectOption({ label: `${content} (Email)` });
    // A time in the past is refused before anything is sent.
    await publishDialog.getByLabel('Publication time').fill(localDateTime(-1, 9));
    await publishDialog.getByRole('button', { name: 'Schedule publication' }).click();
    await publishDialog.getByText('Publication time must not be in the past.').waitFor();
    expect(await publishDialog.getByLabel('Channel').inputValue()).toBe('EMAIL');
    await publishDialog.getByLabel('Publication time').fill(localDateTime(5, 8));
    await publishDialog.getByRole('button', { name: 'Schedule publication' }).click();
    await publishDialog.waitFor({ state: 'detached' });
    const publications = page.getByRole('table', { name: 'Publications' });
    await publications.getByRole('cell', { name: content, exact: true }).waitFor();
    await publications.getByText('Scheduled', { exact: true }).waitFor();
    await checkPage(page, 'workspace-publications');
  });

  it('pages through brands and a brand\'s projects with "Load more", and retries a list that failed to load', async () => {
    for (let i = 1; i <= 21; i += 1) {
      await api('mutation ($i: CreateBrandInput!) { createBrand(input: $i) { id } }', { i: { name: `Paged brand ${pad(i)}` } });
      await api('mutation ($i: CreateProjectInput!) { createProject(input: $i) { id } }', { i: { brandId, name: `Paged project ${pad(i)}`, type: 'BLOG' } });
    }
    await page.goto('/brands');
    const brands = page.getByRole('table', { name: 'Brands' });
    await brands.getByRole('link', { name: 'Paged brand 19' }).waitFor();
    expect(await brands.getByRole('row').count()).toBe(1 + 20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await brands.getByRole('link', { name: 'Paged brand 21' }).waitFor();
    expect(await brands.getByRole('row').count()).toBe(1 + 22);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.goto(`/brands/${brandId}`);
    const projects = page.getByRole('table', { name: 'Projects' });
    await projects.getByRole('cell', { name: 'Paged project 19', exact: true }).waitFor();
    expect(await projects.getByRole('row').count()).toBe(1 + 20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await projects.getByRole('cell', { name: 'Paged project 21', exact: true }).waitFor();
    expect(await projects.getByRole('row').count()).toBe(1 + 22);

    // The first request for the publications fails: the page says so and offers to try again.
    let failed = false;
    await page.route('**/graphql', async (route) => {
      if (!failed && (route.request().postData() ?? '').includes('WebWsPublications')) {
        failed = true;
        await route.abort('connectionrefused');
      } else {
        await route.fallback();
      }
    });
    await page.goto('/publications');
    await page.getByRole('alert').filter({ hasText: 'Could not load this' }).waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('table', { name: 'Publications' }).getByRole('cell', { name: content, exact: true }).waitFor();
    await page.unroute('**/graphql');
  });

  it('shows a VIEWER every list and no way to change anything', async () => {
    const viewer = newAccount('viewer');
    const invited = await api<{ inviteMember: { token: string } }>('mutation ($i: InviteMemberInput!) { inviteMember(input: $i) { token } }', { i: { email: viewer.email, role: 'VIEWER' } });
    await gqlOk(harness.stack.url, 'mutation ($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken } }', {
      i: { token: invited.inviteMember.token, name: viewer.name, password: viewer.password },
    });
    const { context: viewerContext, page: viewerPage } = await newPage(harness);
    try {
      await logIn(viewerPage, viewer);
      await viewerPage.getByTestId('role').filter({ hasText: 'VIEWER' }).waitFor();

      await viewerPage.goto('/brands');
      await viewerPage.getByRole('table', { name: 'Brands' }).getByRole('link', { name: brand }).click();
      await viewerPage.getByRole('table', { name: 'Projects' }).getByRole('cell', { name: project, exact: true }).waitFor();
      await viewerPage.getByRole('table', { name: 'Calendar entries' }).getByText(entry).waitFor();
      await checkPage(viewerPage, 'workspace-brand-viewer');

      await viewerPage.goto(`/calendar?brand=${brandId}`);
      await viewerPage.getByRole('listitem').filter({ hasText: entry }).waitFor();

      await viewerPage.goto('/content');
      await viewerPage.getByRole('table', { name: 'Content' }).getByText(content).waitFor();

      await viewerPage.goto('/publications');
      await viewerPage.getByRole('table', { name: 'Publications' }).getByRole('cell', { name: content, exact: true }).waitFor();

      // Nothing on any of these pages offers a change (checked on each, now that each has shown its data).
      for (const path of ['/brands', `/brands/${brandId}`, `/calendar?brand=${brandId}`, '/content', '/publications']) {
        await viewerPage.goto(path);
        await viewerPage.getByRole('heading', { level: 1 }).waitFor();
        await viewerPage.waitForLoadState('networkidle');
        for (const name of ['New brand', 'New project', 'Plan an entry', 'New content', 'Schedule a publication']) {
          expect(await viewerPage.getByRole('button', { name }).count()).toBe(0);
        }
                expect(await viewerPage.locator('form').count()).toBe(0);
      }
    } finally {
      await viewerContext.close();
    }
  });

  it('fits a phone: the brand\'s page and its "New project" form at 390 px', async () => {
    const { context: phoneContext, page: phone } = await newPage(harness, 'phone');
    await phone.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await logIn(phone, owner);
      await phone.goto(`/brands/${brandId}`);
      await phone.getByRole('heading', { level: 1, name: brand }).waitFor();
      await phone.getByRole('table', { name: 'Projects' }).getByRole('cell', { name: project, exact: true }).waitFor();
      await checkPage(phone, 'workspace-brand-phone');
      expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      await phone.getByRole('button', { name: 'New project' }).click();
      const dialog = phone.getByRole('dialog', { name: 'New project' });
      await dialog.getByLabel('Project name').waitFor();
      await checkPage(phone, 'workspace-new-project-phone');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await phoneContext.close();
    }
  });
});
