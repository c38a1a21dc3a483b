import { BRAND_EDITORS, can, type AccessPolicies } from '@umt/infra';

/** Who may use each root field of the campaigns subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.publication': can.read('campaigns:read'),
  'Query.publications': can.read('campaigns:read'),
  'Mutation.schedulePublication': can.write(BRAND_EDITORS, 'campaigns:write'),
};
