import { viewer } from '@umt/infra';
import type { Context } from '../context';
import type { OrganizationRow } from '../db/schema';
import type { OrganizationResolvers, QueryResolvers } from '../generated/graphql';
import { pendingInvitations } from './members';

/** The caller's own organization; other organizations do not exist as far as the caller can tell. */
function loadOrganization(ctx: Context, id: string): Promise<OrganizationRow | null> {
  const { orgId } = viewer(ctx);
  return ctx.loaders
    .byId('Organization', (ids) => ctx.db.selectFrom('organizations').selectAll().where('id', 'in', ids).where('id', '=', orgId).execute())
    .load(id);
}

export const organizationQueries: Pick<QueryResolvers<Context>, 'organization'> = {
  async organization(_parent, _args, ctx) {
    const organization = await loadOrganization(ctx, viewer(ctx).orgId);
    if (!organization) throw new Error('the caller’s organization no longer exists');
    return organization;
  },
};

export const Organization: OrganizationResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadOrganization(ctx, reference.id),
  members: (organization, _args, ctx) =>
    ctx.db
      .selectFrom('memberships')
      .selectAll()
      .where('orgId', '=', organization.id)
      .where('orgId', '=', viewer(ctx).orgId)
      .orderBy('createdAt')
      .execute(),
  pendingInvitations: (organization, _args, ctx) => pendingInvitations(ctx, organization.id),
};
