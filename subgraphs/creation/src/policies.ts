import { ADMINS, can, CONTENT_EDITORS, type AccessPolicies } from '@umt/infra';

/** Who may use each root field and cross-domain field of the creation subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.content': can.read('content:read'),
  'Query.contents': can.read('content:read'),
  'Mutation.createContent': can.write(CONTENT_EDITORS, 'content:write'),

  // AI generations: content editors start them, every member follows them; cost and budgets are for ADMINs.
  'Query.generationJob': can.read('content:read'),
  'Query.generationJobs': can.read('content:read'),
  'Mutation.startGeneration': can.write(CONTENT_EDITORS, 'content:write'),
  'Query.aiUsage': can.write(ADMINS),
  'Query.aiCalls': can.write(ADMINS),
  'Mutation.setAiBudget': can.write(ADMINS),
  'GenerationJob.__resolveReference': can.read('content:read'),

  // Creation data reached from other domains: its entity's lookup (Publication.content), and what it adds to Project.
  'Content.__resolveReference': can.read('content:read'),
  'Project.brief': can.read('content:read'),
  'Project.contents': can.read('content:read'),
};
