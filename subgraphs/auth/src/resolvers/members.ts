import { conflict, refuse, unlessRefused, currentUser, fields, graphError, notFound, ROLES, validate, viewer } from '@umt/infra';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { audit } from '../identity/audit';
import { hashPassword, verifyPassword } from '../identity/passwords';
import { issueSession, type SessionSettings } from '../identity/sessions';
import { hashToken, newToken } from '../identity/tokens';
import type { Context } from '../context';
import type { DB } from '../db/schema';
import type { InvitationResolvers, MutationResolvers } from '../generated/graphql';
import { password } from './session';
import { loadUser, USER_COLUMNS } from './user';

const INVITATION_TTL_DAYS = 7;

const InviteMemberInput = z.object({ email: fields.email(), role: z.enum(ROLES) });
const AcceptInvitationInput = z.object({
  token: z.string().min(1, 'must not be empty').max(200, 'is not a token this API issued'),
  name: fields.name(120).nullish(),
  password: z.string().max(200, 'must be at most 200 characters'),
});
const ChangeMemberRoleInput = z.object({ userId: fields.id(), role: z.enum(ROLES) });

const ownerOnly = () => graphError('FORBIDDEN', 'Only an OWNER may grant, change or remove the OWNER role.');
const lastOwner = () => conflict('An organization must keep at least one OWNER; make someone else OWNER first.');

