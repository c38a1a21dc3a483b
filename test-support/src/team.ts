import { ROLES, type Role } from '@umt/infra';
import { gqlOk, PASSWORD, registerTenant, type Tenant } from './graphql';

export interface Team {
  owner: Tenant;
  orgId: string;
  /** An access token per role, each held by a different member. */
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
}

let counter = 0;

/** An organization with one member of every role, made the way a user would: invitations accepted. */
export async function teamWithEveryRole(url: string, name = `Team ${++counter}`): Promise<Team> {
  const owner = await registerTenant(url, name);
  const tokens = { OWNER: owner.token } as Record<Role, string>;
  const userIds = { OWNER: owner.userId } as Record<Role, string>;
  for (const role of ROLES.filter((r) => r !== 'OWNER')) {
    const email = `${role.toLowerCase()}-${process.pid}-${Date.now()}-${++counter}@example.test`;
    const invited = await gqlOk<{ inviteMember: { token: string } }>(
      url,
      `mutation ($email: String!, $role: Role!) { inviteMember(input: { email: $email, role: $role }) { token } }`,
      { email, role },
      owner.token,
    );
    const accepted = await gqlOk<{ acceptInvitation: { accessToken: string; user: { id: string }; role: Role } }>(
      url,
      `mutation ($token: String!, $password: String!) { acceptInvitation(input: { token: $token, name: "Member", password: $password }) { accessToken role user { id } } }`,
      { token: invited.inviteMember.token, password: PASSWORD },
    );
    tokens[role] = accepted.acceptInvitation.accessToken;
    userIds[role] = accepted.acceptInvitation.user.id;
  }
  return { owner, orgId: owner.orgId, tokens, userIds };
}
