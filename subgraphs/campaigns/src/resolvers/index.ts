import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { Content, Publication, publicationMutations, publicationQueries } from './publication';

export const resolvers: Resolvers<Context> = {
  Query: { ...publicationQueries },
  Mutation: { ...publicationMutations },
  Content,
  Publication,
};