/** The target's membership and how many owners the organization has, locked against concurrent role changes. */
async function membershipForChange(db: Kysely<DB>, orgId: string, userId: string) {
  const owners = await db.selectFrom('memberships').select('userId').where('orgId', '=', orgId).where('role', '=', 'OWNER').forUpdate().execute();
  const target = await db
    .selectFrom('memberships')
    .selectAll()
    .where('orgId', '=', orgId)
    .where('userId', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  return { target, ownerCount: owners.length };
}

function callerIsOwner(ctx: Context): boolean {
  return currentUser(ctx).roles.includes('OWNER');
}

export function memberMutations(
  settings: SessionSettings & { exposeTokens: boolean },
): Pick<MutationResolvers<Context>, 'inviteMember' | 'acceptInvitation' | 'changeMemberRole' | 'removeMember'> {
  return {
    async inviteMember(_parent, args, ctx) {
      const caller = currentUser(ctx);
      const input = validate(InviteMemberInput, args.input);
      if (input.role === 'OWNER' && !callerIsOwner(ctx)) throw ownerOnly();
      const token = newToken();
      const invitation = await ctx.db.transaction().execute(async (trx) => {
        const member = await trx
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.userId')
          .select('users.id')
          .where('memberships.orgId', '=', caller.orgId)
          .where('users.email', '=', input.email)
          .executeTakeFirst();
        if (member) throw conflict(`${input.email} is already a member.`, 'email');
        // A new invitation replaces any pending one for the same address.
        await trx.deleteFrom('invitations').where('orgId', '=', caller.orgId).where('email', '=', input.email).where('acceptedAt', 'is', null).execute();
        const created = await trx
          .insertInto('invitations')
          .values({
            orgId: caller.orgId,
            email: input.email,
            role: input.role,
            tokenHash: hashToken(token),
            invitedBy: caller.userId,
            expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
            acceptedAt: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, { action: 'member.invited', orgId: caller.orgId, principal: ctx.principal, details: { email: input.email, role: input.role } });
        return created;
      });
      return { invitation, token: settings.exposeTokens ? token : null };
    },

    async acceptInvitation(_parent, args, ctx) {
      const input = validate(AcceptInvitationInput, args.input);
      const outcome = await ctx.db.transaction().execute(async (trx) => {
        const invitation = await trx
          .selectFrom('invitations')
          .selectAll()
          .where('tokenHash', '=', hashToken(input.token))
          .where('acceptedAt', 'is', null)
          .forUpdate()
          .executeTakeFirst();
        if (!invitation || invitation.expiresAt.getTime() <= Date.now()) {
          return refuse(graphError('BAD_USER_INPUT', 'The invitation is invalid, expired or already accepted.', { field: 'token' }));
        }
        const existing = await trx.selectFrom('users').select([...USER_COLUMNS, 'passwordHash']).where('email', '=', invitation.email).executeTakeFirst();
        let user;
        if (existing) {
          if (!(await verifyPassword(input.password, existing.passwordHash))) {
            return refuse(graphError('UNAUTHENTICATED', 'This email already has an account: give its password to accept.'));
          }
          const { passwordHash: _omit, ...rest } = existing;
          user = rest;
        } else {
          const newPassword = validate(password(), input.password);
          if (!input.name) return refuse(graphError('BAD_USER_INPUT', 'name: required for a new account', { field: 'name' }));
          user = await trx
            .insertInto('users')
            // The invitation reached this address, which verifies it.
            .values({ email: invitation.email, name: input.name, passwordHash: await hashPassword(newPassword), emailVerifiedAt: new Date(), emailVerificationHash: null })
            .returning(USER_COLUMNS)
            .executeTakeFirstOrThrow();
        }
        const already = await trx.selectFrom('memberships').select('role').where('orgId', '=', invitation.orgId).where('userId', '=', user.id).executeTakeFirst();
        if (already) return refuse(conflict('You are already a member of this organization.'));
        await trx.insertInto('memberships').values({ orgId: invitation.orgId, userId: user.id, role: invitation.role }).execute();
        await trx.updateTable('invitations').set({ acceptedAt: new Date() }).where('id', '=', invitation.id).execute();
        const organization = await trx.selectFrom('organizations').selectAll().where('id', '=', invitation.orgId).executeTakeFirstOrThrow();
        await audit(trx, { action: 'member.joined', orgId: organization.id, principal: ctx.principal, actorUserId: user.id, details: { role: invitation.role } });
        return await issueSession(trx, settings, { user, organization, role: invitation.role });
      });
      return unlessRefused(outcome);
    },

    async changeMemberRole(_parent, args, ctx) {
      const caller = currentUser(ctx);
      const input = validate(ChangeMemberRoleInput, args.input);
      return ctx.db.transaction().execute(async (trx) => {
        const { target, ownerCount } = await membershipForChange(trx, caller.orgId, input.userId);
        if (!target) throw notFound('Member');
        const touchesOwner = target.role === 'OWNER' || input.role === 'OWNER';
        if (touchesOwner && !callerIsOwner(ctx)) throw ownerOnly();
        if (target.role === 'OWNER' && input.role !== 'OWNER' && ownerCount <= 1) throw lastOwner();
        const updated = await trx
          .updateTable('memberships')
          .set({ role: input.role })
          .where('orgId', '=', caller.orgId)
          .where('userId', '=', input.userId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, {
          action: 'member.role_changed',
          orgId: caller.orgId,
          principal: ctx.principal,
          targetId: input.userId,
          details: { from: target.role, to: input.role },
        });
        return updated;
      });
    },

    async removeMember(_parent, args, ctx) {
      const caller = currentUser(ctx);
      const userId = validate(fields.id(), args.userId);
      return ctx.db.transaction().execute(async (trx) => {
        const { target, ownerCount } = await membershipForChange(trx, caller.orgId, userId);
        if (!target) throw notFound('Member');
        if (target.role === 'OWNER' && !callerIsOwner(ctx)) throw ownerOnly();
        if (target.role === 'OWNER' && ownerCount <= 1) throw lastOwner();
        await trx.deleteFrom('memberships').where('orgId', '=', caller.orgId).where('userId', '=', userId).execute();
        await trx.updateTable('refreshTokens').set({ revokedAt: new Date() }).where('orgId', '=', caller.orgId).where('userId', '=', userId).where('revokedAt', 'is', null).execute();
        await audit(trx, { action: 'member.removed', orgId: caller.orgId, principal: ctx.principal, targetId: userId, details: { role: target.role } });
        return true;
      });
    },
  };
}

export const Invitation: InvitationResolvers<Context> = {
  invitedBy: (invitation, _args, ctx) => (invitation.invitedBy ? loadUser(ctx, invitation.invitedBy) : null),
};

export function pendingInvitations(ctx: Context, orgId: string) {
  if (orgId !== viewer(ctx).orgId) return [];
  return ctx.db
    .selectFrom('invitations')
    .selectAll()
    .where('orgId', '=', orgId)
    .where('acceptedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .orderBy('createdAt')
    .execute();
}

