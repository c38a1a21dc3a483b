import { ADMINS, BRAND_EDITORS, can, EVERY_ROLE, type AccessPolicies } from '@umt/infra';

/** Who may use each root field (and read each sensitive field) of the auth subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  // Lookups of auth's entities, e.g. for Brand.organization { name }: auth's data, read with auth's scope.
  'Organization.__resolveReference': can.read('organization:read'),
  'User.__resolveReference': can.read('organization:read'),

  'Query.me': can.read(),
  'Query.organization': can.read('organization:read'),
  'Query.apiKeys': can.write(ADMINS),
  'Query.auditEvents': can.write(ADMINS),
  'Organization.pendingInvitations': can.write(ADMINS),
  'User.email': can.read(),

  'Mutation.register': can.anyone(),
  'Mutation.verifyEmail': can.anyone(),
  'Mutation.login': can.anyone(),
  'Mutation.refreshSession': can.anyone(),
  'Mutation.logout': can.anyone(),
  'Mutation.acceptInvitation': can.anyone(),
  'Mutation.changePassword': can.write(EVERY_ROLE),
  'Mutation.inviteMember': can.write(ADMINS),
  'Mutation.changeMemberRole': can.write(ADMINS),
  'Mutation.removeMember': can.write(ADMINS),
  'Mutation.createApiKey': can.write(ADMINS),
  'Mutation.revokeApiKey': can.write(ADMINS),

  // Platform connections: every member sees them (never their credentials); brand editors connect and disconnect.
  // API keys have no access: partners do not manage a brand's accounts.
  'Query.platformProviders': can.read(),
  'Query.platformConnections': can.read(),
  'Query.platformConnection': can.read(),
  'Mutation.startPlatformConnection': can.write(BRAND_EDITORS),
  'Mutation.completePlatformConnection': can.write(BRAND_EDITORS),
  'Mutation.connectPlatformWithApiKey': can.write(BRAND_EDITORS),
  'Mutation.checkPlatformConnection': can.write(BRAND_EDITORS),
  'Mutation.disconnectPlatform': can.write(BRAND_EDITORS),
};
