import { BRAND_EDITORS, can, type AccessPolicies } from '@umt/infra';

/** Who may use each root field of the brand subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.brands': can.read('brands:read'),
  'Query.brand': can.read('brands:read'),
  'Query.project': can.read('brands:read'),
  'Mutation.createBrand': can.write(BRAND_EDITORS, 'brands:write'),
  'Mutation.createProject': can.write(BRAND_EDITORS, 'brands:write'),
};
