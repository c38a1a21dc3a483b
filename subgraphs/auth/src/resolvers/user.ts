import { currentUser, viewer } from '@umt/infra';
import type { Context } from '../context';
import type { UserRow } from '../db/schema';
import type { MembershipResolvers, QueryResolvers, UserResolvers } from '../generated/graphql';

export const USER_COLUMNS = ['users.id', 'users.email', 'users.name', 'users.emailVerifiedAt', 'users.createdAt'] as const;

/** A user is visible to callers of an organization the user belongs to. */
export function loadUser(ctx: Context, id: string): Promise<UserRow | null> {
  const { orgId } = viewer(ctx);
  return ctx.loaders
    .byId('User', (ids) =>
      ctx.db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.userId', 'users.id')
        .select(USER_COLUMNS)
        .where('users.id', 'in', ids)
        .where('memberships.orgId', '=', orgId)
        .execute(),
    )
    .load(id);
}

export const userQueries: Pick<QueryResolvers<Context>, 'me'> = {
  async me(_parent, _args, ctx) {
    const user = await loadUser(ctx, currentUser(ctx).userId);
    if (!user) throw new Error('the caller no longer exists');
    return user;
  },
};

export const User: UserResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadUser(ctx, reference.id),
  emailVerified: (user) => user.emailVerifiedAt !== null,
};

export const Membership: MembershipResolvers<Context> = {
  user: async (membership, _args, ctx) => {
    const user = await loadUser(ctx, membership.userId);
    if (!user) throw new Error(`member ${membership.userId} has no user row`);
    return user;
  },
  joinedAt: (membership) => membership.createdAt,
};
