import type { TokenCodec } from '@umt/infra';
import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { authMutations } from './auth-payload';
import { Organization, organizationQueries } from './organization';
import { Membership, User, userQueries } from './user';

export function createResolvers(tokens: TokenCodec, tokenTtlSeconds: number): Resolvers<Context> {
  return {
    Query: { ...userQueries, ...organizationQueries },
    Mutation: authMutations(tokens, tokenTtlSeconds),
    Organization,
    User,
    Membership,
  };
}
