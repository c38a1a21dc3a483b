import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '../src/index';
import { errorCodes, gql, gqlOk, PASSWORD, registerTenant, teamWithEveryRole } from '@umt/test-support';
import { startTestStack } from './support/stack';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  role: string;
}

const TOKENS = `accessToken refreshToken role`;

describe('sessions, verification, passwords, members and security events', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  const login = (email: string, password = PASSWORD, organizationId?: string) =>
    gql<{ login: Tokens }>(
      stack.url,
      `mutation ($i: LoginInput!) { login(input: $i) { ${TOKENS} } }`,
      { i: { email, password, ...(organizationId ? { organizationId } : {}) } },
    );
  const refresh = (refreshToken: string) =>
    gql<{ refreshSession: Tokens }>(stack.url, `mutation ($t: String!) { refreshSession(refreshToken: $t) { ${TOKENS} } }`, { t: refreshToken });
  const auditActions = async (token: string, action?: string) => {
    const data = await gqlOk<{ auditEvents: { nodes: { action: string; actorId: string | null; details: string }[] } }>(
      stack.url,
      `query ($a: String) { auditEvents(first: 100, action: $a) { nodes { action actorId details } } }`,
      { a: action ?? null },
      token,
    );
    return data.auditEvents.nodes;
  };

  it('verifies an email address with the token register returned (development only), once', async () => {
    const email = `verify-${Date.now()}@example.test`;
    const registered = await gqlOk<{ register: { accessToken: string; emailVerificationToken: string | null } }>(
      stack.url,
      `mutation ($i: RegisterInput!) { register(input: $i) { accessToken emailVerificationToken } }`,
      { i: { organizationName: 'Verify Co', name: 'V', email, password: PASSWORD } },
    );
    const token = registered.register.emailVerificationToken;
    expect(token).toEqual(expect.any(String));
    const me = () => gqlOk<{ me: { emailVerified: boolean } }>(stack.url, `{ me { emailVerified } }`, {}, registered.register.accessToken);
    expect((await me()).me.emailVerified).toBe(false);
    expect(await gqlOk(stack.url, `mutation ($t: String!) { verifyEmail(token: $t) }`, { t: token })).toEqual({ verifyEmail: true });
    expect((await me()).me.emailVerified).toBe(true);
    expect(errorCodes(await gql(stack.url, `mutation ($t: String!) { verifyEmail(token: $t) }`, { t: token }))).toEqual(['BAD_USER_INPUT']);
  });

  it('rotates refresh tokens, and a reused one revokes the whole session family', async () => {
    const tenant = await registerTenant(stack.url, 'Rotation Co');
    const first = (await login(tenant.email)).data!.login;
    const second = (await refresh(first.refreshToken)).data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const third = (await refresh(second.refreshToken)).data!.refreshSession;
    expect((await gql(stack.url, `{ me { id } }`, {}, third.accessToken)).errors).toBeUndefined();

    // An attacker replays the first token: refused, and the legitimate latest token dies with it.
    const replay = await refresh(first.refreshToken);
    expect(errorCodes(replay)).toEqual(['UNAUTHENTICATED']);
    expect(replay.errors?.[0]?.message).toMatch(/already used/);
    expect(errorCodes(await refresh(third.refreshToken))).toEqual(['UNAUTHENTICATED']);

    // Another login of the same user is a separate family and is untouched.
    const other = (await login(tenant.email)).data!.login;
    expect(errorCodes(await refresh(other.refreshToken))).toEqual([]);

    const reuse = await auditActions(tenant.token, 'session.refresh_reused');
    expect(reuse).toHaveLength(1);
    expect(reuse[0]!.actorId).toBe(tenant.userId);
  });

  it('logout ends the session its refresh token belongs to', async () => {
    const tenant = await registerTenant(stack.url);
    const session = (await login(tenant.email)).data!.login;
    expect(await gqlOk(stack.url, `mutation ($t: String!) { logout(refreshToken: $t) }`, { t: session.refreshToken })).toEqual({ logout: true });
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('changing the password ends every other session and only the new password logs in', async () => {
    const tenant = await registerTenant(stack.url);
    const mine = (await login(tenant.email)).data!.login;
    const elsewhere = (await login(tenant.email)).data!.login;
    const newPassword = 'an entirely new passphrase';
    await gqlOk(
      stack.url,
      `mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) }`,
      { c: PASSWORD, n: newPassword },
      mine.accessToken,
    );
    expect(errorCodes(await refresh(elsewhere.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await refresh(mine.refreshToken))).toEqual([]);
    expect(errorCodes(await login(tenant.email))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await login(tenant.email, newPassword))).toEqual([]);
    const wrong = await gql(
      stack.url,
      `mutation { changePassword(input: { currentPassword: "not it at all", newPassword: "whatever long enough" }) }`,
      {},
      mine.accessToken,
    );
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps an owner, lets only owners grant ownership, and applies role changes at the next refresh', async () => {
    const team = await teamWithEveryRole(stack.url, 'Roles Co');
    const change = (token: string, userId: string, role: string) =>
      gql(stack.url, `mutation ($u: ID!, $r: Role!) { changeMemberRole(input: { userId: $u, role: $r }) { role } }`, { u: userId, r: role }, token);

    expect(errorCodes(await change(team.tokens.OWNER, team.userIds.OWNER, 'ADMIN'))).toEqual(['CONFLICT']);
    expect(errorCodes(await change(team.tokens.ADMIN, team.userIds.VIEWER, 'OWNER'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change(team.tokens.ADMIN, team.userIds.OWNER, 'VIEWER'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(stack.url, `mutation ($u: ID!) { removeMember(userId: $u) }`, { u: team.userIds.OWNER }, team.tokens.OWNER))).toEqual([
      'CONFLICT',
    ]);

    // The viewer logs in, is promoted, and the next refresh carries the new role.
    const viewerEmail = await gqlOk<{ organization: { members: { role: string; user: { email: string } }[] } }>(
      stack.url,
      `{ organization { members { role user { email } } } }`,
      {},
      team.tokens.OWNER,
    ).then((d) => d.organization.members.find((m) => m.role === 'VIEWER')!.user.email);
    const viewerSession = (await login(viewerEmail)).data!.login;
    expect(viewerSession.role).toBe('VIEWER');
    expect(errorCodes(await change(team.tokens.OWNER, team.userIds.VIEWER, 'BRAND_MANAGER'))).toEqual([]);
    const promoted = (await refresh(viewerSession.refreshToken)).data!.refreshSession;
    expect(promoted.role).toBe('BRAND_MANAGER');
    expect(errorCodes(await gql(stack.url, `mutation { createBrand(input: { name: "Promoted" }) { id } }`, {}, promoted.accessToken))).toEqual([]);

    // A second owner makes it possible to step down.
    expect(errorCodes(await change(team.tokens.OWNER, team.userIds.ADMIN, 'OWNER'))).toEqual([]);
    expect(errorCodes(await change(team.tokens.OWNER, team.userIds.OWNER, 'ADMIN'))).toEqual([]);

    const changes = await auditActions(team.tokens.ADMIN, 'member.role_changed');
    expect(changes.map((e) => JSON.parse(e.details) as { from: string; to: string })).toEqual([
      { from: 'OWNER', to: 'ADMIN' },
      { from: 'ADMIN', to: 'OWNER' },
      { from: 'VIEWER', to: 'BRAND_MANAGER' },
    ]);
  });

  it('an invitation adds an existing account to a second organization, and login picks the organization', async () => {
    const first = await registerTenant(stack.url, 'First Org');
    const second = await registerTenant(stack.url, 'Second Org');
    const invited = await gqlOk<{ inviteMember: { token: string } }>(
      stack.url,
      `mutation ($e: String!) { inviteMember(input: { email: $e, role: CONTENT_CREATOR }) { token } }`,
      { e: first.email },
      second.token,
    );
    const wrongPassword = await gql(
      stack.url,
      `mutation ($t: String!) { acceptInvitation(input: { token: $t, password: "not the password" }) { role } }`,
      { t: invited.inviteMember.token },
    );
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    const accepted = await gqlOk<{ acceptInvitation: { role: string; organization: { id: string } } }>(
      stack.url,
      `mutation ($t: String!, $p: String!) { acceptInvitation(input: { token: $t, password: $p }) { role organization { id } } }`,
      { t: invited.inviteMember.token, p: PASSWORD },
    );
    expect(accepted.acceptInvitation).toEqual({ role: 'CONTENT_CREATOR', organization: { id: second.orgId } });
    expect((await login(first.email)).data!.login.role).toBe('OWNER');
    expect((await login(first.email, PASSWORD, second.orgId)).data!.login.role).toBe('CONTENT_CREATOR');
  });

  it('records logins and failed logins for the admins to list, newest first', async () => {
    const tenant = await registerTenant(stack.url, 'Audit Co');
    await login(tenant.email, 'definitely wrong');
    await login(tenant.email);
    const events = await auditActions(tenant.token);
    expect(events.slice(0, 3).map((e) => e.action)).toEqual(['login.succeeded', 'login.failed', 'organization.created']);
  });

  it('throttles failed logins per account, with a retry hint, without locking out other accounts', async () => {
    const victim = await registerTenant(stack.url);
    const bystander = await registerTenant(stack.url);
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await login(victim.email, `wrong ${i}`))).toEqual(['UNAUTHENTICATED']);
    const throttled = await login(victim.email);
    expect(errorCodes(throttled)).toEqual(['RATE_LIMITED']);
    expect(throttled.errors?.[0]?.extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    expect(errorCodes(await login(bystander.email))).toEqual([]);
  });

  // Last: it uses up this test client's address allowance.
  it('throttles failed logins per client address', async () => {
    const tenant = await registerTenant(stack.url);
    // Earlier tests in this file already spent part of the allowance (20 failures per 15 minutes).
    let failures = 0;
    while (failures <= 20 && errorCodes(await login(`nobody-${failures}-${Date.now()}@example.test`, 'wrong password'))[0] === 'UNAUTHENTICATED') {
      failures += 1;
    }
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThanOrEqual(20);
    expect(errorCodes(await login(tenant.email))).toEqual(['RATE_LIMITED']);
  });
});
