import { BRAND_EDITORS, can, type AccessPolicies } from '@umt/infra';

/** Who may use each root field of the strategy subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.calendarEntry': can.read('calendar:read'),
  'Mutation.planCalendarEntry': can.write(BRAND_EDITORS, 'calendar:write'),
};
