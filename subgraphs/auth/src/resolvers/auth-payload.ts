import { conflict, fields, graphError, isUniqueViolation, validate, type Role, type TokenCodec } from '@umt/infra';
import { z } from 'zod';
import { decoyHash, hashPassword, verifyPassword } from '../agent/passwords';
import { slugify, withSuffix } from '../agent/slugs';
import type { Context } from '../context';
import type { OrganizationRow, UserRow } from '../db/schema';
import type { MutationResolvers } from '../generated/graphql';

export interface AuthPayloadModel {
  token: string;
  expiresAt: Date;
  user: UserRow;
  organization: OrganizationRow;
  role: Role;
}

const password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

const RegisterInput = z.object({
  organizationName: fields.name(120),
  name: fields.name(120),
  email: fields.email(),
  password,
});

const LoginInput = z.object({
  email: fields.email(),
  password: z.string().max(200, 'must be at most 200 characters'),
  organizationId: fields.id().nullish(),
});

const invalidCredentials = () => graphError('UNAUTHENTICATED', 'Invalid email or password.');

const USER_COLUMNS = ['users.id', 'users.email', 'users.name', 'users.createdAt'] as const;

export function authMutations(tokens: TokenCodec, ttlSeconds: number): Pick<MutationResolvers<Context>, 'register' | 'login'> {
  const issue = (user: UserRow, organization: OrganizationRow, role: Role): AuthPayloadModel => ({
    token: tokens.sign({ kind: 'user', userId: user.id, orgId: organization.id, roles: [role] }),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    user,
    organization,
    role,
  });

  return {
    async register(_parent, args, ctx) {
      const input = validate(RegisterInput, args.input);
      const passwordHash = await hashPassword(input.password);
      try {
        const { user, organization } = await ctx.db.transaction().execute(async (trx) => {
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
            .values({ email: input.email, name: input.name, passwordHash })
            .returning(['id', 'email', 'name', 'createdAt'])
            .executeTakeFirstOrThrow();
          await trx.insertInto('memberships').values({ orgId: organization.id, userId: user.id, role: 'OWNER' }).execute();
          return { user, organization };
        });
        ctx.log.info({ orgId: organization.id, userId: user.id }, 'organization registered');
        return issue(user, organization, 'OWNER');
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('An account with this email already exists; log in instead.', 'email');
        throw error;
      }
    },

    async login(_parent, args, ctx) {
      const input = validate(LoginInput, args.input);
      const found = await ctx.db
        .selectFrom('users')
        .select([...USER_COLUMNS, 'users.passwordHash'])
        .where('email', '=', input.email)
        .executeTakeFirst();
      const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !ok) throw invalidCredentials();
      const { passwordHash: _omit, ...user } = found;
      let membership = ctx.db
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.orgId')
        .select(['organizations.id', 'organizations.name', 'organizations.slug', 'organizations.createdAt', 'memberships.role'])
        .where('memberships.userId', '=', user.id)
        .orderBy('memberships.createdAt')
        .limit(1);
      if (input.organizationId) membership = membership.where('memberships.orgId', '=', input.organizationId);
      const row = await membership.executeTakeFirst();
      if (!row) throw graphError('FORBIDDEN', 'You are not a member of that organization.');
      const { role, ...organization } = row;
      return issue(user, organization, role);
    },
  };
}
