import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { Content, contentMutations, contentQueries, Project } from './content';

export const resolvers: Resolvers<Context> = {
  Query: { ...contentQueries },
  Mutation: { ...contentMutations },
  Project,
  Content,
};
