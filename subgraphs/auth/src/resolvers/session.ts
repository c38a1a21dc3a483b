import { conflict, refuse, unlessRefused, currentUser, fields, graphError, isUniqueViolation, unauthenticated, validate } from '@umt/infra';
import { z } from 'zod';
import { audit } from '../identity/audit';
import { checkLoginThrottle, recordLoginAttempt } from '../identity/login-throttle';
import { decoyHash, hashPassword, verifyPassword } from '../identity/passwords';
import { issueSession, revokeFamily, type SessionSettings } from '../identity/sessions';
import { slugify, withSuffix } from '../identity/slugs';
import { hashToken, newToken } from '../identity/tokens';
import type { Context } from '../context';
import type { MutationResolvers } from '../generated/graphql';
import { USER_COLUMNS } from './user';

export const password = () => z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

const RegisterInput = z.object({
  organizationName: fields.name(120),
  name: fields.name(120),
  email: fields.email(),
  password: password(),
});

const LoginInput = z.object({
  email: fields.email(),
  password: z.string().max(200, 'must be at most 200 characters'),
  organizationId: fields.id().nullish(),
});

const ChangePasswordInput = z.object({ currentPassword: z.string().max(200), newPassword: password() });
const OpaqueToken = z.string().min(1, 'must not be empty').max(200, 'is not a token this API issued');

const invalidCredentials = () => graphError('UNAUTHENTICATED', 'Invalid email or password.');
const invalidRefresh = () => graphError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked: log in again.');

