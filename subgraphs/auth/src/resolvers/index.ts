import type { Connections } from '../agent/connections';
import type { SessionSettings } from '../identity/sessions';
import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { ApiKey, apiKeyMutations, apiKeyQueries } from './api-keys';
import { AuditEvent, auditQueries } from './audit-events';
import { connectionResolvers } from './connections';
import { Invitation, memberMutations } from './members';
import { Organization, organizationQueries } from './organization';
import { sessionMutations } from './session';
import { Membership, User, userQueries } from './user';

export function createResolvers(settings: SessionSettings & { exposeTokens: boolean }, connections: Connections): Resolvers<Context> {
  const platform = connectionResolvers(connections);
  return {
    Query: { ...userQueries, ...organizationQueries, ...apiKeyQueries, ...auditQueries, ...platform.queries },
    Mutation: { ...sessionMutations(settings), ...memberMutations(settings), ...apiKeyMutations, ...platform.mutations },
    PlatformConnection: platform.PlatformConnection,
    Organization,
    User,
    Membership,
    Invitation,
    ApiKey,
    AuditEvent,
  };
}
