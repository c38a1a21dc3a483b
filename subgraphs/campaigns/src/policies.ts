import { BRAND_EDITORS, can, type AccessPolicies } from '@umt/infra';

/** Who may use each root field and cross-domain field of the campaigns subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.publication': can.read('campaigns:read'),
  'Query.publications': can.read('campaigns:read'),
  'Mutation.schedulePublication': can.write(BRAND_EDITORS, 'campaigns:write'),

  // Campaigns data reached from other domains: its entity's lookup, and what it adds to creation's Content.
  'Publication.__resolveReference': can.read('campaigns:read'),
  'Content.publications': can.read('campaigns:read'),
};
