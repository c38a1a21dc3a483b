/**
 * The web app under a gateway that runs only the persisted-query manifest for browsers
 * (PERSISTED_QUERIES_USERS=safelist): every operation the app sends is in the manifest, sent by its id, so a person
 * signs up and works as usual, while free query text from the same origin is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { navigate, newAccount, newPage, signUpThroughPage, startWebHarness, type WebHarness } from './support';

describe('the web app with a safelist for browsers', () => {
  let harness: WebHarness;

  beforeAll(async () => {
    harness = await startWebHarness({ env: { PERSISTED_QUERIES_USERS: 'safelist' } });
  }, 90_000);

  afterAll(() => harness?.stop(), 60_000);

  it('signs up and creates a brand with operations sent by id, while free text is refused', async () => {
    const free = await fetch(`${harness.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(free.status).toBe(400);
    expect(JSON.stringify(await free.json())).toContain('PERSISTED_QUERY_ID_REQUIRED');

    const { context, page } = await newPage(harness);
    const sentText: string[] = [];
    page.on('request', (request) => {
      const body = request.postData();
      if (request.url().endsWith('/graphql') && body && (JSON.parse(body) as { query?: string }).query) sentText.push(body);
    });
    const account = newAccount('safelist');
    await signUpThroughPage(page, account);
    await navigate(page, 'Brands & projects');
    await page.getByRole('button', { name: 'New brand' }).click();
    await page.getByLabel('Brand name').fill('Listed Coffee');
    await page.getByRole('button', { name: 'Create brand' }).click();
    await page.getByRole('heading', { level: 1, name: 'Listed Coffee' }).waitFor();
    expect(sentText).toEqual([]);
    await context.close();
  });
});
