import type { CreationAi } from '../agent/generation';
import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { Content, contentMutations, contentQueries, Project } from './content';
import { generationResolvers } from './generation';

export function creationResolvers(ai: CreationAi): Resolvers<Context> {
  const generation = generationResolvers(ai);
  return {
    Query: { ...contentQueries, ...generation.Query },
    Mutation: { ...contentMutations, ...generation.Mutation },
    Project,
    Content,
    GenerationJob: generation.GenerationJob,
    AiCall: generation.AiCall,
    JSON: generation.JSON,
  };
}
