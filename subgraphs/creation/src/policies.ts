import { can, CONTENT_EDITORS, type AccessPolicies } from '@umt/infra';

/** Who may use each root field and cross-domain field of the creation subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.content': can.read('content:read'),
  'Query.contents': can.read('content:read'),
  'Mutation.createContent': can.write(CONTENT_EDITORS, 'content:write'),

  // Creation data reached from other domains: its entity's lookup (Publication.content), and what it adds to Project.
  'Content.__resolveReference': can.read('content:read'),
  'Project.brief': can.read('content:read'),
  'Project.contents': can.read('content:read'),
};
