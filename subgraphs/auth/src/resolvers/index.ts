import type { SessionSettings } from '../identity/sessions';
import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { ApiKey, apiKeyMutations, apiKeyQueries } from './api-keys';
import { AuditEvent, auditQueries } from './audit-events';
import { Invitation, memberMutations } from './members';
import { Organization, organizationQueries } from './organization';
import { sessionMutations } from './session';
import { Membership, User, userQueries } from './user';

export function createResolvers(settings: SessionSettings & { exposeTokens: boolean }): Resolvers<Context> {
  return {
    Query: { ...userQueries, ...organizationQueries, ...apiKeyQueries, ...auditQueries },
    Mutation: { ...sessionMutations(settings), ...memberMutations(settings), ...apiKeyMutations },
    Organization,
    User,
    Membership,
    Invitation,
    ApiKey,
    AuditEvent,
  };
}
