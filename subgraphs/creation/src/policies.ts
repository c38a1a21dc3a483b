import { can, CONTENT_EDITORS, type AccessPolicies } from '@umt/infra';

/** Who may use each root field of the creation subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.content': can.read('content:read'),
  'Query.contents': can.read('content:read'),
  'Mutation.createContent': can.write(CONTENT_EDITORS, 'content:write'),
};
