/**
 * The organization's administration in the machine's Chromium against the stack: members (an invitation made on the
 * page and accepted in another browser, a role changed, a member removed, a VIEWER offered nothing to edit), API keys
 * (the secret shown once, then revoked), the audit events that recorded it, and dead letters (one produced through
 * the real event path, one recorded as a handler failure) replayed one by one and all at once, at phone size.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEnvelope, eventTables, recordDeadLetter, recordEvent } from '@umt/infra';
import { gqlOk, waitFor } from '@umt/test-support';
import type { Page } from 'playwright-core';
import { checkPage, logIn, newAccount, newPage, startWebHarness, type Account, type WebHarness } from './support';

describe('web app: members, API keys, audit events, dead letters', () => {
  let harness: WebHarness;
  let owner: Account;
  let ownerToken: string;
  let orgId: string;

  /** A member who joined through an invitation made and accepted over the API. */
  async function memberThroughApi(role: string, label: string): Promise<Account & { token: string; userId: string }> {
    const account = newAccount(label);
    const invited = await gqlOk<{ inviteMember: { token: string } }>(
      harness.stack.url,
      'mutation ($i: InviteMemberInput!) { inviteMember(input: $i) { token } }',
      { i: { email: account.email, role } },
      ownerToken,
    );
    const accepted = await gqlOk<{ acceptInvitation: { accessToken: string; user: { id: string } } }>(
      harness.stack.url,
      'mutation ($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken user { id } } }',
      { i: { token: invited.inviteMember.token, name: account.name, password: account.password } },
    );
    return { ...account, token: accepted.acceptInvitation.accessToken, userId: accepted.acceptInvitation.user.id };
  }

  const memberRow = (page: Page, email: string) => page.getByRole('table', { name: 'Current members' }).getByRole('row').filter({ hasText: email });

  beforeAll(async () => {
    harness = await startWebHarness();
    owner = newAccount('owner');
    const registered = await gqlOk<{ register: { accessToken: string; organization: { id: string } } }>(
      harness.stack.url,
      'mutation ($i: RegisterInput!) { register(input: $i) { accessToken organization { id } } }',
      { i: owner },
    );
    ownerToken = registered.register.accessToken;
    orgId = registered.register.organization.id;
  }, 90_000);

  afterAll(() => harness?.stop(), 60_000);

  it('members: an OWNER invites, the invitee joins in another browser and can edit nothing, is promoted; someone is removed', async () => {
    const leaver = await memberThroughApi('CONTENT_CREATOR', 'leaver');
    const { context, page } = await newPage(harness);
    await logIn(page, owner);
    await page.goto('/members');
    await memberRow(page, leaver.email).waitFor();
    await page.getByRole('heading', { name: 'Pending invitations' }).waitFor();
    await checkPage(page, 'admin-members');

    // Checked before sending; then the server's CONFLICT lands beside the email field.
    await page.getByRole('button', { name: 'Invite member' }).click();
    await page.getByText('Enter a valid email address.').waitFor();
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(leaver.email);
    await page.getByRole('button', { name: 'Invite member' }).click();
    await page.locator('[id$="-error"]').filter({ hasText: 'already a member' }).waitFor();

    const invitee = newAccount('viewer');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(invitee.email);
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const link = await page.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(new RegExp(`^${harness.origin}/accept-invitation\\?token=.+`));
    await page.getByRole('table', { name: 'Pending invitations' }).getByRole('row').filter({ hasText: invitee.email }).waitFor();
    await checkPage(page, 'admin-members-invited');

    // The invitee, in a browser of their own.
    const other = await newPage(harness);
    await other.page.goto(link);
    await other.page.getByLabel('Your name').fill(invitee.name);
    await other.page.getByRole('textbox', { name: 'Password' }).fill(invitee.password);
    await other.page.getByRole('button', { name: 'Join' }).click();
    await other.page.getByTestId('role').filter({ hasText: 'VIEWER' }).waitFor();
    // A VIEWER sees the members and nothing to change.
    await other.page.goto('/members');
    await memberRow(other.page, owner.email).waitFor();
    await memberRow(other.page, invitee.email).waitFor();
    expect(await other.page.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
    expect(await other.page.getByRole('button', { name: /^(Change role|Remove)/ }).count()).toBe(0);
    expect(await other.page.getByRole('heading', { name: 'Pending invitations' }).count()).toBe(0);
    await checkPage(other.page, 'admin-members-viewer');
    // The admin pages' URLs: a clear refusal, no crash.
    await other.page.goto('/api-keys');
    await other.page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await other.page.getByText('Not allowed').waitFor();
    expect(await other.page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    await checkPage(other.page, 'admin-not-allowed');
    for (const [path, title] of [['/audit', 'Audit events'], ['/dead-letters', 'Dead letters']] as const) {
      await other.page.goto(path);
      await other.page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await other.page.getByText('Not allowed').waitFor();
    }
    await other.context.close();

    // Promoted by the OWNER: the same role again is refused before sending.
    await page.reload();
    await memberRow(page, invitee.email).getByRole('button', { name: `Change role of ${invitee.name}` }).click();
    const changeDialog = page.getByRole('dialog', { name: `Change the role of ${invitee.name}` });
    await changeDialog.getByRole('button', { name: 'Save role' }).click();
    await changeDialog.getByText('already has this role').waitFor();
    await changeDialog.getByRole('combobox', { name: 'New role' }).selectOption('ADMIN');
    await changeDialog.getByRole('button', { name: 'Save role' }).click();
    await changeDialog.waitFor({ state: 'hidden' });
    await memberRow(page, invitee.email).getByTestId('member-role').filter({ hasText: 'Admin' }).waitFor();
    await page.getByTestId('status-message').filter({ hasText: `${invitee.name} is now Admin.` }).waitFor();

    // Removed, after a confirmation.
    await memberRow(page, leaver.email).getByRole('button', { name: `Remove ${leaver.name}` }).click();
    const removeDialog = page.getByRole('dialog', { name: `Remove ${leaver.name}?` });
    // Checked once the modal has finished fading in (a trial click waits until it stops moving).
    await removeDialog.getByRole('button', { name: 'Remove member' }).click({ trial: true });
    await checkPage(page, 'admin-members-remove');
    await removeDialog.getByRole('button', { name: 'Remove member' }).click();
    await removeDialog.waitFor({ state: 'hidden' });
    await memberRow(page, leaver.email).waitFor({ state: 'detached' });
    await page.getByTestId('status-message').filter({ hasText: `${leaver.name} is no longer a member.` }).waitFor();
    await context.close();
  }, 60_000);

  it('API keys: created and shown once, revoked; the audit events list the creation', async () => {
    const { context, page } = await newPage(harness);
    await logIn(page, owner);
    await page.goto('/api-keys');
    await page.getByText('No API keys yet.').waitFor();
    await checkPage(page, 'admin-api-keys-empty');

    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Name the key').waitFor();
    await page.getByText('Choose at least one scope.').waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Partner CMS');
    await page.getByRole('checkbox', { name: 'content:read' }).check();
    await page.getByRole('checkbox', { name: 'brands:read' }).check();
    const expiry = page.getByLabel('Expires on');
    await expiry.fill('2020-01-31');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Choose a day in the future.').waitFor();
    const nextYear = new Date().getFullYear() + 1;
    await expiry.fill(`${nextYear}-06-30`);
    await page.getByRole('button', { name: 'Create key' }).click();

    const dialog = page.getByRole('dialog', { name: 'Your new API key' });
    await dialog.waitFor();
    const key = await dialog.getByLabel(/^API key/).inputValue();
    expect(key).toMatch(/^umt_[0-9a-f]+_/);
    await dialog.getByText('it is shown only once').waitFor();
    await dialog.getByRole('button', { name: 'I have copied the key' }).click({ trial: true });
    await checkPage(page, 'admin-api-key-created');
    await dialog.getByRole('button', { name: 'I have copied the key' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The secret is nowhere on the page any more; the list shows the key by its prefix.
    const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'Partner CMS' });
    await row.getByText('Active').waitFor();
    await row.getByText(String(nextYear)).waitFor();
    const prefix = key.split('_').slice(0, 2).join('_');
    await row.getByText(prefix).waitFor();
    expect(await page.content()).not.toContain(key);
    await checkPage(page, 'admin-api-keys');

    await row.getByRole('button', { name: 'Revoke Partner CMS' }).click();
    const revokeDialog = page.getByRole('dialog', { name: 'Revoke the key Partner CMS?' });
    await revokeDialog.getByRole('button', { name: 'Revoke key' }).click();
    await revokeDialog.waitFor({ state: 'hidden' });
    await row.getByText('Revoked', { exact: true }).waitFor();
    await page.getByTestId('status-message').filter({ hasText: 'The key Partner CMS is revoked.' }).waitFor();
    expect(await row.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);

    // Pages of 20: the rest on demand.
    for (let i = 1; i <= 20; i += 1) {
      await gqlOk(harness.stack.url, 'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }', { i: { name: `Bulk ${i}`, scopes: ['brands:read'] } }, ownerToken);
    }
    await page.reload();
    const keyRows = page.getByRole('table', { name: 'API keys' }).getByTestId('api-key-row');
    await keyRows.nth(19).waitFor();
    expect(await keyRows.count()).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await keyRows.nth(20).waitFor();
    await row.waitFor();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    expect(await keyRows.count()).toBe(21);

    await page.getByRole('link', { name: 'Audit events' }).click();
    // Off the link: the navigation's hovered active link is the layout's business, not this page's.
    await page.mouse.move(600, 5);
    const events = page.getByRole('table', { name: 'Audit events' });
    await events.getByRole('row').filter({ hasText: 'apikey.revoked' }).waitFor();
    await page.getByRole('combobox', { name: 'Action', exact: true }).selectOption('apikey.created');
    await page.waitForURL(/action=apikey\.created/);
    const created = events.getByRole('row').filter({ hasText: 'apikey.created' });
    await created.filter({ hasText: 'name: Partner CMS' }).waitFor();
    await events.getByRole('row').filter({ hasText: 'apikey.revoked' }).waitFor({ state: 'detached' });
    await created.first().getByText(owner.name).waitFor();
    await checkPage(page, 'admin-audit');
    await context.close();
  }, 60_000);

  it('dead letters, as an ADMIN on a phone: listed per service, replayed one by one and all at once, with the outcome', async () => {
    const admin = await memberThroughApi('ADMIN', 'admin');
    // An event strategy (and auth) must refuse: brand.created without its name, published through brand's outbox
    // and the stack's own transport, as a faulty publisher would.
    const invalidId = await harness.stack.database
      .forSchema<Record<string, never>>('brand')
      .db.transaction()
      .execute(async (trx) => (await recordEvent(trx, { type: 'brand.created', source: 'brand', orgId, data: { brandId: randomUUID(), website: null, industry: null } })).id);
    // And a valid event whose handler failed (say, during an outage) until it gave up: replaying it applies it.
    const valid = createEnvelope({ type: 'brand.created', source: 'brand', orgId, data: { brandId: randomUUID(), name: 'Replayed Brand', website: null, industry: null } });
    const failedAt = new Date().toISOString();
    await recordDeadLetter(eventTables(harness.stack.database.forSchema('strategy').db), {
      envelope: valid,
      body: JSON.stringify(valid),
      routingKey: valid.type,
      reason: 'handler_failed',
      error: 'Error: connection terminated unexpectedly',
      attempts: 5,
      firstFailedAt: failedAt,
      lastFailedAt: failedAt,
    });
    await waitFor(
      'the invalid event in strategy’s dead letters',
      async () =>
        (
          await gqlOk<{ strategyDeadLetters: { nodes: { eventId: string }[] } }>(harness.stack.url, '{ strategyDeadLetters { nodes { eventId } } }', {}, admin.token)
        ).strategyDeadLetters.nodes.some((letter) => letter.eventId === invalidId),
      15_000,
      100,
    );

    const { context, page } = await newPage(harness, 'phone');
    await logIn(page, admin);
    // An ADMIN is offered nothing that touches the OWNER.
    await page.goto('/members');
    await memberRow(page, owner.email).waitFor();
    expect(await memberRow(page, owner.email).getByRole('button').count()).toBe(0);
    expect(await page.getByRole('combobox', { name: 'Role', exact: true }).locator('option').allTextContents()).not.toContain('Owner');
    await checkPage(page, 'admin-members-phone');

    await page.goto('/dead-letters');
    await page.getByRole('tab', { name: 'Strategy' }).click();
    const table = page.getByRole('table', { name: 'Strategy dead letters' });
    const replayInvalid = table.getByRole('button', { name: `Replay brand.created event ${invalidId.slice(0, 8)}` });
    await replayInvalid.waitFor();
    await table.getByRole('button', { name: `Replay brand.created event ${valid.id.slice(0, 8)}` }).waitFor();
    await checkPage(page, 'admin-dead-letters-phone');

    await table.getByRole('button', { name: `Details of brand.created event ${invalidId.slice(0, 8)}` }).click();
    const details = page.getByRole('dialog', { name: 'Strategy: brand.created' });
    await details.getByText(invalidId, { exact: true }).waitFor();
    await details.getByText('Invalid payload', { exact: true }).waitFor();
    await details.getByRole('button', { name: 'Close' }).click();
    await details.waitFor({ state: 'hidden' });

    // Still invalid: the replay fails and says why.
    await replayInvalid.click();
    const outcome = page.getByTestId('replay-outcome');
    await outcome.filter({ hasText: 'Replay failed' }).filter({ hasText: 'data.name' }).waitFor();

    // Replay all: the valid one is applied, the invalid one fails again and stays.
    await page.getByRole('button', { name: 'Replay all' }).click();
    await outcome.filter({ hasText: '1 applied, 0 already processed, 1 failed' }).waitFor();
    await table.getByRole('button', { name: `Replay brand.created event ${valid.id.slice(0, 8)}` }).waitFor({ state: 'detached' });
    await replayInvalid.waitFor();
    await checkPage(page, 'admin-dead-letters-replayed');
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('REPLAYED');
    await table.getByRole('button', { name: `Details of brand.created event ${valid.id.slice(0, 8)}` }).waitFor();
    expect(await table.getByRole('button', { name: /^Replay brand/ }).count()).toBe(0);

    // The auth subgraph consumes brand.created too: its tab has the invalid event.
    await page.getByRole('tab', { name: 'Auth' }).click();
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('PENDING');
    await page.getByRole('table', { name: 'Auth dead letters' }).getByRole('button', { name: `Replay brand.created event ${invalidId.slice(0, 8)}` }).waitFor();
    await context.close();
  }, 60_000);
});
