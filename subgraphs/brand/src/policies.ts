import { BRAND_EDITORS, can, type AccessPolicies } from '@umt/infra';

/** Who may use each root field and cross-domain field of the brand subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.brands': can.read('brands:read'),
  'Query.brand': can.read('brands:read'),
  'Query.project': can.read('brands:read'),
  'Mutation.createBrand': can.write(BRAND_EDITORS, 'brands:write'),
  'Mutation.createProject': can.write(BRAND_EDITORS, 'brands:write'),

  // Brand data reached from other domains: lookups (CalendarEntry.brand, Content.project) and auth's Organization.
  'Brand.__resolveReference': can.read('brands:read'),
  'Project.__resolveReference': can.read('brands:read'),
  'Organization.brands': can.read('brands:read'),
};