export function sessionMutations(
  settings: SessionSettings & { exposeTokens: boolean },
): Pick<MutationResolvers<Context>, 'register' | 'verifyEmail' | 'login' | 'refreshSession' | 'logout' | 'changePassword'> {
  return {
    async register(_parent, args, ctx) {
      const input = validate(RegisterInput, args.input);
      const passwordHash = await hashPassword(input.password);
      const verificationToken = newToken();
      try {
        const payload = await ctx.db.transaction().execute(async (trx) => {
          const taken = await trx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
          if (taken) throw conflict('An account with this email already exists; log in instead.', 'email');
          const base = slugify(input.organizationName);
          const slugTaken = await trx.selectFrom('organizations').select('id').where('slug', '=', base).executeTakeFirst();
          const organization = await trx
            .insertInto('organizations')
            .values({ name: input.organizationName, slug: slugTaken ? withSuffix(base) : base })
            .returningAll()
            .executeTakeFirstOrThrow();
          const user = await trx
            .insertInto('users')
            .values({ email: input.email, name: input.name, passwordHash, emailVerifiedAt: null, emailVerificationHash: hashToken(verificationToken) })
            .returning(USER_COLUMNS)
            .executeTakeFirstOrThrow();
          await trx.insertInto('memberships').values({ orgId: organization.id, userId: user.id, role: 'OWNER' }).execute();
          await audit(trx, { action: 'organization.created', orgId: organization.id, principal: ctx.principal, actorUserId: user.id });
          await ctx.events.record(trx, 'organization.created', organization.id, { organizationId: organization.id, name: organization.name });
          return issueSession(trx, settings, { user, organization, role: 'OWNER' });
        });
        return { ...payload, emailVerificationToken: settings.exposeTokens ? verificationToken : null };
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('An account with this email already exists; log in instead.', 'email');
        throw error;
      }
    },

    async verifyEmail(_parent, args, ctx) {
      const token = validate(OpaqueToken, args.token);
      const verified = await ctx.db
        .updateTable('users')
        .set({ emailVerifiedAt: new Date(), emailVerificationHash: null })
        .where('emailVerificationHash', '=', hashToken(token))
        .returning('id')
        .executeTakeFirst();
      if (!verified) throw graphError('BAD_USER_INPUT', 'The verification token is invalid or was already used.', { field: 'token' });
      return true;
    },

    async login(_parent, args, ctx) {
      const input = validate(LoginInput, args.input);
      const address = 'address' in ctx.principal ? ctx.principal.address : undefined;
      await checkLoginThrottle(ctx.db, input.email, address);
      const found = await ctx.db
        .selectFrom('users')
        .select([...USER_COLUMNS, 'passwordHash'])
        .where('email', '=', input.email)
        .executeTakeFirst();
      const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
      let membership = ctx.db
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.orgId')
        .select(['organizations.id', 'organizations.name', 'organizations.slug', 'organizations.createdAt', 'memberships.role'])
        .where('memberships.userId', '=', found?.id ?? '00000000-0000-0000-0000-000000000000')
        .orderBy('memberships.createdAt')
        .limit(1);
      if (input.organizationId) membership = membership.where('memberships.orgId', '=', input.organizationId);
      const row = found ? await membership.executeTakeFirst() : undefined;

      const outcome = await ctx.db.transaction().execute(async (trx) => {
        await recordLoginAttempt(trx, input.email, address, Boolean(found && ok && row));
        if (!found || !ok || !row) {
          // A failed login for a known user is shown to the admins of the organization it would have entered.
          await audit(trx, {
            action: 'login.failed',
            orgId: row?.id ?? null,
            principal: ctx.principal,
            targetId: found?.id ?? null,
            details: { reason: !found || !ok ? 'bad_credentials' : 'not_a_member' },
          });
          return refuse(found && ok ? graphError('FORBIDDEN', 'You are not a member of that organization.') : invalidCredentials());
        }
        const { passwordHash: _omit, ...user } = found;
        const { role, ...organization } = row;
        await audit(trx, { action: 'login.succeeded', orgId: organization.id, principal: ctx.principal, actorUserId: user.id });
        return await issueSession(trx, settings, { user, organization, role });
      });
      // The failed attempt must commit (it feeds the throttle), so the error is thrown only after the transaction.
      return unlessRefused(outcome);
    },

    async refreshSession(_parent, args, ctx) {
      const tokenHash = hashToken(validate(OpaqueToken, args.refreshToken));
      const outcome = await ctx.db.transaction().execute(async (trx) => {
        const token = await trx.selectFrom('refreshTokens').selectAll().where('tokenHash', '=', tokenHash).forUpdate().executeTakeFirst();
        if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) return refuse(invalidRefresh());
        // Marking it used only if nobody did first makes two concurrent refreshes count as reuse, too.
        const claimed = await trx
          .updateTable('refreshTokens')
          .set({ usedAt: new Date() })
          .where('id', '=', token.id)
          .where('usedAt', 'is', null)
          .executeTakeFirst();
        if (token.usedAt || Number(claimed.numUpdatedRows) === 0) {
          await revokeFamily(trx, token.familyId);
          await audit(trx, {
            action: 'session.refresh_reused',
            orgId: token.orgId,
            principal: ctx.principal,
            actorUserId: token.userId,
            details: { sessionId: token.familyId },
          });
          return refuse(graphError('UNAUTHENTICATED', 'This refresh token was already used: the session has been revoked for safety. Log in again.'));
        }
        const member = await trx
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.userId')
          .innerJoin('organizations', 'organizations.id', 'memberships.orgId')
          .select([
            ...USER_COLUMNS,
            'memberships.role',
            'organizations.id as orgId',
            'organizations.name as orgName',
            'organizations.slug as orgSlug',
            'organizations.createdAt as orgCreatedAt',
          ])
          .where('memberships.userId', '=', token.userId)
          .where('memberships.orgId', '=', token.orgId)
          .executeTakeFirst();
        if (!member) {
          await revokeFamily(trx, token.familyId);
          return refuse(invalidRefresh());
        }
        const { role, orgId, orgName, orgSlug, orgCreatedAt, ...user } = member;
        const organization = { id: orgId, name: orgName, slug: orgSlug, createdAt: orgCreatedAt };
        return await issueSession(trx, settings, { user, organization, role, familyId: token.familyId });
      });
      // The reuse revocation must commit, so the error is thrown only after the transaction.
      return unlessRefused(outcome);
    },

    async logout(_parent, args, ctx) {
      const tokenHash = hashToken(validate(OpaqueToken, args.refreshToken));
      return ctx.db.transaction().execute(async (trx) => {
        const token = await trx.selectFrom('refreshTokens').select(['familyId', 'orgId', 'userId']).where('tokenHash', '=', tokenHash).executeTakeFirst();
        if (!token) return false;
        await revokeFamily(trx, token.familyId);
        await audit(trx, { action: 'session.logged_out', orgId: token.orgId, principal: ctx.principal, actorUserId: token.userId });
        return true;
      });
    },

    async changePassword(_parent, args, ctx) {
      const caller = currentUser(ctx);
      const input = validate(ChangePasswordInput, args.input);
      const user = await ctx.db.selectFrom('users').select('passwordHash').where('id', '=', caller.userId).executeTakeFirst();
      if (!user) throw unauthenticated();
      if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
        throw graphError('BAD_USER_INPUT', 'currentPassword: does not match', { field: 'currentPassword' });
      }
      const passwordHash = await hashPassword(input.newPassword);
      await ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ passwordHash }).where('id', '=', caller.userId).execute();
        // Every other session ends; the caller's own continues.
        let others = trx.updateTable('refreshTokens').set({ revokedAt: new Date() }).where('userId', '=', caller.userId).where('revokedAt', 'is', null);
        if (caller.sessionId) others = others.where('familyId', '!=', caller.sessionId);
        await others.execute();
        await audit(trx, { action: 'password.changed', orgId: caller.orgId, principal: ctx.principal, targetId: caller.userId });
      });
      return true;
    },
  };
}
