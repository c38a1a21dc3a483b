import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { Brand, brandMutations, brandQueries, Organization } from './brand';
import { Project, projectMutations, projectQueries } from './project';

export const resolvers: Resolvers<Context> = {
  Query: { ...brandQueries, ...projectQueries },
  Mutation: { ...brandMutations, ...projectMutations },
  Organization,
  Brand,
  Project,
};
